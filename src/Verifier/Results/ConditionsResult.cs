using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// `verify inverse-stability conditions`'s answer: the conditions of Section 3 for Γ (and Θ when WithTheta), and the
/// theorem check when it ran (Theorem) or why it was skipped (TheoremSkipped; both null when it was not asked for).
/// </summary>
public sealed record ConditionsResult(PaperConditionsReport Conditions, bool WithTheta, TheoremReport? Theorem, string? TheoremSkipped)
{
    /// <summary>A certified fiber bound above a theorem's guarantee: a bug in the tool or in the statement.</summary>
    public bool TheoremViolated => Theorem?.Outcome == TheoremOutcome.Violated;

    public JsonObject ToJson()
    {
        var rep = Conditions;
        var arr = new JsonArray();
        foreach (var v in rep.Violations) arr.Add(new JsonObject { ["condition"] = v.Condition, ["detail"] = v.Detail });
        return new JsonObject
        {
            ["balanced"] = rep.Balanced,
            ["c1"] = rep.Beta is { } b ? new JsonObject { ["beta"] = b.ToString(), ["semiNorm"] = rep.SemiNorm!.Value.ToString(), ["atBalancedBeta"] = rep.C1AtBalancedBeta } : null,
            ["c2"] = rep.C2, ["c3aGamma"] = rep.C3aGamma, ["c3aTheta"] = WithTheta ? rep.C3aTheta : null, ["c3b"] = WithTheta ? rep.C3b : null,
            ["inNStar"] = rep.InNStar, ["violations"] = arr,
            ["theorem"] = TheoremSkipped is { } why ? new JsonObject { ["skipped"] = why } : Theorem?.ToJson(),
        };
    }
}
