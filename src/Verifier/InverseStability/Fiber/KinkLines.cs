using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>A line (hyperplane) {⟨n, x⟩ = 0} on which g has a gradient jump J·n ≠ 0 (J scalar, scalar output).</summary>
public sealed record KinkLine(Rational[] Normal, Rational Jump);

/// <summary>
/// The unique decomposition g = Σ_l J_l ρ(⟨n_l, x⟩) + ⟨w, x⟩ of a bias-free shallow realization with scalar output, read
/// off a parametrization: neurons on the same line through the origin (a = λ n, λ ≠ 0) add c|λ| to J, and one with
/// λ &lt; 0 adds c·a to w, because cρ(λ⟨n, x⟩) = c|λ|(ρ(⟨n, x⟩) − ⟨n, x⟩) for λ &lt; 0. Lines whose J sums to 0 carry
/// no kink and only contribute to w. The decomposition does not depend on the parametrization (the kinks of g and their
/// jumps determine J_l, the remainder is linear), which is what the fiber lemmas use.
/// </summary>
public sealed record KinkDecomposition(IReadOnlyList<KinkLine> Lines, Rational[] Linear)
{
    public static KinkDecomposition Of(ExactNet theta)
    {
        if (theta.OutputSize != 1) throw new ArgumentException("the kink decomposition is for scalar output");
        var normals = new List<Rational[]>();
        var jumps = new List<Rational>();
        var w = new Rational[theta.InputSize];
        Array.Fill(w, Rational.Zero);
        foreach (var neuron in ShallowNeurons.Of(theta))
        {
            if (!neuron.HasDirection || neuron.C[0].IsZero) continue;
            int l = normals.FindIndex(n => ShallowNeurons.ParallelSign(n, neuron.A) != 0);
            if (l < 0) { normals.Add(neuron.A); jumps.Add(Rational.Zero); l = normals.Count - 1; }
            var lambda = Ratio(neuron.A, normals[l]);
            jumps[l] += neuron.C[0] * Rational.Abs(lambda);
            if (lambda.Sign < 0)
                for (int k = 0; k < w.Length; k++) w[k] += neuron.C[0] * neuron.A[k];
        }
        var lines = normals.Select((n, l) => new KinkLine(n, jumps[l])).Where(k => !k.Jump.IsZero).ToArray();
        return new KinkDecomposition(lines, w);
    }

    /// <summary>λ with u = λ n (u and n parallel).</summary>
    private static Rational Ratio(Rational[] u, Rational[] n)
    {
        int k = Array.FindIndex(n, v => !v.IsZero);
        return u[k] / n[k];
    }
}
