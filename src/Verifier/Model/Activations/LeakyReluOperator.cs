using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// Leaky ReLU: σ(z) = z for z &gt; 0 and a·z otherwise, for a slope a ≥ 0 (for a &gt; 1 that is not max(z, a·z)).
/// Value equality, so that two activations with the same slope compare equal.
/// </summary>
public sealed record LeakyReluOperator(double Slope) : IActivationOperator
{
    public string Name => "leaky_relu";

    public double Apply(double z) => z > 0 ? z : Slope * z;

    public Rational Apply(Rational z) => z.Sign > 0 ? z : Rational.FromDouble(Slope) * z;

    public double Derivative(double z) => z > 0 ? 1.0 : Slope;

    /// <summary>σ is monotone, so the image of [lo, hi] is [σ(lo), σ(hi)], rounded outward (−∞ stays −∞ unless a = 0).</summary>
    public Interval Image(Interval z)
    {
        double lo = z.Lo > 0 ? z.Lo
                  : double.IsNegativeInfinity(z.Lo) ? (Slope == 0 ? 0.0 : z.Lo)
                  : (Interval.Point(z.Lo) * Slope).Lo;
        double hi = z.Hi > 0 ? z.Hi : (Interval.Point(z.Hi) * Slope).Hi;
        return new Interval(lo, hi);
    }

    public Kink Kink => new(1, Slope);

    public bool IsIdentity => false;

    public Interval DifferenceImage(in JointEnclosure e, Interval h, Interval hp) =>
        Kink.StableDifference(e) ?? Kink.CrossingDifference(e, h, hp);
}
