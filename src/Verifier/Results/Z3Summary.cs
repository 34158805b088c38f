using System.Text.Json.Nodes;
using Verify.Smt;

namespace Verify.Results;

/// <summary>
/// What `certify --method z3` did per output: the encoding that ran ("z3-last-layer-lp", "z3-fixed-x", "z3-lra",
/// "z3-nra" or "skipped" with the reason), how it ended, and the solver checks it took.
/// </summary>
public sealed record Z3Summary(IReadOnlyList<DeviationMaximum> Outputs, double Seconds)
{
    public int Checks => Outputs.Sum(o => o.Checks);

    /// <summary>The mode of every output when they agree, else "mixed".</summary>
    public string Mode => Outputs.Select(o => o.Mode).Distinct().Count() == 1 ? Outputs[0].Mode : "mixed";

    public static string StatusName(MaximizeStatus s) => s switch
    {
        MaximizeStatus.Exact => "exact",
        MaximizeStatus.UpperExact => "upper-exact",
        MaximizeStatus.WithinTolerance => "within-tolerance",
        _ => "unknown",
    };

    public JsonObject ToJson()
    {
        var outputs = new JsonArray();
        foreach (var o in Outputs)
        {
            var e = new JsonObject
            {
                ["output"] = o.Output,
                ["mode"] = o.Mode,
                ["status"] = StatusName(o.Status),
                ["upper"] = o.UpperDouble,
                ["upperExact"] = o.Upper.ToString(),
                ["lower"] = o.Witness is null ? null : JsonValue.Create(o.Witness.Value),
                ["checks"] = o.Checks,
                ["unstableNeurons"] = o.UnstableNeurons,
                ["seconds"] = o.Elapsed.TotalSeconds,
            };
            if (o.Status == MaximizeStatus.Unknown) e["reason"] = o.Reason.ToString().ToLowerInvariant();
            if (o.SkipReason is { } why) e["skipped"] = why;
            outputs.Add(e);
        }
        return new JsonObject { ["mode"] = Mode, ["checks"] = Checks, ["seconds"] = Seconds, ["outputs"] = outputs };
    }
}
