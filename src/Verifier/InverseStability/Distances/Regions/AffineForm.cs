using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// An exact affine function x ↦ a·x + c of the free input coordinates. On one activation region of a ReLU network
/// every neuron is such a function, so the region's pre-activations, outputs and Jacobian are all exact rationals.
/// </summary>
public sealed class AffineForm
{
    private Interval[]? _enclosure;
    private Interval? _constantEnclosure;

    public Rational[] Coefficients { get; }
    public Rational Constant { get; }

    public AffineForm(Rational[] coefficients, Rational constant)
    {
        Coefficients = coefficients;
        Constant = constant;
    }

    public int Dimension => Coefficients.Length;

    /// <summary>True when the form does not depend on x: its sign is then the same on the whole region.</summary>
    public bool IsConstant => Coefficients.All(a => a.IsZero);

    public Rational Evaluate(IReadOnlyList<Rational> x)
    {
        var s = Constant;
        for (int k = 0; k < Coefficients.Length; k++)
            if (!Coefficients[k].IsZero) s += Coefficients[k] * x[k];
        return s;
    }

    public AffineForm Scale(Rational factor) =>
        factor == Rational.One ? this : new AffineForm(Coefficients.Select(a => a * factor).ToArray(), Constant * factor);

    /// <summary>Σ weights[j]·forms[j] + bias, exactly (zero weights skipped).</summary>
    public static AffineForm Combine(ReadOnlySpan<double> weights, IReadOnlyList<AffineForm> forms, double bias, int dimension)
    {
        var a = new Rational[dimension];
        for (int k = 0; k < dimension; k++) a[k] = Rational.Zero;
        var c = Rational.FromDouble(bias);
        for (int j = 0; j < weights.Length; j++)
        {
            if (weights[j] == 0) continue;
            var w = Rational.FromDouble(weights[j]);
            var f = forms[j];
            if (!f.Constant.IsZero) c += w * f.Constant;
            for (int k = 0; k < dimension; k++)
                if (!f.Coefficients[k].IsZero) a[k] += w * f.Coefficients[k];
        }
        return new AffineForm(a, c);
    }

    /// <summary>Outward enclosures of the coefficients, cached: the pruning bounds work in interval arithmetic.</summary>
    public Interval[] CoefficientEnclosure => _enclosure ??= Coefficients.Select(a => a.ToInterval()).ToArray();

    public Interval ConstantEnclosure => _constantEnclosure ??= Constant.ToInterval();
}
