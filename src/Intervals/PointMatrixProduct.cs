using System.Numerics;

namespace Verify.Intervals;

/// <summary>
/// W·[h] + b for a point matrix W (row-major) and an interval vector [h], in midpoint–radius form: the exact range of
/// W h over the box is W m ± |W| r (m, r the box's midpoint and radius), computed as round-to-nearest SIMD sums and
/// widened once per output by the a-priori error bound of <see cref="DotErrorBound"/> instead of one directed rounding
/// per product.
/// </summary>
/// <remarks>
/// With m rounded to nearest and r rounded up so that [m − r, m + r] ⊇ [h], and v = r + g|m| rounded up
/// (g = <see cref="DotErrorBound.Gamma"/>(n) ≥ 2γ_{n+2}; <see cref="MidSpread"/>): the computed c̃ = fl(W m) is within
/// γ_n Σ|W||m| + nη of W m in any summation order, so the exact Σ|W|v plus one Underflow bounds the radius plus that
/// error, and <see cref="DotErrorBound.Upper"/> of the computed fl(Σ|W|v) bounds Σ|W|v (non-negative terms;
/// <see cref="Radius"/>). The result is wider than the exact range
/// by about n·u relative, never narrower.
/// </remarks>
public static class PointMatrixProduct
{
    /// <summary>z_i ⊇ {Σ_j W_ij h_j + b_i : h ∈ [h]} for every row i, or false (z untouched) when some [h_j] is
    /// unbounded or a sum overflows: the caller then takes the per-product directed route.</summary>
    public static bool TryMultiply(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<Interval> h, Span<Interval> z)
    {
        int n = h.Length, rows = b.Length;
        if (w.Length != rows * n || z.Length < rows) throw new ArgumentException("shapes of W, b, h and z do not match");
        var m = new double[n]; var v = new double[n];
        for (int j = 0; j < n; j++)
        {
            double lo = h[j].Lo, hi = h[j].Hi;
            if (!double.IsFinite(lo) || !double.IsFinite(hi)) return false;
            (m[j], v[j]) = MidSpread(lo, hi, n);
        }
        var lows = new double[rows]; var highs = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var (c, e) = Sums(w.Slice(i * n, n), m, v);
            double radius = Radius(e, n);
            double lo = Rounding.AddDown(Rounding.SubDown(c, radius), b[i]), hi = Rounding.AddUp(Rounding.AddUp(c, radius), b[i]);
            if (!double.IsFinite(lo) || !double.IsFinite(hi)) return false;
            lows[i] = lo; highs[i] = hi;
        }
        for (int i = 0; i < rows; i++) z[i] = new Interval(lows[i], highs[i]);
        return true;
    }

    /// <summary>For [lo, hi] (finite) in a sum of n products: the midpoint m rounded to nearest and the spread
    /// v = r + g|m| rounded up, r the radius rounded up so that [m − r, m + r] ⊇ [lo, hi], g = Gamma(n).</summary>
    public static (double Mid, double Spread) MidSpread(double lo, double hi, int n)
    {
        double mid = 0.5 * lo + 0.5 * hi;
        double r = Math.Max(Rounding.SubUp(hi, mid), Rounding.SubUp(mid, lo));
        return (mid, Rounding.AddUp(Math.Max(r, 0), Rounding.MulUp(DotErrorBound.Gamma(n), Math.Abs(mid))));
    }

    /// <summary>The radius to put around fl(Σ w_j m_j) from the computed ẽ = fl(Σ |w_j| v_j): an upper bound of the exact
    /// Σ|w_j|v_j (non-negative terms), plus the centre's own underflow slack.</summary>
    public static double Radius(double computed, int n) =>
        Rounding.AddUp(DotErrorBound.Upper(computed, computed, n), DotErrorBound.Underflow);

    /// <summary>fl(Σ w_j m_j) and fl(Σ |w_j| v_j), SIMD over j.</summary>
    private static (double Centre, double Radius) Sums(ReadOnlySpan<double> w, double[] m, double[] v)
    {
        int n = w.Length, width = Vector<double>.Count, j = 0;
        double c = 0, e = 0;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            var cv = Vector<double>.Zero; var ev = Vector<double>.Zero;
            for (; j + width <= n; j += width)
            {
                var wv = new Vector<double>(w.Slice(j, width));
                cv += wv * new Vector<double>(m, j);
                ev += Vector.Abs(wv) * new Vector<double>(v, j);
            }
            c = Vector.Sum(cv); e = Vector.Sum(ev);
        }
        for (; j < n; j++) { c += w[j] * m[j]; e += Math.Abs(w[j]) * v[j]; }
        return (c, e);
    }
}
