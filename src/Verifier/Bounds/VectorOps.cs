using System.Numerics;

namespace Verify.Bounds;

/// <summary>
/// y += a·x in plain round-to-nearest floating point (SIMD where available). The callers account for the rounding
/// error of these sums separately (see <see cref="LinearDifferenceBounder"/>), so no directed rounding happens here.
/// </summary>
internal static class VectorOps
{
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            int w = Vector<double>.Count;
            for (; i <= n - w; i += w)
            {
                var yv = new Vector<double>(y.Slice(i, w)) + va * new Vector<double>(x.Slice(i, w));
                yv.CopyTo(y.Slice(i, w));
            }
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>Error bound factor for a floating-point sum of n products: 2·(n+2)·u with u = 2⁻⁵³, i.e. twice γ_{n+2}
    /// for any n below 10⁹ (the factor 2 also absorbs the rounding of computing the error sum itself).</summary>
    public static double Gamma(int n) => (n + 2) * 2.220446049250313e-16 * 1.0000001; // 2.22e-16 = 2⁻⁵²

    /// <summary>Absolute slack per accumulated error sum, covering underflow (each subnormal rounding is ≤ 2⁻¹⁰⁷⁵).</summary>
    public const double Underflow = 1e-290;
}
