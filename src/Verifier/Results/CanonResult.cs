using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// The canonical representative and what had to be said about it: whether the balanced sweeps converged, the
/// worst remaining imbalance, and layers where the neuron order could not be made canonical (tied keys).
/// </summary>
public sealed record CanonResult(
    Verify.Model.Network Network,
    int BalanceSweeps,
    double MaxImbalance,
    int NullNeurons,
    IReadOnlyList<string> Warnings)
{
    /// <param name="pruning">what `--prune` did before canonicalisation (null without it)</param>
    public JsonObject ToJson(string outPath, string form, bool exactScaling, PruneResult? pruning) => new()
    {
        ["out"] = outPath,
        ["form"] = form,
        ["exactScaling"] = exactScaling,
        ["widths"] = JsonArrays.Of(Network.Widths),
        ["pruned"] = new JsonArray(pruning?.Actions.Select(a => (JsonNode)a.ToJson()).ToArray() ?? []),
        ["boxDependent"] = pruning?.BoxDependent ?? false,
        ["balanceSweeps"] = BalanceSweeps,
        ["maxImbalance"] = MaxImbalance,
        ["nullNeurons"] = NullNeurons,
        ["warnings"] = JsonArrays.Of(Warnings),
    };
}
