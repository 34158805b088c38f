namespace Verify.Intervals;

/// <summary>
/// One a-priori rounding-error bound for a whole fused dot product, instead of one outward step per
/// operation.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> u = 2^-53, η = 2^-1074 (smallest subnormal). Every round-to-nearest operation
/// satisfies fl(x ∘ y) = (x ∘ y)(1 + δ) + ε with |δ| ≤ u, |ε| ≤ η/2 and δε = 0; for + and − we even have ε = 0
/// (a sum that underflows is exact). A fused multiply-add rounds once.</para>
/// <para><b>Order independence.</b> The kernels (<see cref="DotKernels"/>) add the N terms in a vectorised order
/// (several lane accumulators, then a horizontal sum, then a scalar tail). Any such evaluation is a binary
/// tree whose leaves are the N products: a tree with N leaves has N − 1 inner nodes, so a product passes
/// through at most N − 1 additions plus its own multiplication (or it is fused with its first addition):
/// at most N roundings. Additions of an exact zero (fresh accumulators) do not round. Hence, as in Higham,
/// <i>Accuracy and Stability of Numerical Algorithms</i>, §3.1, for the computed c̃ of C = Σ t_i:
/// <c>|c̃ − C| ≤ γ_N·S + N·η</c>, where S = Σ |t_i| and γ_N = N·u/(1 − N·u); the N·η term bounds the at
/// most N product/FMA underflow errors η/2, each magnified by at most (1 + u)^N ≤ 2 (we require N·u ≤ 1/4).</para>
/// <para><b>Computed S.</b> S itself is only known as a computed s̃ = fl(Σ|t_i|), with the same bound, so
/// S ≤ (s̃ + Nη)/(1 − γ_N). Likewise a computed radius sum r̃ of non-negative terms bounds its exact value R
/// by (r̃ + Nη)/(1 − γ_N). With g = γ_N/(1 − γ_N) = N·u/(1 − 2N·u), 1/(1 − γ_N) = 1 + g, and the exact
/// result C ± R lies in <c>c̃ ± ρ</c> for
/// <c>ρ = R + γ_N·S + Nη ≤ r̃ + g·(r̃ + s̃) + Nη·(2 + 2g)</c>.</para>
/// <para><b>Rounding the bound upward.</b> ρ is evaluated in round-to-nearest as
/// <c>ρ̃ = fl(fl(r̃·A) + fl(fl(s̃·B) + E))</c> with constants computed once by directed operations:
/// A ≥ (1 + g)/(1 − u)², B ≥ g/(1 − u)³, E ≥ (Nη(2 + 2g) + 2η)/(1 − u)². Each of the four operations loses at
/// most a factor (1 − u) and the two multiplications at most η/2 each, so
/// ρ̃ ≥ r̃(1 + g) + s̃·g + Nη(2 + 2g) + 2η − η ≥ ρ (all terms are non-negative). If the hardware or JIT fuses
/// any of these operations the bound only improves. The final endpoints c̃ ± ρ̃ are computed in
/// round-to-nearest and stepped one ulp outward.</para>
/// <para><b>Overflow.</b> If any partial sum overflows, c̃ or ρ̃ is ±∞ or NaN; callers then return an
/// unbounded result, never a finite wrong one.</para>
/// <para><b>Tightness.</b> The width added to the exact result is at most 2ρ̃ + 2 ulp(|c̃| + ρ̃), i.e. about
/// 2N·u·(R + S) relative to the magnitude of the terms.</para>
/// </remarks>
internal readonly struct DotErrorBound
{
    private const double U = 1.1102230246251565E-16; // 2^-53
    private const double Eta = double.Epsilon;        // 2^-1074

    private readonly double _a, _b, _e;

    /// <summary>The bound for sums of at most <paramref name="terms"/> products.</summary>
    public DotErrorBound(long terms)
    {
        if (terms < 1) terms = 1;
        if (terms > 1L << 50) throw new ArgumentOutOfRangeException(nameof(terms), "Dot product too long for the a-priori bound.");
        double n = terms;                 // exact: terms < 2^53
        double nu = n * U;                // exact: power-of-two scaling, no underflow
        double g = Rounding.DivUp(nu, Rounding.SubDown(1.0, 2 * nu));
        double omu = 1.0 - U;             // exactly 1 − 2^-53, a double
        double omu2 = Rounding.MulDown(omu, omu);
        double omu3 = Rounding.MulDown(omu2, omu);
        double nEta = n * Eta;            // exact: a subnormal multiple of η below 2^-1022
        _a = Rounding.DivUp(Rounding.AddUp(1.0, g), omu2);
        _b = Rounding.DivUp(g, omu3);
        double under = Rounding.MulUp(nEta, Rounding.AddUp(2.0, Rounding.MulUp(2.0, g)));
        _e = Rounding.DivUp(Rounding.AddUp(under, 2 * Eta), omu2);
    }

    /// <summary>An upper bound on |exact − c̃| + R, given the computed radius sum r̃ and absolute sum s̃.</summary>
    public double Radius(double r, double s) => r * _a + (s * _b + _e);

    /// <summary>Endpoints enclosing every C ± R consistent with the computed sums; unbounded on overflow.</summary>
    public void Enclose(double c, double r, double s, out double lo, out double hi)
    {
        double rho = Radius(r, s);
        if (double.IsFinite(c) && double.IsFinite(rho))
        {
            lo = Rounding.Down(c - rho);
            hi = Rounding.Up(c + rho);
        }
        else
        {
            lo = double.NegativeInfinity;
            hi = double.PositiveInfinity;
        }
    }
}
