using System.Numerics;

namespace Verify.Bounds;

/// <summary>
/// y += a·x in plain round-to-nearest floating point (SIMD where available). The callers account for the rounding
/// error of these sums separately with <see cref="Verify.Intervals.DotErrorBound"/>, so no directed rounding happens here.
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
}
