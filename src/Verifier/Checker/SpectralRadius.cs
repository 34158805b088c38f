using System.Numerics;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Whether a norm ball's recorded radius r is at least ratio·‖W‖ (r, ratio ≥ 0), decided exactly. Frobenius:
/// r² ≥ ratio²·‖W‖_F². Spectral: the same test (‖W‖₂ ≤ ‖W‖_F), else r² ≥ ratio²·‖W‖₁‖W‖∞ (‖W‖₂² ≤ ‖W‖₁‖W‖∞), else
/// λ_max(G) &lt; (r/ratio)² for the Gram matrix G = WᵀW or WWᵀ (the smaller; λ_max(G) = ‖W‖₂²): r²·I − ratio²·G
/// positive definite, by Sylvester's criterion (every leading principal minor &gt; 0, the minors from fraction-free
/// Bareiss elimination on integers, after a rounding to a grid whose error is accounted for exactly). The engine's
/// spectral radius is a nearly tight upper bound (Specs/GramPowerBound), so that matrix is positive definite with room
/// to spare. Every comparison is exact.
/// </summary>
internal static class SpectralRadius
{
    public static bool Encloses(Rational r, Rational ratio, DenseLayer w, bool frobeniusOnly)
    {
        var rr = r * r; var qq = ratio * ratio;
        int m = w.Outputs, n = w.Inputs;
        var x = w.Weights.ToArray().Select(Rational.FromDouble).ToArray();
        Rational fro = Rational.Zero;
        foreach (var v in x) fro += v * v;
        if (rr >= qq * fro) return true;
        if (frobeniusOnly) return false;
        Rational rowMax = Rational.Zero, colMax = Rational.Zero;
        for (int i = 0; i < m; i++)
        {
            Rational s = Rational.Zero;
            for (int j = 0; j < n; j++) s += Rational.Abs(x[i * n + j]);
            rowMax = Rational.Max(rowMax, s);
        }
        for (int j = 0; j < n; j++)
        {
            Rational s = Rational.Zero;
            for (int i = 0; i < m; i++) s += Rational.Abs(x[i * n + j]);
            colMax = Rational.Max(colMax, s);
        }
        if (rr >= qq * rowMax * colMax) return true;
        // A finer grid only when the coarse one leaves too little room (an engine radius within ~n·2^-62 of ‖W‖₂).
        var a = GramShifted(x, m, n, rr, qq);
        return PositiveDefinite(a, 62) || PositiveDefinite(a, 200);
    }

    /// <summary>r²·I − ratio²·G as rationals, G the Gram matrix of the smaller side (its sums in exact dyadic numbers).</summary>
    private static Rational[,] GramShifted(Rational[] x, int m, int n, Rational rr, Rational qq)
    {
        bool columns = n <= m; // G = WᵀW (n×n), else WWᵀ (m×m)
        int size = columns ? n : m, inner = columns ? m : n;
        var d = Dyadic.Of(x);
        var a = new Rational[size, size];
        for (int p = 0; p < size; p++)
            for (int q = p; q < size; q++)
            {
                var g = Dyadic.Zero;
                for (int k = 0; k < inner; k++)
                    g += columns ? d[k * n + p] * d[k * n + q] : d[p * n + k] * d[q * n + k];
                a[p, q] = a[q, p] = (p == q ? rr : Rational.Zero) - qq * g.ToRational();
            }
        return a;
    }

    /// <summary>
    /// Sylvester's criterion on a symmetric rational matrix A, on a grid: A rounded toward zero to multiples of 2^-e
    /// (e puts the largest entry near 2^bits) moves each entry by less than 2^-e, so the error E has
    /// ‖E‖₂ ≤ ‖E‖_F ≤ n·2^-e and A ⪰ (A − E) − n·2^-e·I (Weyl): if the integer matrix 2^e·(A − E) − n·I is positive
    /// definite, A is. Its leading principal minors are the pivots of fraction-free Bareiss elimination, with about 62·k
    /// bits instead of the exact entries' hundreds (a 128 × 128 Gram matrix took a minute exactly); the room the engine's
    /// radius leaves is far above the grid's n·2^-62 of the largest entry.
    /// </summary>
    private static bool PositiveDefinite(Rational[,] m, int bits)
    {
        int n = m.GetLength(0);
        long top = long.MinValue;
        foreach (var v in m)
            if (!v.IsZero) top = Math.Max(top, (long)v.Numerator.GetBitLength() - (long)v.Denominator.GetBitLength() + 1); // |v| < 2^top
        if (top == long.MinValue) return false;
        int e = (int)Math.Clamp(bits - top, int.MinValue / 2, int.MaxValue / 2);
        var a = new BigInteger[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var v = m[i, j];
                a[i, j] = e >= 0 ? (v.Numerator << e) / v.Denominator : v.Numerator / (v.Denominator << -e); // truncated: |error| < 1
                if (i == j) a[i, j] -= n;
            }
        BigInteger prev = BigInteger.One;
        for (int k = 0; k < n; k++)
        {
            if (a[k, k].Sign <= 0) return false;
            for (int i = k + 1; i < n; i++)
                for (int j = i; j < n; j++)
                    a[i, j] = a[j, i] = (a[i, j] * a[k, k] - a[i, k] * a[k, j]) / prev; // exact (Bareiss)
            prev = a[k, k];
        }
        return true;
    }
}
