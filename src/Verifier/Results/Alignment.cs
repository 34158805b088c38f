using Verify.Model;

namespace Verify.Results;

/// <summary>
/// A symmetry applied to network B: hidden layer l's neuron i of the aligned copy is B's neuron Permutations[l][i],
/// multiplied by Scales[l][i] (incoming weights and bias ×c, outgoing weights ÷c). Applied by Symmetry.AlignmentApplication.
/// </summary>
public sealed record Alignment(IReadOnlyList<int[]> Permutations, IReadOnlyList<double[]> Scales)
{
    public static Alignment Identity(Network net) => new(
        Enumerable.Range(0, net.Depth - 1).Select(l => Enumerable.Range(0, net.Layers[l].Outputs).ToArray()).ToArray(),
        Enumerable.Range(0, net.Depth - 1).Select(l => Enumerable.Repeat(1.0, net.Layers[l].Outputs).ToArray()).ToArray());
}
