using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// `equiv --top1 --execution F`: the two `certify --top1 --execution F` answers (no user perturbation) the verdict is
/// composed of, one per network, and for an unknown verdict which side failed (<see cref="Reason"/>).
/// </summary>
public sealed record TopOneExecutionSides(string Format, TopOneResult First, TopOneResult Second, string? Reason)
{
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["first"] = First.ToJson(),
        ["second"] = Second.ToJson(),
        ["reason"] = Reason,
    };
}
