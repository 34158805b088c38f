using Verify.Intervals;
using Verify.Results;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// Examples 2.1–2.5 of the paper exactly as printed, in its parameter space N_(d,m,1) (no biases,
/// R(Θ)(x) = Σ c_i ρ(⟨a_i, x⟩)), for k = 1, 2, …. The closed forms are derived in the comments and docs; the tool
/// recomputes every number (realization distance exactly, the parameter bound by <see cref="FiberLemmas"/>).
/// </summary>
public static class PaperExamples
{
    public static readonly string[] Ids = ["2.1", "2.2", "2.3", "2.4", "2.5"];

    /// <summary>r of Example 2.2 in Figure 2.</summary>
    public static readonly Rational DefaultR = new(1, 2);

    /// <summary>The double nearest to √2, used for √2 in Example 2.5 (Θ_k and Γ_k are exact rationals in it).</summary>
    public static readonly Rational Sqrt2 = Rational.FromDouble(Math.Sqrt(2));

    private static Rational Q(long p, long q = 1) => new(p, q);
    private static Rational[] V(params Rational[] v) => v;
    private static FiberDomain Cube(int d) => new(Enumerable.Repeat(-Rational.One, d).ToArray(), Enumerable.Repeat(Rational.One, d).ToArray());

    /// <summary>
    /// The entry point of `verify inverse-stability examples`: every example for k = 1..kMax (r for Example 2.2), each
    /// checked and evaluated by <see cref="ExampleReport.Evaluate"/>, with Γ and Θ as double networks for files.
    /// </summary>
    public static PaperExamplesResult Report(int kMax, Rational r, TimeSpan checkTimeout)
    {
        var rows = new List<PaperExampleRow>();
        var networks = new List<PaperExampleNetworks>();
        foreach (var id in Ids)
            for (int k = 1; k <= kMax; k++)
            {
                var e = Build(id, k, r);
                rows.AddRange(ExampleReport.Evaluate(e, checkTimeout).Select(row => new PaperExampleRow(e.Id, e.Title, e.K, e.Domain, row.Norm.Norm,
                    row.Realization.Value, row.Realization.Method, row.ParameterLower.Value, row.ParameterUpper, row.ParameterLower.Argument,
                    row.Norm.PaperStatement, e.PaperParameter, e.Note)));
                networks.Add(new PaperExampleNetworks(id, k, e.Gamma.ToNetwork($"Example {id} k={k} Gamma"),
                                                      e.Theta.ToNetwork($"Example {id} k={k} Theta (parametrization of g_k)")));
            }
        return new PaperExamplesResult(rows, networks);
    }

