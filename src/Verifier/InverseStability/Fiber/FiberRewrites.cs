using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// Explicit re-parametrisations of a one-hidden-layer Θ that keep R(Θ) on U, used as fiber upper bounds:
/// <list type="bullet">
/// <item>merge: (a_j, b_j) = λ(a_i, b_i), λ &gt; 0 ⇒ c_iρ(z_i) + c_jρ(λz_i) = (c_i + λc_j)ρ(z_i), slot j freed;</item>
/// <item>opposite pair: (a_j, b_j) = −λ(a_i, b_i) ⇒ c_iρ(z) + c_jρ(−λz) = (c_i + λc_j)ρ(z) − λc_j·z (ρ(−z) = ρ(z) − z);
/// the affine part moves to a neuron (t·a_i, β) that is active on all of U, with outgoing −λc_j/t and the constant
/// into the output bias (so not in the bias-free space); slot i is freed when c_i + λc_j = 0;</item>
/// <item>free slots (zero outgoing weight, or inactive on all of U) are parked on a Γ neuron: its incoming weights and
/// bias, and its outgoing weight too when that Γ neuron is itself inactive on U (it then adds nothing on U).</item>
/// </list>
/// Every result is verified by the caller before it counts.
/// </summary>
internal static class FiberRewrites
{
    public static IEnumerable<(string Source, ExactNet Phi)> All(ExactNet gamma, ExactNet theta, FiberDomain u, bool biasFree)
    {
        foreach (var (source, net) in Rewrites(gamma, theta, u, biasFree))
        {
            yield return (source, net);
            var free = Enumerable.Range(0, net.Layers[0].Outputs).Where(j => IsFree(net, j, u)).ToList();
            if (free.Count == 0) continue;
            int m = gamma.Layers[0].Outputs;
            for (int g = 0; g < m; g++)
            {
                var parked = net;
                for (int f = 0; f < free.Count; f++)
                {
                    int target = (g + f) % m;
                    var outgoing = IsDead(gamma.Layers[0].W[target], gamma.Layers[0].B[target], u)
                        ? gamma.Outgoing(0, target) : Zeros(net.OutputSize);
                    parked = parked.WithNeuron(0, free[f], gamma.Layers[0].W[target], gamma.Layers[0].B[target], outgoing);
                }
                yield return ($"{source}; free neuron(s) {string.Join(", ", free)} parked on Γ neuron(s) from {g}", parked);
            }
        }
    }

    private static IEnumerable<(string, ExactNet)> Rewrites(ExactNet gamma, ExactNet theta, FiberDomain u, bool biasFree)
    {
        yield return ("Θ", theta);
        var hidden = theta.Layers[0];
        int m = hidden.Outputs;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                if (i == j) continue;
                var vi = hidden.W[i].Append(hidden.B[i]).ToArray();
                var vj = hidden.W[j].Append(hidden.B[j]).ToArray();
                int sign = ShallowNeurons.ParallelSign(vi, vj);
                if (sign == 0) continue;
                int k = Array.FindIndex(vi, v => !v.IsZero);
                var lambda = Rational.Abs(vj[k] / vi[k]);
                var ci = theta.Outgoing(0, i);
                var cj = theta.Outgoing(0, j);
                var merged = ci.Zip(cj, (a, b) => a + lambda * b).ToArray();
                var withI = theta.WithNeuron(0, i, hidden.W[i], hidden.B[i], merged);
                if (sign > 0)
                {
                    yield return ($"merge Θ neurons {i} ← {j} (same direction)", withI.WithNeuron(0, j, hidden.W[j], hidden.B[j], Zeros(theta.OutputSize)));
                    continue;
                }
                if (biasFree) continue;
                foreach (var (t, beta, why) in ActiveCarriers(gamma, hidden.W[i], u))
                {
                    var outgoing = cj.Select(c => -lambda * c / t).ToArray();
                    var rows = withI.WithNeuron(0, j, hidden.W[i].Select(a => t * a).ToArray(), beta, outgoing);
                    var d = theta.Layers[1].B.Select((d0, o) => d0 - lambda * cj[o] * hidden.B[i] - outgoing[o] * beta).ToArray();
                    var layers = new[] { rows.Layers[0], new ExactLayer(rows.Layers[1].W, d) };
                    yield return ($"opposite pair Θ {i}/{j} → ρ-neuron + affine part carried by an always-active neuron ({why})", new ExactNet(layers));
                }
            }
    }

    /// <summary>(t, β, why): neurons ρ(t·a·x + β), t &gt; 0, active on all of U — the minimal shift, and every Γ neuron of that shape.</summary>
    private static IEnumerable<(Rational T, Rational Beta, string Why)> ActiveCarriers(ExactNet gamma, Rational[] a, FiberDomain u)
    {
        yield return (Rational.One, -Min(a, Rational.Zero, u), "minimal bias");
        for (int g = 0; g < gamma.Layers[0].Outputs; g++)
        {
            var row = gamma.Layers[0].W[g];
            if (ShallowNeurons.ParallelSign(row, a) <= 0) continue;
            int k = Array.FindIndex(a, v => !v.IsZero);
            var t = row[k] / a[k];
            if (Min(row, gamma.Layers[0].B[g], u).Sign >= 0) yield return (t, gamma.Layers[0].B[g], $"Γ neuron {g}'s incoming weights");
        }
    }

    private static Rational[] Zeros(int n) => Enumerable.Repeat(Rational.Zero, n).ToArray();

    /// <summary>min over the box of a·x + b (exact: each coordinate at the end that minimises its term).</summary>
    private static Rational Min(Rational[] a, Rational b, FiberDomain u) =>
        a.Select((w, k) => Rational.Min(w * u.Lo[k], w * u.Hi[k])).Aggregate(b, (s, v) => s + v);

    private static Rational Max(Rational[] a, Rational b, FiberDomain u) =>
        a.Select((w, k) => Rational.Max(w * u.Lo[k], w * u.Hi[k])).Aggregate(b, (s, v) => s + v);

    private static bool IsDead(Rational[] a, Rational b, FiberDomain u) => Max(a, b, u).Sign <= 0;

    private static bool IsFree(ExactNet net, int j, FiberDomain u) =>
        net.Outgoing(0, j).All(c => c.IsZero) || IsDead(net.Layers[0].W[j], net.Layers[0].B[j], u);
}
