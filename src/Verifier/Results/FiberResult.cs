using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Results;

/// <summary>A verified member Φ of the fiber: its distance from Γ, where it came from, how it was verified, its exact
/// parameters (layer by layer, W row-major, then b).</summary>
public sealed record FiberMember(string Source, Rational Distance, string Verification, IReadOnlyList<Rational> Parameters)
{
    public JsonObject ToJson() => new()
    {
        ["distance"] = Distance.ToString(), ["approx"] = Distance.ToDouble(), ["source"] = Source, ["verification"] = Verification,
        ["parameters"] = RationalJson.Strings(Parameters),
    };
}

/// <summary>One Z3 call of the lower bound: is some Φ with ‖Φ − Γ‖∞ ≤ S consistent with R(Θ) at the points?
/// Status is "sat", "unsat" or "unknown"; ExactModel is a SAT model's parameters when they are rational.</summary>
public sealed record FiberSolverCheck(Rational S, string Status, string Detail, double Seconds, IReadOnlyList<Rational>? ExactModel)
{
    public bool IsSat => Status == "sat";
}

/// <summary>
/// `verify inverse-stability fiber`'s answer: Lower ≤ d(Γ, fiber(Θ)) ≤ Upper.Distance on the domain, Lower certified
/// (largest UNSAT level, or 0), Upper the best verified member (null when none). UnverifiedModelLevels are the levels
/// whose SAT model matched Θ at the points only (reported, never used).
/// </summary>
public sealed record FiberResult(FiberDomain Domain, bool BiasFree, Rational Lower, FiberMember? Upper, IReadOnlyList<FiberPoint> Points,
                                 IReadOnlyList<FiberSolverCheck> Checks, IReadOnlyList<FiberMember> Candidates,
                                 IReadOnlyList<Rational> UnverifiedModelLevels)
{
    public JsonObject ToJson() => new()
    {
        ["domain"] = RationalJson.Box(Domain.Lo, Domain.Hi),
        ["biasFree"] = BiasFree,
        ["lower"] = new JsonObject { ["value"] = Lower.ToString(), ["approx"] = Lower.ToDouble(), ["certified"] = true,
                                     ["argument"] = "largest s where Z3 proved no Φ with ‖Φ − Γ‖∞ ≤ s agrees with Θ at the points (0 if none)" },
        ["upper"] = Upper?.ToJson(),
        ["points"] = new JsonArray(Points.Select(p => (JsonNode)new JsonObject
        {
            ["x"] = RationalJson.Strings(p.X), ["directions"] = new JsonArray(p.Directions.Select(v => (JsonNode)RationalJson.Strings(v)).ToArray()), ["why"] = p.Why,
        }).ToArray()),
        ["checks"] = new JsonArray(Checks.Select(c => (JsonNode)new JsonObject
        {
            ["s"] = c.S.ToString(), ["status"] = c.Status, ["seconds"] = c.Seconds, ["detail"] = c.Detail,
            ["exactModel"] = c.ExactModel is null ? null : RationalJson.Strings(c.ExactModel),
        }).ToArray()),
        ["candidates"] = new JsonArray(Candidates.Select(c => (JsonNode)c.ToJson()).ToArray()),
    };
}
