using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// `equiv --top1 --execution F`: the two `certify --top1 --execution F` answers (no user perturbation) the verdict is
/// composed of, one per network, and (<see cref="Reason"/>) which side failed, and for a falsification by one emulated
/// summation order the classes it gave.
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
