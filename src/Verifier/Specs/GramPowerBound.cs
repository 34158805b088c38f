using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// A certified, nearly tight upper bound of ‖W‖₂ from powers of the Gram matrix G = WᵀW (or WWᵀ, the smaller):
/// G is symmetric positive semidefinite with λ_max(G) = ‖W‖₂², so ‖W‖₂^(2p) = λ_max(G^p) ≤ ‖G^p‖_F for p = 2^m, and
/// ‖G^p‖_F ≤ √rank·λ_max^p, so the (2p)-th root overestimates by at most rank^(1/(4p)) (and far less when the top
/// singular value stands out). G^p is computed by m squarings of interval matrices (every product and sum rounded
/// outward through <see cref="Rounding"/>), rescaled by exact powers of two after each squaring so nothing overflows;
/// the root is taken by repeated upward square roots. Cost O(m·n³) for the smaller side n.
/// </summary>
public static class GramPowerBound
{
    /// <summary>Squarings: p = 2^Squarings; rank^(1/(4p)) ≤ 1.0024 at the size limit (128).</summary>
    public const int Squarings = 8;

    /// <summary>Larger Gram matrices are not attempted (cost); the caller keeps its cheaper bound.</summary>
    public const int MaxSide = 128;

    /// <summary>An upper bound of ‖W‖₂, or +∞ when the matrix is too large or not finite.</summary>
    public static double Upper(DenseLayer w)
    {
        int m = w.Outputs, nIn = w.Inputs;
        int n = Math.Min(m, nIn);
        if (n == 0) return 0;
        if (n > MaxSide) return double.PositiveInfinity;
        double maxAbs = 0;
        foreach (var x in w.Weights) { if (!double.IsFinite(x)) return double.PositiveInfinity; maxAbs = Math.Max(maxAbs, Math.Abs(x)); }
        if (maxAbs == 0) return 0;
        // W·2^-e has entries of magnitude < 2 (exact scaling: only subnormal results could round, and they are
        // below every entry's relevance; they are enclosed outward by the interval entries below).
        int e = Math.ILogB(maxAbs);
        bool gramOfColumns = nIn <= m;             // G = WᵀW (nIn×nIn) or WWᵀ (m×m)
        var lo = new double[n * n]; var hi = new double[n * n];
        int inner = gramOfColumns ? m : nIn;
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double sl = 0, sh = 0;
                for (int k = 0; k < inner; k++)
                {
                    double x = gramOfColumns ? w.Weights[k * nIn + a] : w.Weights[a * nIn + k];
                    double y = gramOfColumns ? w.Weights[k * nIn + b] : w.Weights[b * nIn + k];
                    if (x == 0 || y == 0) continue;
                    var (xl, xh) = Scaled(x, -e); var (yl, yh) = Scaled(y, -e);
                    sl = Rounding.AddDown(sl, Rounding.ProductDown(xl, xh, yl, yh));
                    sh = Rounding.AddUp(sh, Rounding.ProductUp(xl, xh, yl, yh));
                }
                lo[a * n + b] = lo[b * n + a] = sl; hi[a * n + b] = hi[b * n + a] = sh;
            }
        // G^p ⊆ [lo, hi]·2^exp; ‖W‖₂² = λ_max(G)·2^(2e).
        long exp = 0;
        var nlo = new double[n * n]; var nhi = new double[n * n];
        for (int s = 0; s < Squarings; s++)
        {
            Square(lo, hi, nlo, nhi, n);
            (lo, nlo) = (nlo, lo); (hi, nhi) = (nhi, hi);
            exp *= 2;
            double mx = 0;
            for (int q = 0; q < lo.Length; q++) mx = Math.Max(mx, Math.Max(Math.Abs(lo[q]), Math.Abs(hi[q])));
            if (mx == 0) return 0;
            if (!double.IsFinite(mx)) return double.PositiveInfinity;
            int f = Math.ILogB(mx);
            for (int q = 0; q < lo.Length; q++) { lo[q] = Scaled(lo[q], -f).Lo; hi[q] = Scaled(hi[q], -f).Hi; }
            exp += f;
        }
        // ‖G^p‖_F ≤ F·2^exp.
        double F = 0;
        for (int q = 0; q < lo.Length; q++)
        {
            double mag = Math.Max(Math.Abs(lo[q]), Math.Abs(hi[q]));
            F = Rounding.AddUp(F, Rounding.MulUp(mag, mag));
        }
        F = Rounding.SqrtUp(F);
        // λ_max(G) ≤ (F·2^exp)^(1/p), and ‖W‖₂ = √λ_max(G)·2^e: Squarings + 1 square roots in all.
        for (int s = 0; s <= Squarings; s++)
        {
            long half = exp >= 0 ? exp / 2 : -((-exp + 1) / 2);   // floor(exp / 2)
            F = Rounding.SqrtUp(Scaled(F, (int)(exp - 2 * half)).Hi);
            exp = half;
        }
        return Scaled(Scaled(F, (int)exp).Hi, e).Hi;
    }

    /// <summary>[lo, hi]·[lo, hi] of a symmetric interval matrix (the result is symmetric: upper triangle mirrored).</summary>
    private static void Square(double[] lo, double[] hi, double[] rlo, double[] rhi, int n)
    {
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double sl = 0, sh = 0;
                for (int k = 0; k < n; k++)
                {
                    double al = lo[a * n + k], ah = hi[a * n + k], bl = lo[k * n + b], bh = hi[k * n + b];
                    if (al == 0 && ah == 0 || bl == 0 && bh == 0) continue;
                    sl = Rounding.AddDown(sl, Rounding.ProductDown(al, ah, bl, bh));
                    sh = Rounding.AddUp(sh, Rounding.ProductUp(al, ah, bl, bh));
                }
                rlo[a * n + b] = rlo[b * n + a] = sl; rhi[a * n + b] = rhi[b * n + a] = sh;
            }
    }

    /// <summary>x·2^k enclosed: exact unless the result is subnormal or overflows, then widened by an ulp.</summary>
    private static (double Lo, double Hi) Scaled(double x, int k)
    {
        double y = Math.ScaleB(x, k);
        if (y == 0 && x != 0) return (x > 0 ? 0 : -double.Epsilon, x > 0 ? double.Epsilon : 0);
        if (Math.Abs(y) < 2.2250738585072014E-308 || double.IsInfinity(y)) return (Rounding.Down(y), Rounding.Up(y));
        return (y, y);
    }
}
