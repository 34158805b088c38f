using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.InverseStability;

namespace Verify.Cli;

/// <summary>JSON shapes shared by `fiber` and `search` (rationals as strings).</summary>
internal static class FiberJson
{
    public static JsonObject Report(FiberReport r, FiberDomain u, bool biasFree) => new()
    {
        ["domain"] = new JsonObject { ["lo"] = Strings(u.Lo), ["hi"] = Strings(u.Hi) },
        ["biasFree"] = biasFree,
        ["lower"] = new JsonObject { ["value"] = r.Lower.ToString(), ["approx"] = r.Lower.ToDouble(), ["certified"] = true,
                                     ["argument"] = "largest s where Z3 proved no Φ with ‖Φ − Γ‖∞ ≤ s agrees with Θ at the points (0 if none)" },
        ["upper"] = r.Upper is null ? null : Candidate(r.Upper),
        ["points"] = new JsonArray(r.Points.Select(p => (JsonNode)new JsonObject
        {
            ["x"] = Strings(p.X), ["directions"] = new JsonArray(p.Directions.Select(v => (JsonNode)Strings(v)).ToArray()), ["why"] = p.Why,
        }).ToArray()),
        ["checks"] = new JsonArray(r.Checks.Select(c => (JsonNode)new JsonObject
        {
            ["s"] = c.S.ToString(), ["status"] = c.Status.ToString().ToLowerInvariant(), ["seconds"] = c.Seconds, ["detail"] = c.Detail,
            ["exactModel"] = c.Model is null ? null : Parameters(c.Model),
        }).ToArray()),
        ["candidates"] = new JsonArray(r.Candidates.Select(c => (JsonNode)Candidate(c)).ToArray()),
    };

    public static JsonObject Candidate(FiberCandidate c) => new()
    {
        ["distance"] = c.Distance.ToString(), ["approx"] = c.Distance.ToDouble(), ["source"] = c.Source, ["verification"] = c.Verification,
        ["parameters"] = Parameters(c.Phi),
    };

    public static JsonArray Strings(IEnumerable<Rational> v) => new(v.Select(x => (JsonNode)JsonValue.Create(x.ToString())).ToArray());

    public static JsonArray Parameters(ExactNet n) => Strings(n.Parameters());
}
