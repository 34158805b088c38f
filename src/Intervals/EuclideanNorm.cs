namespace Verify.Intervals;

/// <summary>Sound upper bounds of Euclidean norms: the squares summed with upward rounding, then √ rounded up.</summary>
public static class EuclideanNorm
{
    /// <summary>The smallest double this computes ≥ ‖v‖₂ (+∞ on overflow).</summary>
    public static double Upper(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var x in v) if (x != 0) s = Rounding.AddUp(s, Rounding.MulUp(x, x));
        return Rounding.SqrtUp(s);
    }

    /// <summary>An upper bound of max ‖h‖₂ over the box [lo, hi] (each entry's largest magnitude).</summary>
    public static double MaxOverBox(ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        double s = 0;
        for (int j = 0; j < lo.Length; j++)
        {
            double m = Math.Max(Math.Abs(lo[j]), Math.Abs(hi[j]));
            if (m != 0) s = Rounding.AddUp(s, Rounding.MulUp(m, m));
        }
        return Rounding.SqrtUp(s);
    }
}