    public static PaperExample Build(string id, int k, Rational? r = null)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k ≥ 1");
        return id switch
        {
            "2.1" => ExplodingGradient(k),
            "2.2" => CompleteUnbalancedness(k, r ?? DefaultR),
            "2.3" => RedundantDirections(k),
            "2.4" => OppositeWeightVectors1(k),
            "2.5" => OppositeWeightVectors2(k),
            _ => throw new ArgumentException($"unknown example {id}"),
        };
    }

    // (22): Γ = 0 ∈ N_(2,2,1), g_k = kρ(⟨(k, 0), x⟩) − kρ(⟨(k, −1/k²), x⟩). g_k − 0 = k(ρ(u) − ρ(u − x₂/k²)) with
    // u = kx₁ has |·| ≤ |x₂|/k ≤ 1/k, reached as x₂ → ±1 with u ≥ |x₂|/k²: sup on (−1, 1)² is 1/k. The gradient is
    // (k², 0) where only the first neuron is active: semi-norm k². Two kink lines for two neurons: each neuron of Φ
    // carries one alone, |c|·‖a‖∞ = k², so ‖Φ‖∞ ≥ k (rigid lemma against the zero Γ), attained by Θ itself.
    private static PaperExample ExplodingGradient(int k)
    {
        Rational kk = k;
        var gamma = ShallowNeurons.Net([V(0, 0), V(0, 0)], [0, 0]);
        var theta = ShallowNeurons.Net([V(kk, 0), V(kk, -Rational.One / (kk * kk))], [kk, -kk]);
        return new("2.1", "failure due to exploding gradient", k, gamma, theta, theta, Cube(2),
            [new("sup", Rational.One / kk, "→ 0 (23)"), new("sobolev", kk * kk, "k², explodes")],
            kk, "→ ∞ (23)", "sup norm on (−1, 1)² as in (23)");
    }

    // (24): Γ = ((r, 0), 0) ∈ N_(2,1,1), g_k = (1/k)ρ(⟨(0, 1), x⟩) (the extracted text's "1/h" is 1/k). R(Γ) = 0, so the
    // semi-norm is 1/k. The single neuron of Φ must lie on the line x₂ = 0: a = (0, t), ‖a − (r, 0)‖∞ ≥ r.
    // Explicit Φ = ((0, r), 1/(kr)): distance max(r, 1/(kr)).
    private static PaperExample CompleteUnbalancedness(int k, Rational r)
    {
        if (r.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(r), "r > 0");
        Rational kk = k;
        var gamma = ShallowNeurons.Net([V(r, 0)], [0]);
        var theta = ShallowNeurons.Net([V(0, 1)], [Rational.One / kk]);
        var phi = ShallowNeurons.Net([V(0, r)], [Rational.One / (kk * r)]);
        return new("2.2", "failure due to complete unbalancedness", k, gamma, theta, phi, Cube(2),
            [new("sobolev", Rational.One / kk, "= 1/k (25)")], r, "≥ r (25)", $"r = {r}");
    }

    // (26)–(27): Γ = ([1 0; 1 0], (1, 1)) ∈ N_(2,2,1), g_k = 2ρ(⟨(1, 0), x⟩) + (1/k)ρ(⟨(0, 1), x⟩). R(Γ) = 2ρ(x₁), so
    // the difference is (1/k)ρ(x₂): semi-norm 1/k. Two kink lines for two neurons; the one on x₂ = 0 is compared with a
    // Γ neuron (1, 0): ‖(0, t) − (1, 0)‖∞ ≥ 1. Θ itself is at distance 1.
    private static PaperExample RedundantDirections(int k)
    {
        Rational kk = k;
        var gamma = ShallowNeurons.Net([V(1, 0), V(1, 0)], [1, 1]);
        var theta = ShallowNeurons.Net([V(1, 0), V(0, 1)], [2, Rational.One / kk]);
        return new("2.3", "failure due to redundant directions", k, gamma, theta, theta, Cube(2),
            [new("sobolev", Rational.One / kk, "= 1/k (28)")], 1, "≥ 1 (28)", "");
    }

    // (29)–(30) with Figure 4's instance a₁ = (1, −1/2), a₂ = (−1, −1/2), a₃ = (0, 1), v = (1, 0):
    // Γ = ([a₁|a₂|a₃|−a₁|−a₂|−a₃]ᵀ, (1, 1, 1, −1, −1, −1)) ∈ N_(2,6,1) realises Σ⟨a_i, x⟩ = 0, g_k = (1/k)ρ(x₁):
    // semi-norm 1/k. Θ as printed: the neuron (v, 1/k) and five zero neurons. C: some neuron of Φ lies on x₁ = 0,
    // a = (t, 0), and ‖(t, 0) − a‖∞ ≥ 1/2 for every direction ±a_i of Γ (kink-line lemma), so C = 1/2. Explicit Φ at
    // distance exactly 1/2 (so the fiber distance is 1/2 for every k): (1, 0), (−1, 0) with outgoing 1 + 1/(2k) and
    // −1 + 1/(2k) give (1/k)ρ(x₁) + (1 − 1/(2k))x₁; the opposite pairs ±(−1 + 1/(4k), −1/2) and ±(1/(4k), 1/2) with
    // outgoing ±1 add (−1 + 1/(2k))x₁ and cancel the linear part.
    private static PaperExample OppositeWeightVectors1(int k)
    {
        Rational kk = k, h = Q(1, 2);
        Rational[] a1 = [1, -h], a2 = [-1, -h], a3 = [0, 1];
        var gamma = ShallowNeurons.Net([a1, a2, a3, Neg(a1), Neg(a2), Neg(a3)], [1, 1, 1, -1, -1, -1]);
        var theta = ShallowNeurons.Net([V(1, 0), V(0, 0), V(0, 0), V(0, 0), V(0, 0), V(0, 0)], [Rational.One / kk, 0, 0, 0, 0, 0]);
        var q = Rational.One / (4 * kk);
        Rational[] b2 = [-1 + q, -h], b3 = [q, h];
        var phi = ShallowNeurons.Net([V(1, 0), b2, b3, V(-1, 0), Neg(b2), Neg(b3)], [1 + 2 * q, 1, 1, -1 + 2 * q, -1, -1]);
        return new("2.4", "failure due to opposite weight vectors 1", k, gamma, theta, phi, Cube(2),
            [new("sobolev", Rational.One / kk, "= 1/k (31)")], h, "≥ C > 0 (31)",
            "Figure 4: a₁ = (1, −1/2), a₂ = (−1, −1/2), a₃ = (0, 1), v = (1, 0)");
    }

    // (32)–(33): a₁ = (k, k, 1/k), a₂ = (−k, k, 1/k), a₃ = (0, −√2k, 1/(√2k)), c = (k, k, √2k); Γ_k = (−a_i, c),
    // Θ_k = (a_i, c) ∈ N_(3,3,1). R(Θ_k) − R(Γ_k) = Σ c_i⟨a_i, x⟩ with gradient (0, 2k² − 2k², 3) = (0, 0, 3): semi-norm 3.
    // With √2 replaced by the double s: c₃a₃ = (0, −s²k², 1), gradient (0, k²(2 − s²), 3) with |k²(2 − s²)| &lt; 3, so still 3.
    // Three kink lines for three neurons, and no nonempty set of c_i a_i sums to 0, so every Φ has φ_j = t_j a_j with
    // t_j &gt; 0; against the −a_i every assignment costs ≥ k (rigid lemma).
    private static PaperExample OppositeWeightVectors2(int k)
    {
        Rational kk = k, s = Sqrt2;
        Rational[] a1 = [kk, kk, Rational.One / kk], a2 = [-kk, kk, Rational.One / kk], a3 = [0, -s * kk, Rational.One / (s * kk)];
        Rational[] c = [kk, kk, s * kk];
        var gamma = ShallowNeurons.Net([Neg(a1), Neg(a2), Neg(a3)], c);
        var theta = ShallowNeurons.Net([a1, a2, a3], c);
        return new("2.5", "failure due to opposite weight vectors 2", k, gamma, theta, theta, Cube(3),
            [new("sobolev", 3, "= 3 (34)")], kk, "≥ k (34)", "√2 is the nearest double s = " + s.ToDouble().ToString("R") + "; all else exact");
    }

    private static Rational[] Neg(Rational[] v) => v.Select(x => -x).ToArray();
}
