using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// What `certify --method z3` did for one output: the encoding that ran ("z3-last-layer-lp", "z3-fixed-x", "z3-lra",
/// "z3-nra" or "skipped" with <see cref="Skipped"/>), how it ended (<see cref="Status"/>: exact, upper-exact,
/// within-tolerance or unknown, then with <see cref="UnknownReason"/>), the certified upper bound (rounded up, and
/// exact), the replayed lower bound, and the solver work.
/// </summary>
public sealed record Z3OutputSummary(
    int Output, string Mode, string Status, double Upper, string UpperExact, double? Lower, int Checks, int UnstableNeurons,
    TimeSpan Elapsed, string? UnknownReason, string? Skipped);

/// <summary>What `certify --method z3` did per output, and its wall-clock time.</summary>
public sealed record Z3Summary(IReadOnlyList<Z3OutputSummary> Outputs, double Seconds)
{
    public int Checks => Outputs.Sum(o => o.Checks);

    /// <summary>The mode of every output when they agree, else "mixed".</summary>
    public string Mode => Outputs.Select(o => o.Mode).Distinct().Count() == 1 ? Outputs[0].Mode : "mixed";

    public JsonObject ToJson()
    {
        var outputs = new JsonArray();
        foreach (var o in Outputs)
        {
            var e = new JsonObject
            {
                ["output"] = o.Output,
                ["mode"] = o.Mode,
                ["status"] = o.Status,
                ["upper"] = o.Upper,
                ["upperExact"] = o.UpperExact,
                ["lower"] = o.Lower is { } l ? JsonValue.Create(l) : null,
                ["checks"] = o.Checks,
                ["unstableNeurons"] = o.UnstableNeurons,
                ["seconds"] = o.Elapsed.TotalSeconds,
            };
            if (o.UnknownReason is { } why) e["reason"] = why.ToLowerInvariant();
            if (o.Skipped is { } skipped) e["skipped"] = skipped;
            outputs.Add(e);
        }
        return new JsonObject { ["mode"] = Mode, ["checks"] = Checks, ["seconds"] = Seconds, ["outputs"] = outputs };
    }
}
