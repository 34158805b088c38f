using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>One hidden neuron of a bias-free shallow network: incoming weights a_i ∈ ℝ^d, outgoing weights c_i ∈ ℝ^D.</summary>
public sealed record ShallowNeuron(Rational[] A, Rational[] C)
{
    public bool IsZero => A.All(v => v.IsZero) && C.All(v => v.IsZero);
    public bool HasDirection => A.Any(v => !v.IsZero);
}

/// <summary>
/// The paper's parameter space N_(d,m,D) = ℝ^{m×d} × ℝ^{D×m} without biases, R(Θ)(x) = Σ c_i ρ(⟨a_i, x⟩), held as an
/// <see cref="ExactNet"/> with zero biases so that the fiber and distance machinery applies unchanged.
/// </summary>
public static class ShallowNeurons
{
    /// <summary>Γ = (A, c) with scalar output, as the paper writes its examples.</summary>
    public static ExactNet Net(Rational[][] rows, Rational[] c) => new(
    [
        new ExactLayer(rows, rows.Select(_ => Rational.Zero).ToArray()),
        new ExactLayer([c], [Rational.Zero]),
    ]);

    /// <summary>True for one hidden layer and no biases (the only networks the paper's statements are about).</summary>
    public static bool IsBiasFreeShallow(ExactNet n) => n.Depth == 2 && n.BiasFree;

    public static IReadOnlyList<ShallowNeuron> Of(ExactNet n)
    {
        if (!IsBiasFreeShallow(n)) throw new ArgumentException("a bias-free one-hidden-layer network is needed");
        return Enumerable.Range(0, n.Layers[0].Outputs).Select(i => new ShallowNeuron(n.Layers[0].W[i], n.Outgoing(0, i))).ToArray();
    }

    public static Rational MaxAbs(IEnumerable<Rational> v) => v.Aggregate(Rational.Zero, (m, x) => Rational.Max(m, Rational.Abs(x)));

    /// <summary>+1 if u = λv with λ &gt; 0, −1 if λ &lt; 0, 0 otherwise (or if either vector is zero). Exact.</summary>
    public static int ParallelSign(Rational[] u, Rational[] v)
    {
        if (u.All(x => x.IsZero) || v.All(x => x.IsZero)) return 0;
        for (int i = 0; i < u.Length; i++)
            for (int j = i + 1; j < u.Length; j++)
                if (u[i] * v[j] != u[j] * v[i]) return 0;
        return u.Zip(v, (x, y) => x * y).Aggregate(Rational.Zero, (s, x) => s + x).Sign;
    }

    /// <summary>min over neuron permutations of ‖Φ_π − Γ‖∞ (all weights), by enumeration for m ≤ 8, else in order.</summary>
    public static Rational PermutationDistance(ExactNet gamma, ExactNet phi)
    {
        var g = Of(gamma); var p = Of(phi);
        int m = g.Count;
        var cost = new Rational[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                cost[i, j] = Rational.Max(MaxAbs(g[i].A.Zip(p[j].A, (x, y) => x - y)), MaxAbs(g[i].C.Zip(p[j].C, (x, y) => x - y)));
        if (m > 8) return Enumerable.Range(0, m).Select(i => cost[i, i]).Aggregate(Rational.Zero, Rational.Max);
        Rational best = Enumerable.Range(0, m).Select(i => cost[i, i]).Aggregate(Rational.Zero, Rational.Max);
        foreach (var perm in Permutations(m))
        {
            var worst = Rational.Zero;
            for (int i = 0; i < m && worst < best; i++) worst = Rational.Max(worst, cost[i, perm[i]]);
            if (worst < best) best = worst;
        }
        return best;
    }

    public static IEnumerable<int[]> Permutations(int n)
    {
        var a = Enumerable.Range(0, n).ToArray();
        IEnumerable<int[]> Rec(int k)
        {
            if (k == n) { yield return (int[])a.Clone(); yield break; }
            for (int i = k; i < n; i++)
            {
                (a[k], a[i]) = (a[i], a[k]);
                foreach (var p in Rec(k + 1)) yield return p;
                (a[k], a[i]) = (a[i], a[k]);
            }
        }
        return Rec(0);
    }
}
