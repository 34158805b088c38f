using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Results;

/// <summary>One network of a search pair: its exact parameters, whether the double network (Network, for the
/// --out-dir files) holds them exactly.</summary>
public sealed record PairNetwork(IReadOnlyList<Rational> Parameters, bool FileIsExact, Network Network)
{
    public JsonObject ToJson(string? path) => new() { ["path"] = path, ["exactParameters"] = RationalJson.Strings(Parameters), ["fileIsExact"] = FileIsExact };
}

/// <summary>One scored pair (Γ, Θ): Ratio is a certified lower bound of d(Γ, fiber(Θ)) / ‖R(Γ) − R(Θ)‖^α.</summary>
public sealed record StabilitySearchPair(string Origin, int Moves, PairNetwork Gamma, PairNetwork Theta, RealizationUpper Realization,
                                         FiberLemmaBound Lower, Rational ParameterUpper, double Ratio, IReadOnlyList<string> Pathologies,
                                         TheoremReport? Theorem)
{
    /// <summary>The pair as in --json and in its --out-dir certificate (with the paths of the network files there).</summary>
    public JsonObject ToJson(string? gammaPath, string? thetaPath) => new()
    {
        ["origin"] = Origin,
        ["moves"] = Moves,
        ["gamma"] = Gamma.ToJson(gammaPath),
        ["theta"] = Theta.ToJson(thetaPath),
        ["realization"] = new JsonObject { ["value"] = Realization.Value.ToString(), ["approx"] = Realization.Value.ToDouble(),
                                           ["exact"] = Realization.Exact, ["method"] = Realization.Method },
        ["fiberLower"] = new JsonObject { ["value"] = Lower.Value.ToString(), ["approx"] = Lower.Value.ToDouble(), ["argument"] = Lower.Argument },
        ["fiberUpper"] = ParameterUpper.ToString(),
        ["ratio"] = Ratio,
        ["pathologies"] = new JsonArray(Pathologies.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        ["theorem"] = Theorem is null ? null : new JsonObject
        {
            ["outcome"] = Theorem.Outcome.ToString().ToLowerInvariant(), ["guarantee31"] = Theorem.Guarantee31, ["guarantee33"] = Theorem.Guarantee33,
            ["semiNorm"] = Theorem.Realization.Value.ToString(), ["beta"] = Theorem.Conditions.Beta?.ToString(),
        },
    };
}

/// <summary>The files --out-dir wrote for one pair.</summary>
public sealed record PairFiles(string Gamma, string Theta, string Certificate);

/// <summary>
/// `verify inverse-stability search`'s answer: the query (architecture d,m,1, space, α, norm as in the JSON), the
/// best pairs, and the run's counts.
/// </summary>
public sealed record StabilitySearchResult(int Inputs, int Width, string Space, double Alpha, string Norm, bool SeedFamilies, double BudgetSeconds,
                                           IReadOnlyList<StabilitySearchPair> Best, int Evaluated, int Rejected, int Restarts, int Seed, TimeSpan Elapsed)
{
    public double MaxRatio => Best.Count == 0 ? 0 : Best.Max(p => p.Ratio);

    /// <summary>Some pair's certified fiber bound exceeds a theorem's guarantee.</summary>
    public bool Violation => Best.Any(p => p.Theorem?.Outcome == TheoremOutcome.Violated);

    public JsonObject ToJson(IReadOnlyList<PairFiles>? files) => new()
    {
        ["arch"] = new JsonArray(Inputs, Width, 1),
        ["space"] = Space,
        ["alpha"] = Alpha,
        ["norm"] = Norm,
        ["seed"] = Seed,
        ["seedFamilies"] = SeedFamilies,
        ["starts"] = Restarts,
        ["evaluated"] = Evaluated,
        ["rejected"] = Rejected,
        ["seconds"] = Elapsed.TotalSeconds,
        ["budget"] = BudgetSeconds,
        ["maxRatio"] = MaxRatio,
        ["violation"] = Violation,
        ["pairs"] = new JsonArray(Best.Select(p => (JsonNode)p.ToJson(null, null)).ToArray()),
        ["files"] = files is null ? null : new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["gamma"] = f.Gamma, ["theta"] = f.Theta, ["certificate"] = f.Certificate }).ToArray()),
    };
}
