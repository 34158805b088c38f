using System.Text.Json.Nodes;
using Verify.Model;

namespace Verify.Results;

/// <summary>A network with its parameters rounded to a narrower format, and how much that moved them.</summary>
public sealed record RoundingResult(Network Rounded, double MaxAbsChange, int ChangedParameters)
{
    public JsonObject ToJson(string inputPath, string outputPath, string targetName) => new()
    {
        ["input"] = inputPath,
        ["output"] = outputPath,
        ["to"] = targetName,
        ["parameters"] = Rounded.ParameterCount,
        ["changed"] = ChangedParameters,
        ["maxAbsChange"] = MaxAbsChange,
    };
}
