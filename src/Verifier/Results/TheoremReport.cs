using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Results;

/// <summary>Where an instance stands against the theorems' guarantees.</summary>
public enum TheoremOutcome
{
    /// <summary>C.2 or C.3 fails and the pair is not in N*: neither theorem says anything (the numbers are informational).</summary>
    NotApplicable,
    /// <summary>The certified fiber lower bound does not exceed the applicable guarantee: no contradiction.</summary>
    Consistent,
    /// <summary>A theorem applies and the certified fiber lower bound exceeds its guarantee: a bug, ours or the paper's.</summary>
    Violated,
}

/// <summary>
/// The comparison of InverseStability's <c>TheoremCheck</c>: r = |R(Θ) − R(Γ)|_{W^{1,∞}} (paper's (21), exact or an upper bound),
/// Theorem 3.1's β + 2r^{1/2} with the least admissible β of C.1 (when C.2 and C.3 hold), Theorem 3.3's 4r^{1/2} (when
/// Γ and Θ are in N*), both rounded up, and the certified fiber lower bound (the larger of the exact lemmas and Z3), on
/// the domain U.
/// </summary>
public sealed record TheoremReport(FiberDomain Domain, RealizationUpper Realization, PaperConditionsReport Conditions, double? Guarantee31, double? Guarantee33,
                                   FiberLemmaBound Lemma, FiberResult? Fiber, Rational FiberLower, TheoremOutcome Outcome, string Reason)
{
    public JsonObject ToJson() => new()
    {
        ["domain"] = RationalJson.Box(Domain.Lo, Domain.Hi),
        ["realizationSemi"] = Realization.Value.ToString(),
        ["realizationExact"] = Realization.Exact,
        ["guarantee31"] = Guarantee31,
        ["guarantee33"] = Guarantee33,
        ["fiberLower"] = FiberLower.ToString(),
        ["lemma"] = new JsonObject { ["value"] = Lemma.Value.ToString(), ["argument"] = Lemma.Argument },
        ["fiber"] = Fiber?.ToJson(),
        ["outcome"] = Outcome.ToString().ToLowerInvariant(),
        ["reason"] = Reason,
    };
}
