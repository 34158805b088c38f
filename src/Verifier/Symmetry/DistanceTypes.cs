using Verify.Model;

namespace Verify.Symmetry;

public enum DistanceModulo { None, Perm, PermScale }

public enum DistanceMethod { Auto, Exact, Heuristic }

/// <summary>
/// A symmetry applied to network B: hidden layer l's neuron i of the aligned copy is B's neuron Permutations[l][i],
/// multiplied by Scales[l][i] (incoming weights and bias ×c, outgoing weights ÷c).
/// </summary>
public sealed record Alignment(IReadOnlyList<int[]> Permutations, IReadOnlyList<double[]> Scales)
{
    public static Alignment Identity(Network net) => new(
        Enumerable.Range(0, net.Depth - 1).Select(l => Enumerable.Range(0, net.Layers[l].Outputs).ToArray()).ToArray(),
        Enumerable.Range(0, net.Depth - 1).Select(l => Enumerable.Repeat(1.0, net.Layers[l].Outputs).ToArray()).ToArray());

    public EditableNetwork ApplyEditable(Network b)
    {
        var e = new EditableNetwork(b);
        for (int l = 0; l < Permutations.Count; l++) e.Permute(l, Permutations[l]);
        for (int l = 0; l < Scales.Count; l++)
            for (int i = 0; i < Scales[l].Length; i++)
                if (Scales[l][i] != 1.0) e.Scale(l, i, Scales[l][i]);
        return e;
    }

    public Network Apply(Network b) => ApplyEditable(b).ToNetwork();
}

/// <summary>
/// The ℓ∞ parameter distance min over the symmetry orbit of B of ‖A − Φ‖∞. Exact = the minimisation was solved
/// exactly (up to floating-point rounding of the costs); otherwise Distance is an upper bound attained by Aligned.
/// </summary>
public sealed record DistanceResult(
    double Distance, DistanceModulo Modulo, bool Exact, string Method, Alignment Alignment, Network Aligned, string? Note);
