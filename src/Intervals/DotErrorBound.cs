namespace Verify.Intervals;

/// <summary>
/// The one a-priori error model for floating-point sums of products that are computed in round-to-nearest and
/// corrected afterwards (the coefficients of the linear bounds, see Verify.Bounds.LinearDifferenceBounder).
/// </summary>
/// <remarks>
/// <para><b>Model.</b> u = 2⁻⁵³, η = 2⁻¹⁰⁷⁴. Every round-to-nearest operation satisfies fl(x ∘ y) = (x ∘ y)(1 + δ) + ε with
/// |δ| ≤ u, |ε| ≤ η/2 (ε = 0 for + and −). In any summation order a product passes through at most n roundings, so the
/// computed c̃ of c = Σ_i t_i satisfies |c̃ − c| ≤ γ_n·Σ|t_i| + n·η with γ_n = n·u/(1 − n·u) (Higham, <i>Accuracy and
/// Stability of Numerical Algorithms</i>, §3.1).</para>
/// <para><b>Computed error sums.</b> The caller only has a computed s̃ = fl(Σ|t_i|·m_i) (m_i a rigorous magnitude of the
/// variable the coefficient multiplies), itself off by the same factor. <see cref="Gamma"/>(n) = 2·(n + 2)·u·(1 + 10⁻⁷)
/// is at least twice γ_{n+2} for every n up to <see cref="MaxTerms"/> (9·10⁸), which covers γ_n plus the relative error of s̃ and of the final
/// multiplication; the caller rounds the product γ·s̃ upward and adds <see cref="Underflow"/>, which covers the
/// absolute (subnormal) errors n·η of any sum shorter than 10²⁰ terms.</para>
/// </remarks>
public static class DotErrorBound
{
    /// <summary>The longest sum the factor covers: 2·γ_{n+2} ≤ 2·(n+2)·u·(1 + 10⁻⁷) needs (n+2)·u ≤ 1 − 1/(1 + 10⁻⁷).</summary>
    public const int MaxTerms = 900_000_000;

    /// <summary>Error factor for a computed error sum of n products: 2·(n+2)·u, enlarged by 10⁻⁷.</summary>
    public static double Gamma(int n) =>
        n <= MaxTerms ? (n + 2) * 2.220446049250313e-16 * 1.0000001 // 2.22e-16 = 2⁻⁵²
                      : throw new ArgumentOutOfRangeException(nameof(n), $"sum of {n} products too long for the error model");

    /// <summary>Absolute slack per accumulated error sum, covering underflow (each subnormal rounding is ≤ 2⁻¹⁰⁷⁵).</summary>
    public const double Underflow = 1e-290;

    /// <summary>An upper bound of the exact Σ t_i of n products from the round-to-nearest sum <paramref name="sum"/> of
    /// their computed values and the computed sum <paramref name="magnitudes"/> of their absolute values:
    /// sum + Gamma(n)·magnitudes + Underflow, rounded upward. For non-negative terms pass the sum twice.</summary>
    public static double Upper(double sum, double magnitudes, int n) =>
        Rounding.AddUp(sum, Rounding.AddUp(Rounding.MulUp(Gamma(n), magnitudes), Underflow));

    /// <summary>A lower bound of the exact Σ t_i, as <see cref="Upper"/>.</summary>
    public static double Lower(double sum, double magnitudes, int n) =>
        Rounding.SubDown(sum, Rounding.AddUp(Rounding.MulUp(Gamma(n), magnitudes), Underflow));
}
