using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// A cheap sufficient test that {g &gt; 0} ∩ {h &gt; 0} ∩ box is empty, short of a solver call: if some convex
/// combination λg + (1 − λ)h is ≤ 0 on the whole box, no point makes both positive. Only λ at the ends and where a
/// coefficient of the combination changes sign can be optimal (the box maximum is convex and piecewise linear in λ),
/// and each candidate is checked in outward-rounded interval arithmetic, so a "yes" is a proof.
/// </summary>
public static class PairwiseEmptiness
{
    public static bool Proves(AffineForm g, AffineForm h, RegionBox box)
    {
        var a = g.CoefficientEnclosure; var b = h.CoefficientEnclosure;
        if (Nonpositive(1, g, h, box) || Nonpositive(0, g, h, box)) return true;
        for (int k = 0; k < a.Length; k++)
        {
            // λ·a_k + (1 − λ)·b_k = 0  ⇔  λ = b_k / (b_k − a_k), when that lies in (0, 1).
            double ak = a[k].Midpoint, bk = b[k].Midpoint;
            if (ak == bk) continue;
            double lambda = bk / (bk - ak);
            if (lambda > 0 && lambda < 1 && Nonpositive(lambda, g, h, box)) return true;
        }
        return false;
    }

    /// <summary>Is λ·g + (1 − λ)·h ≤ 0 on the box, certainly? λ is an exact double, 1 − λ enclosed.</summary>
    private static bool Nonpositive(double lambda, AffineForm g, AffineForm h, RegionBox box)
    {
        var l = Interval.Point(lambda);
        var m = Interval.Point(1) - l;
        var s = l * g.ConstantEnclosure + m * h.ConstantEnclosure;
        var a = g.CoefficientEnclosure; var b = h.CoefficientEnclosure;
        for (int k = 0; k < a.Length; k++)
        {
            s += (l * a[k] + m * b[k]) * box.Dims[k];
            if (s.Lo > 0) return false;
        }
        return s.Hi <= 0;
    }
}
