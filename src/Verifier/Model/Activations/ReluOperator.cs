using Verify.Intervals;

namespace Verify.Model;

/// <summary>ReLU: σ(z) = max(z, 0).</summary>
public sealed class ReluOperator : IActivationOperator
{
    public static readonly ReluOperator Instance = new();

    private ReluOperator() { }

    public string Name => "relu";

    public double Apply(double z) => z > 0 ? z : 0.0;

    public Rational Apply(Rational z) => z.Sign > 0 ? z : Rational.Zero;

    public double Derivative(double z) => z > 0 ? 1.0 : 0.0;

    public Interval Image(Interval z) => z.Relu();

    public Kink Kink => Kink.Relu;

    public bool IsIdentity => false;

    /// <summary>
    /// The kink's enclosure, tightened by ReLU's exact forms when one copy is stable: z ≥ 0 gives max(Δz, −z), z' ≥ 0
    /// gives Δz + min(z, 0), z ≤ 0 gives relu(z'), z' ≤ 0 gives −relu(z).
    /// </summary>
    public Interval DifferenceImage(in JointEnclosure e, Interval h, Interval hp)
    {
        if (Kink.StableDifference(e) is { } stable) return stable;
        var dh = Kink.CrossingDifference(e, h, hp);
        double l = e.ZLo, u = e.ZHi, dl = e.DLo, du = e.DHi;
        if (l >= 0) dh = Interval.MeetEnclosures(dh, new Interval(Math.Max(dl, -u), Math.Max(du, -l)));
        if (e.PLo >= 0) dh = Interval.MeetEnclosures(dh, new Interval(dl, du) + new Interval(Math.Min(l, 0), Math.Min(u, 0)));
        if (u <= 0) dh = Interval.MeetEnclosures(dh, hp);
        if (e.PHi <= 0) dh = Interval.MeetEnclosures(dh, -h);
        return dh;
    }
}
