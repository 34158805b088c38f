using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// The bilinear term dᵀ δW h′ when δW ranges over a norm ball ‖δW‖ ≤ r (Frobenius or spectral) instead of a box.
/// Its supremum is the dual norm: sup dᵀ δW h′ = r‖d‖₂‖h′‖₂ for both norms, reached by the rank-one
/// δW = r·d h′ᵀ/(‖d‖‖h′‖) (whose Frobenius and spectral norms coincide). A row of δW has 2-norm ≤ r, so
/// |(δW h′)_i| ≤ r‖h′‖₂ (interval propagation). Over a box of h′ the convex ‖h′‖₂ is bounded by a LINEAR function
/// (<see cref="LinearUpper"/>) so the backward pass can carry it to the layers below. Every result rounds upward.
/// </summary>
public static class BallBilinearTerm
{
    /// <summary>
    /// Coefficients a (into <paramref name="coef"/>) and returned constant c with R‖h‖₂ ≤ Σ_j a_j h_j + c for every h in
    /// [lo, hi] (R ≥ 0), in exact arithmetic. With q ≥ max‖h‖₂ over the box (s₀ = q²): √s ≤ q/2 + s/(2q) (tangent of √
    /// at s₀) and h_j² ≤ (l_j+u_j) h_j − l_j u_j (chord of h_j² on [l_j, u_j]), so
    /// ‖h‖₂ ≤ q/2 + Σ_j ((l_j+u_j) h_j − l_j u_j)/(2q). This q makes the form ≤ q on the whole box (never above the
    /// constant bound R·max‖h‖) and exact at a point box. The floating-point a_j differ from the exact R(l_j+u_j)/(2q)
    /// by at most e_j (from directed enclosures); Σ e_j·mag(h_j) is added to c.
    /// </summary>
    public static double LinearUpper(double R, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> coef)
    {
        coef.Clear();
        double q = EuclideanNorm.MaxOverBox(lo, hi);
        if (R == 0 || q == 0) return 0;          // R = 0, or h = 0 on the whole box: the term is 0
        if (!(q < double.MaxValue / 4) || !double.IsFinite(R)) return double.PositiveInfinity;
        double twoQ = Rounding.MulUp(2, q);      // exact (a power-of-two scaling) unless it overflows
        double tLo = Rounding.DivDown(R, twoQ), tHi = Rounding.DivUp(R, twoQ), t = R / twoQ;
        double c = Rounding.MulUp(Rounding.DivUp(q, 2), R);
        double pLo = 0, pHi = 0, slack = 0;
        for (int j = 0; j < lo.Length; j++)
        {
            double l = lo[j], u = hi[j];
            pLo = Rounding.AddDown(pLo, Rounding.MulDown(l, u));
            pHi = Rounding.AddUp(pHi, Rounding.MulUp(l, u));
            double sLo = Rounding.AddDown(l, u), sHi = Rounding.AddUp(l, u);
            double a = (l + u) * t;
            double aLo = Rounding.ProductDown(sLo, sHi, tLo, tHi), aHi = Rounding.ProductUp(sLo, sHi, tLo, tHi);
            double e = Math.Max(Rounding.SubUp(a, aLo), Rounding.SubUp(aHi, a));
            if (e > 0) slack = Rounding.AddUp(slack, Rounding.MulUp(e, Math.Max(Math.Abs(l), Math.Abs(u))));
            coef[j] = a;
        }
        // − t·Σ l_j u_j, with t ∈ [tLo, tHi] and the sum in [pLo, pHi].
        c = Rounding.AddUp(c, Rounding.ProductUp(tLo, tHi, -pHi, -pLo));
        return Rounding.AddUp(c, slack);
    }

    /// <summary>An upper bound of r·‖d‖₂ (the multiplier R of ‖h′‖₂).</summary>
    public static double Multiplier(double radius, ReadOnlySpan<double> d) => Rounding.MulUp(radius, EuclideanNorm.Upper(d));
}

/// <summary>How the linear bounder bounds ‖h′‖₂ in a norm ball's term r‖d‖₂‖h′‖₂ over the box of h′.</summary>
public enum BallNormBound
{
    /// <summary>The tangent-and-chord linear upper bound, carried down to the layers below (default).</summary>
    Linear,
    /// <summary>The constant max‖h′‖₂ over the box.</summary>
    Constant,
}
