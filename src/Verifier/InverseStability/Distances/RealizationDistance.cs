using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>Exact distances ‖f − g‖∞ and |f − g|_{W^{1,∞}} = ess sup |f′ − g′| over [lo, hi].</summary>
public readonly record struct RealizationGap(Rational Sup, Rational SobolevSemi)
{
    /// <summary>The full W^{1,∞} norm max(‖·‖∞, |·|_{W^{1,∞}}).</summary>
    public Rational Sobolev => Rational.Max(Sup, SobolevSemi);
}

/// <summary>
/// For one-hidden-layer networks with scalar input the difference f − g is continuous and piecewise linear with
/// breakpoints among the kinks of both networks, so evaluating it exactly at every kink and at both endpoints gives
/// the exact sup (a linear piece attains its extremes at its ends) and the exact slope on every piece.
/// </summary>
public static class RealizationDistance
{
    public static RealizationGap Compute(ShallowNet1D f, ShallowNet1D g, Rational lo, Rational hi)
    {
        if (!(lo < hi)) throw new ArgumentException("empty domain");
        var points = f.KinksInside(lo, hi).Concat(g.KinksInside(lo, hi)).Append(lo).Append(hi).Distinct().OrderBy(p => p).ToArray();
        var values = points.Select(x => f.Evaluate(x) - g.Evaluate(x)).ToArray();
        Rational sup = Rational.Zero, semi = Rational.Zero;
        for (int j = 0; j < points.Length; j++)
        {
            sup = Rational.Max(sup, Rational.Abs(values[j]));
            if (j + 1 < points.Length)
                semi = Rational.Max(semi, Rational.Abs((values[j + 1] - values[j]) / (points[j + 1] - points[j])));
        }
        return new RealizationGap(sup, semi);
    }

    /// <summary>Slope jump of f at an interior point p (right slope minus left slope), exact.</summary>
    public static Rational SlopeJump(ShallowNet1D f, Rational p)
    {
        // Every neuron with its kink exactly at p contributes c·|a|; all others are linear near p.
        Rational s = Rational.Zero;
        foreach (var n in f.Neurons)
            if (n.Kink is { } q && q == p) s += n.C * Rational.Abs(n.A);
        return s;
    }
}
