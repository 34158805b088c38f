using System.Text.Json.Nodes;
using Verify.Model;

namespace Verify.Results;

/// <summary>One hidden neuron the pruner removed or looked at, in the input network's numbering (layer is 1-based).</summary>
public sealed record PruneAction(int Layer, int Neuron, string Action, string Reason)
{
    public JsonObject ToJson() => new() { ["layer"] = Layer, ["neuron"] = Neuron, ["action"] = Action, ["reason"] = Reason };
}

public sealed record PruneResult(Network Network, IReadOnlyList<PruneAction> Actions, bool BoxDependent);
