using Verify.Intervals;

namespace Verify.Checker;

/// <summary>
/// The bilinear term δW·h′ on a norm ball's layer (‖δW‖₂ ≤ r: <see cref="ExactParameters.Ball"/>), bounded through the
/// dual norm, re-derived here: dᵀδW h′ ≤ ‖d‖₂‖δW h′‖₂ ≤ r‖d‖₂‖h′‖₂, and every row of δW has 2-norm ≤ r, so
/// |(δW h′)_i| ≤ r‖h′‖₂. No square root is taken exactly: an upper bound ρ of ‖v‖₂ is a double checked to satisfy
/// ρ² ≥ Σ v_i² in exact arithmetic. For the backward passes ‖h′‖₂ is bounded by a LINEAR function over the box [l, u]
/// of h′: for any q &gt; 0, √s ≤ q/2 + s/(2q) (as (√s − q)² ≥ 0), and h_j² ≤ (l_j + u_j)·h_j − l_j·u_j on [l_j, u_j]
/// (the chord of a convex function), whose sum S(h′) ≥ ‖h′‖₂² ≥ 0; so R‖h′‖₂ ≤ R·q/2 + t·S(h′) for every t ≥ R/(2q).
/// q is a double near max ‖h′‖₂ over the box (the tangent point: exact at a point box), t a dyadic number checked
/// ≥ R/(2q); both choices only affect tightness, never validity.
/// </summary>
internal static class BallTerm
{
    /// <summary>ρ ≥ 0 with ρ² ≥ s (s ≥ 0), a double within a few ulps of √s.</summary>
    public static Rational SqrtUpper(Rational s)
    {
        if (s.Sign <= 0) return Rational.Zero;
        double g = Math.Max(Math.Sqrt(s.ToDouble()), double.Epsilon);
        return Up(g, rho => rho * rho >= s);
    }

    /// <summary>r·ρ with ρ ≥ max ‖h′‖₂ over the box [lo, hi]: the bound of |(δW h′)_i| for interval propagation.</summary>
    public static Rational RowBound(Rational radius, Rational[] lo, Rational[] hi)
    {
        Rational s = Rational.Zero;
        for (int j = 0; j < lo.Length; j++) s += Rational.Max(lo[j] * lo[j], hi[j] * hi[j]);
        return radius * SqrtUpper(s);
    }

    /// <summary>
    /// An upper bound of sup over the ball of dᵀδW h′ for h′ in [lo, hi], as Σ_j coef_j·h′_j + the returned constant:
    /// R = r·ρ (ρ ≥ ‖d‖₂), then R‖h′‖₂ ≤ R·q/2 + t·Σ_j ((l_j + u_j)·h′_j − l_j·u_j).
    /// </summary>
    public static Dyadic Linear(Rational radius, Dyadic[] d, Dyadic[] lo, Dyadic[] hi, Dyadic[] coef)
    {
        Array.Clear(coef);
        var dd = Dyadic.Zero;
        foreach (var v in d) dd += v * v;
        if (dd.IsZero || radius.Sign == 0) return Dyadic.Zero;
        var R = Dyadic.Of(radius) * Dyadic.Of(SqrtUpper(dd.ToRational()));
        double qq = 0;
        bool zero = true;
        for (int j = 0; j < lo.Length; j++)
        {
            double a = Math.Max(Math.Abs(lo[j].ToDouble()), Math.Abs(hi[j].ToDouble()));
            qq += a * a;
            zero &= lo[j].IsZero && hi[j].IsZero;
        }
        if (zero) return Dyadic.Zero; // h′ = 0 on the whole box: the term is 0
        double q = Math.Max(Math.Sqrt(qq), 1e-300);
        if (!double.IsFinite(q)) throw new CheckFailure("a norm ball's ‖h′‖ is too large for the checker");
        var qd = Dyadic.Of(q);
        var twoQ = qd + qd;
        var Rr = R.ToRational(); var twoQr = twoQ.ToRational();
        var t = Dyadic.Of(Up(R.ToDouble() / (2 * q), v => v * twoQr >= Rr));
        var c = R * qd * Dyadic.Of(0.5);
        for (int j = 0; j < lo.Length; j++)
        {
            coef[j] = t * (lo[j] + hi[j]);
            c -= t * lo[j] * hi[j];
        }
        return c;
    }

    /// <summary>The first double from <paramref name="guess"/> upwards (ulp steps, then doubling) that passes
    /// <paramref name="enough"/>, as an exact rational.</summary>
    private static Rational Up(double guess, Func<Rational, bool> enough)
    {
        double g = guess > 0 && double.IsFinite(guess) ? guess : double.Epsilon;
        for (int step = 0; ; step++)
        {
            if (!double.IsFinite(g)) throw new CheckFailure("a norm ball's bound is too large for the checker");
            var v = Rational.FromDouble(g);
            if (enough(v)) return v;
            g = step < 16 ? Math.BitIncrement(g) : g * 2;
        }
    }
}
