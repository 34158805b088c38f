using System.Numerics;
using System.Runtime.InteropServices;
using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// Upper bounds of sums of non-negative products, from round-to-nearest SIMD sums: for t_j ≥ 0 the computed s̃ of
/// s = Σ t_j satisfies s ≤ s̃ + γ_n·s + nη (<see cref="DotErrorBound"/>'s model, any summation order), so
/// s ≤ s̃ + g·s̃ + Underflow with g = <see cref="DotErrorBound.Gamma"/>(n) ≥ 2γ_{n+2}, rounded up
/// (<see cref="DotErrorBound.Upper"/> with the sum as its own magnitude): one directed correction per sum instead of
/// one per term.
/// </summary>
internal static class NonNegativeSums
{
    /// <summary>Upper bounds of Σ_j |w_j|·a_j and Σ_j (|w_j|·b_j + e_j·c_j), for finite a, b, c, e ≥ 0 (an overflowed
    /// sum gives +∞).</summary>
    public static (double First, double Second) UpperPair(ReadOnlySpan<double> w, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
                                                          ReadOnlySpan<double> e, ReadOnlySpan<double> c)
    {
        int n = w.Length, width = Vector<double>.Count, j = 0;
        double s1 = 0, s2 = 0;
        if (Vector.IsHardwareAccelerated && n >= width)
        {
            ref double rw = ref MemoryMarshal.GetReference(w); ref double ra = ref MemoryMarshal.GetReference(a);
            ref double rb = ref MemoryMarshal.GetReference(b); ref double re = ref MemoryMarshal.GetReference(e);
            ref double rc = ref MemoryMarshal.GetReference(c);
            var v1 = Vector<double>.Zero; var v2 = Vector<double>.Zero;
            for (; j + width <= n; j += width)
            {
                nuint o = (nuint)j;
                var aw = Vector.Abs(Vector.LoadUnsafe(ref rw, o));
                v1 += aw * Vector.LoadUnsafe(ref ra, o);
                v2 += aw * Vector.LoadUnsafe(ref rb, o) + Vector.LoadUnsafe(ref re, o) * Vector.LoadUnsafe(ref rc, o);
            }
            s1 = Vector.Sum(v1); s2 = Vector.Sum(v2);
        }
        for (; j < n; j++)
        {
            double aw = Math.Abs(w[j]);
            s1 += aw * a[j];
            s2 += aw * b[j] + e[j] * c[j];
        }
        // The second sum has 2n products. A computed 0 is exact only when every product has a zero factor (a product
        // of non-zero factors may have underflowed to 0); ε = 0 relies on that to give exactly U = 0.
        bool firstExact = s1 == 0 && NoProduct(w, a), secondExact = s2 == 0 && NoProduct(w, b) && NoProduct(e, c);
        return (firstExact ? 0 : Upper(s1, n), secondExact ? 0 : Upper(s2, 2 * n));
    }

    private static bool NoProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        for (int j = 0; j < x.Length; j++) if (x[j] != 0 && y[j] != 0) return false;
        return true;
    }

    private static double Upper(double computed, int terms) =>
        double.IsFinite(computed) ? DotErrorBound.Upper(computed, computed, terms) : double.PositiveInfinity; // only overflow: finite non-negative terms
}
