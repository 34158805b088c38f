using System.Numerics;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Whether a norm ball's recorded radius r is at least ratio·‖W‖ (r, ratio ≥ 0), decided exactly. Frobenius:
/// r² ≥ ratio²·‖W‖_F². Spectral: the same test (‖W‖₂ ≤ ‖W‖_F), else r² ≥ ratio²·‖W‖₁‖W‖∞ (‖W‖₂² ≤ ‖W‖₁‖W‖∞), else
/// λ_max(G) &lt; (r/ratio)² for the Gram matrix G = WᵀW or WWᵀ (the smaller; λ_max(G) = ‖W‖₂²): r²·I − ratio²·G
/// positive definite, by Sylvester's criterion (every leading principal minor &gt; 0, the minors from fraction-free
/// Bareiss elimination on integers). The engine's spectral radius is a nearly tight upper bound (Specs/GramPowerBound),
/// so that matrix is positive definite with room to spare. Nothing here is rounded.
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
        return PositiveDefinite(GramShifted(x, m, n, rr, qq));
    }

    /// <summary>r²·I − ratio²·G as rationals, G the Gram matrix of the smaller side.</summary>
    private static Rational[,] GramShifted(Rational[] x, int m, int n, Rational rr, Rational qq)
    {
        bool columns = n <= m; // G = WᵀW (n×n), else WWᵀ (m×m)
        int size = columns ? n : m, inner = columns ? m : n;
        var a = new Rational[size, size];
        for (int p = 0; p < size; p++)
            for (int q = p; q < size; q++)
            {
                Rational g = Rational.Zero;
                for (int k = 0; k < inner; k++)
                    g += columns ? x[k * n + p] * x[k * n + q] : x[p * n + k] * x[q * n + k];
                a[p, q] = a[q, p] = (p == q ? rr : Rational.Zero) - qq * g;
            }
        return a;
    }

    /// <summary>Sylvester's criterion on a symmetric rational matrix: scaled to integers (a positive factor keeps the
    /// signs of the minors), then Bareiss elimination, whose k-th pivot is the k-th leading principal minor.</summary>
    private static bool PositiveDefinite(Rational[,] m)
    {
        int n = m.GetLength(0);
        BigInteger lcm = BigInteger.One;
        foreach (var v in m) lcm = lcm / BigInteger.GreatestCommonDivisor(lcm, v.Denominator) * v.Denominator;
        var a = new BigInteger[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i, j] = m[i, j].Numerator * (lcm / m[i, j].Denominator);
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
