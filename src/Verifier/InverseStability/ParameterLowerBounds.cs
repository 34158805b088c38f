using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// Certified lower bounds of inf { ‖Φ − Γ‖∞ : Φ of Γ's architecture, R(Φ) = g on [lo, hi] } (ℓ∞ over all weights and
/// biases, any neuron order). Each bound states the premise it needs about g; callers check the premise exactly.
/// Ignoring some coordinates (c, d) in a bound only makes it smaller, hence still sound.
/// </summary>
public static class ParameterLowerBounds
{
    /// <summary>
    /// Kink lemma. If g has a nonzero slope jump at an interior p, then R(Φ)'s slope jump at p is Σ c_i|a_i| over the
    /// neurons whose kink −b_i/a_i equals p, so at least one such neuron exists: a ≠ 0 and b = −p·a. Whatever Γ
    /// neuron (α, β) it is matched with, ‖Φ − Γ‖∞ ≥ max(|a − α|, |p·a + β|) ≥ min_a of that. The minimum of the max of
    /// two V-shaped functions of a lies at a vertex (a = α or a = −β/p) or where they cross
    /// (a = (α+β)/(1−p) or a = (α−β)/(1+p)), so evaluating there is exact.
    /// </summary>
    public static Rational KinkBound(ShallowNet1D gamma, Rational p)
    {
        Rational? best = null;
        foreach (var n in gamma.Neurons)
        {
            var (alpha, beta) = (n.A, n.B);
            var candidates = new List<Rational> { alpha };
            if (!p.IsZero) candidates.Add(-beta / p);
            if (p != Rational.One) candidates.Add((alpha + beta) / (Rational.One - p));
            if (p != -Rational.One) candidates.Add((alpha - beta) / (Rational.One + p));
            foreach (var a in candidates)
            {
                var v = Rational.Max(Rational.Abs(a - alpha), Rational.Abs(p * a + beta));
                if (best is null || v < best.Value) best = v;
            }
        }
        return best ?? Rational.Zero;
    }

    /// <summary>
    /// Width-one lemma. With one neuron, the only kink of R(Φ) carries the whole jump J of g: |c·a| = |J|. If Γ's
    /// neuron has a = c = 0 then max(|a|, |c|) ≥ √|J|. Returns a rational s ≤ √|J| (exact when |J| is a square).
    /// </summary>
    public static Rational SingleNeuronFromZeroBound(ShallowNet1D gamma, Rational jump)
    {
        if (gamma.Width != 1 || !gamma.Neurons[0].A.IsZero || !gamma.Neurons[0].C.IsZero)
            throw new ArgumentException("the width-one lemma needs Γ = one neuron with a = c = 0");
        var j = Rational.Abs(jump);
        var s = Rational.FromDouble(Math.Sqrt(j.ToDouble()));
        if (s * s <= j) return s;
        var down = Rational.FromDouble(Math.BitDecrement(Math.Sqrt(j.ToDouble())) * (1 - 1e-12));
        return down * down <= j ? down : Rational.Zero;
    }

    /// <summary>
    /// Orientation lemma. With one neuron and g constant right of its only kink p but not left of it, the neuron must
    /// be active exactly on the left, i.e. a &lt; 0. Against Γ's neuron weight α ≥ 0 this gives |a − α| &gt; α.
    /// </summary>
    public static Rational LeftActiveBound(ShallowNet1D gamma) =>
        gamma.Width == 1 ? Rational.Max(gamma.Neurons[0].A, Rational.Zero)
                         : throw new ArgumentException("the orientation lemma is for width one");
}
