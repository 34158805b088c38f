using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// A weaker constraint with short numbers: for g(x) = a·x + c, the form g′(x) = a′·x + c′ with every a′_k the nearest
/// float of a_k and c′ ≥ c + Σ_k max((a_k − a′_k)·lo_k, (a_k − a′_k)·hi_k) a float, so that g′ ≥ g on the box and
/// g &gt; 0 implies g′ &gt; 0. Deep in a network the exact forms carry products of many doubles (hundreds of bits),
/// which makes every Z3 check slow; a region whose relaxed constraints are already infeasible is empty, and that is
/// the common answer, so the search asks the cheap relaxed question first.
/// </summary>
public static class ShortRelaxation
{
    /// <summary>Numbers with at most this many bits of numerator and denominator are kept as they are.</summary>
    public const int ShortBits = 64;

    /// <summary>The relaxed form of g on the box, and whether it is g itself (all numbers already short).</summary>
    public static (AffineForm Form, bool Same) Relax(AffineForm g, IReadOnlyList<Rational> lo, IReadOnlyList<Rational> hi)
    {
        if (IsShort(g.Constant) && g.Coefficients.All(IsShort)) return (g, true);
        var a = new Rational[g.Dimension];
        var c = g.Constant;
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = Rational.FromDouble((float)g.Coefficients[k].ToDouble());
            var err = g.Coefficients[k] - a[k];
            if (!err.IsZero) c += Rational.Max(err * lo[k], err * hi[k]);
        }
        return (new AffineForm(a, UpToFloat(c)), false);
    }

    private static bool IsShort(Rational r) => r.Numerator.GetBitLength() <= ShortBits && r.Denominator.GetBitLength() <= ShortBits;

    /// <summary>The least float ≥ r (as a rational), or r itself beyond the float range.</summary>
    private static Rational UpToFloat(Rational r)
    {
        float f = (float)r.ToDouble();
        if (!float.IsFinite(f)) return r;
        var q = Rational.FromDouble(f);
        while (q < r)
        {
            f = MathF.BitIncrement(f);
            if (!float.IsFinite(f)) return r;
            q = Rational.FromDouble(f);
        }
        return q;
    }
}
