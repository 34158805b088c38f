using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Results;

/// <summary>Whether a point lies in an input box, and (for a VNNLIB box with an output property) whether the network's
/// exact output there satisfies the property (a counterexample in the VNN-COMP convention when both hold).</summary>
public sealed record BoxMembership(string Source, bool Inside, bool? OutputPropertyHolds)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["source"] = Source, ["inside"] = Inside };
        if (OutputPropertyHolds is { } holds) o["outputPropertyHolds"] = holds;
        return o;
    }
}

/// <summary>`verify eval`: the outputs at a point, in doubles, or exactly with their nearest doubles.</summary>
public sealed record EvaluationResult(double[] Outputs, Rational[]? Exact)
{
    public BoxMembership? Box { get; init; }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["outputs"] = JsonArrays.Of(Outputs) };
        if (Exact is not null) o["exact"] = JsonArrays.Of(Exact.Select(r => r.ToString()));
        if (Box is not null) o["box"] = Box.ToJson();
        return o;
    }
}
