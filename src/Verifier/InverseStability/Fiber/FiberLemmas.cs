using Verify.Intervals;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// Exact lower bounds of the fiber distance for bias-free shallow networks with scalar output (the paper's N_(d,m,1)),
/// from the kink decomposition g = Σ_l J_l ρ(⟨n_l, x⟩) + ⟨w, x⟩ of g = R(Θ). Equality on a neighbourhood of the origin
/// is equality everywhere (positive homogeneity), so the bounds hold for any domain U containing the origin inside.
/// <list type="bullet">
/// <item><b>Kink-line lemma.</b> g is not differentiable on a kink line, so every Φ with R(Φ) = g has a neuron with
/// a = t·n_l, t ≠ 0. Whichever Γ neuron i it is compared with, ‖Φ − Γ‖∞ ≥ inf_t ‖t n_l − a_i‖∞. Taking the least Γ
/// neuron and the worst line gives a bound.</item>
/// <item><b>Rigid lemma.</b> When g has as many kink lines as Φ has neurons, every neuron of Φ sits alone on one line:
/// φ_j = t_j n_l with c′_j|t_j| = J_l, and the lines with t_j &lt; 0 (set S) must produce the linear part:
/// Σ_{l∈S} J_l n_l = −w. The bound is the least, over the admissible S and the bijections lines → Γ neurons, of the
/// largest cost, where the cost of a line against a Γ neuron is inf over t of the right sign of ‖t n_l − a_i‖∞, or,
/// against a zero Γ neuron, √(|J_l|·‖n_l‖∞) (max(|c′|, ‖t n_l‖∞) with |c′|·‖t n_l‖∞ = |J_l|‖n_l‖∞), rounded down.</item>
/// </list>
/// inf_t ‖t n − a‖∞ over a closed interval of t is a convex piecewise-linear minimum, attained at an end of the
/// interval, a zero of one |t n_k − a_k| or a crossing of two of them: all candidates are evaluated exactly.
/// </summary>
public static class FiberLemmas
{
    /// <summary>Bijections are enumerated up to this width (m! · 2^m candidates).</summary>
    public const int MaxRigidWidth = 6;

    public static FiberLemmaBound LowerBound(ExactNet gamma, ExactNet theta)
    {
        if (!ShallowNeurons.IsBiasFreeShallow(gamma) || !ShallowNeurons.IsBiasFreeShallow(theta) || gamma.OutputSize != 1 || theta.OutputSize != 1
            || gamma.InputSize != theta.InputSize)
            return new(Rational.Zero, "no lemma: the lemmas are for bias-free shallow networks with scalar output");
        var g = KinkDecomposition.Of(theta);
        var neurons = ShallowNeurons.Of(gamma);
        var best = new FiberLemmaBound(Rational.Zero, "no lemma applies (g has no kink)");
        foreach (var line in g.Lines)
        {
            var v = neurons.Select(n => LineDistance(line.Normal, n.A, null)).Aggregate(Min);
            if (v > best.Value)
                best = new(v, $"kink-line lemma: every parametrization needs a neuron on ⟨({Text(line.Normal)}), x⟩ = 0, at ℓ∞ distance ≥ {RationalText.Short(v)} from every Γ neuron");
        }
        if (g.Lines.Count == neurons.Count && neurons.Count <= MaxRigidWidth && neurons.Count > 0)
        {
            var v = Rigid(g, neurons);
            if (v > best.Value)
                best = new(v, $"rigid lemma: {g.Lines.Count} kink lines for {neurons.Count} neurons, one neuron per line; least largest cost over the admissible orientations and assignments = {RationalText.Short(v)}");
        }
        return best;
    }

    private static Rational Min(Rational a, Rational b) => Rational.Min(a, b);

    private static Rational Rigid(KinkDecomposition g, IReadOnlyList<ShallowNeuron> gamma)
    {
        int m = gamma.Count, d = g.Linear.Length;
        var admissible = new List<int>();
        for (int mask = 0; mask < 1 << m; mask++)
        {
            var sum = new Rational[d];
            Array.Fill(sum, Rational.Zero);
            for (int l = 0; l < m; l++)
                if ((mask >> l & 1) == 1)
                    for (int k = 0; k < d; k++) sum[k] += g.Lines[l].Jump * g.Lines[l].Normal[k];
            if (sum.Select((v, k) => v + g.Linear[k]).All(v => v.IsZero)) admissible.Add(mask);
        }
        if (admissible.Count == 0) throw new InvalidOperationException("no orientation reproduces the linear part, yet Θ itself does");
        // cost[l, sign, i]
        var cost = new Rational[m, 2, m];
        for (int l = 0; l < m; l++)
            for (int s = 0; s < 2; s++)
                for (int i = 0; i < m; i++)
                    cost[l, s, i] = gamma[i].IsZero
                        ? SqrtDown(Rational.Abs(g.Lines[l].Jump) * ShallowNeurons.MaxAbs(g.Lines[l].Normal))
                        : LineDistance(g.Lines[l].Normal, gamma[i].A, s == 0 ? 1 : -1);
        Rational? best = null;
        foreach (var mask in admissible)
            foreach (var perm in ShallowNeurons.Permutations(m))
            {
                var worst = Rational.Zero;
                for (int l = 0; l < m; l++) worst = Rational.Max(worst, cost[l, mask >> l & 1, perm[l]]);
                if (best is null || worst < best) best = worst;
            }
        return best!.Value;
    }

    /// <summary>inf ‖t n − a‖∞ over t ∈ ℝ (sign null), t ≥ 0 (sign +1) or t ≤ 0 (sign −1). Exact.</summary>
    public static Rational LineDistance(Rational[] n, Rational[] a, int? sign)
    {
        var candidates = new List<Rational> { Rational.Zero };
        for (int k = 0; k < n.Length; k++)
        {
            if (!n[k].IsZero) candidates.Add(a[k] / n[k]);
            for (int l = k + 1; l < n.Length; l++)
            {
                if (n[k] != n[l]) candidates.Add((a[k] - a[l]) / (n[k] - n[l]));
                if (n[k] != -n[l]) candidates.Add((a[k] + a[l]) / (n[k] + n[l]));
            }
        }
        Rational? best = null;
        foreach (var t in candidates)
        {
            if (sign is { } s && t.Sign * s < 0) continue;
            var v = ShallowNeurons.MaxAbs(n.Select((x, k) => t * x - a[k]));
            if (best is null || v < best) best = v;
        }
        return best!.Value;
    }

    /// <summary>√q rounded down to a rational: exact for squares of rationals, else the low end of the outward interval root.</summary>
    public static Rational SqrtDown(Rational q)
    {
        if (q.Sign <= 0) return Rational.Zero;
        var p = IntegerSqrt(q.Numerator); var r = IntegerSqrt(q.Denominator);
        if (p * p == q.Numerator && r * r == q.Denominator) return new Rational(p, r);
        return Rational.FromDouble(Math.Max(0, q.ToInterval().Sqrt().Lo));
    }

    private static System.Numerics.BigInteger IntegerSqrt(System.Numerics.BigInteger n)
    {
        if (n.IsZero) return n;
        var x = (System.Numerics.BigInteger)Math.Sqrt((double)n);
        while (x * x > n) x--;
        while ((x + 1) * (x + 1) <= n) x++;
        return x;
    }

    private static string Text(Rational[] v) => string.Join(", ", v.Select(RationalText.Short));

}
