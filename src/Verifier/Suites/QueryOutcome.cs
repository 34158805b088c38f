using System.Text.Json.Nodes;

namespace Verify.Suites;

/// <summary>How a query's result compares with its expectation.</summary>
public enum Outcome
{
    /// <summary>The verdict (and upper bound, if constrained) met the expectation, or there was none.</summary>
    Pass,
    /// <summary>A verdict or bound contradicts the expectation.</summary>
    Mismatch,
    /// <summary>Unknown or timeout where a definite verdict was expected: not a contradiction.</summary>
    Unknown,
    /// <summary>The child process failed (bad input, internal error): counted like a mismatch.</summary>
    Error,
}

/// <summary>
/// The record of one finished query, as kept in the JSON report; <see cref="Details"/> is the verb's whole --json answer
/// (every number and witness), absent when the child produced none.
/// </summary>
public sealed record QueryResult(
    string Name,
    string Kind,
    string? Expect,
    string Verdict,
    double? Upper,
    double? Lower,
    double Seconds,
    int ExitCode,
    Outcome Outcome,
    string? Message,
    JsonNode? Details = null)
{
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["kind"] = Kind,
        ["expect"] = Expect,
        ["verdict"] = Verdict,
        ["upper"] = Upper,
        ["lower"] = Lower,
        ["seconds"] = Seconds,
        ["exitCode"] = ExitCode,
        ["outcome"] = Outcome.ToString().ToLowerInvariant(),
        ["message"] = Message,
        ["details"] = Details?.DeepClone(),
    };

    public static QueryResult FromJson(JsonNode node, string source)
    {
        string Str(string key) => node[key]?.GetValue<string>() ?? throw new Errors.BadInputException(source, $"result without \"{key}\"");
        return new QueryResult(
            Str("name"), Str("kind"), node["expect"]?.GetValue<string>(), Str("verdict"),
            node["upper"]?.GetValue<double>(), node["lower"]?.GetValue<double>(),
            node["seconds"]?.GetValue<double>() ?? 0, node["exitCode"]?.GetValue<int>() ?? 0,
            Enum.TryParse<Outcome>(Str("outcome"), ignoreCase: true, out var o) ? o
                : throw new Errors.BadInputException(source, $"unknown outcome '{Str("outcome")}'"),
            node["message"]?.GetValue<string>(), node["details"]?.DeepClone());
    }

    /// <summary>Classifies a verdict against the query's expectations (no kind-specific checks: error and timeout paths).</summary>
    public static Outcome Judge(SuiteQuery q, string verdict, double? upper) =>
        Judge(q, Kinds.QueryReading.Of(verdict, upper, null));

    /// <summary>
    /// Error when the child failed; mismatch when a kind-specific expectation failed, the upper bound lies outside
    /// expectUpper, or a definite verdict differs from expect; unknown when the verdict or an expectation is unsettled.
    /// </summary>
    public static Outcome Judge(SuiteQuery q, Kinds.QueryReading reading)
    {
        string verdict = reading.Verdict;
        if (verdict == "error") return Outcome.Error;
        if (reading.Failures.Count > 0) return Outcome.Mismatch;
        if (q.ExpectUpper is { } range && reading.Upper is { } u && !(u >= range[0] && u <= range[1])) return Outcome.Mismatch;
        if (q.Expect is null || verdict == q.Expect) return reading.Unsettled ? Outcome.Unknown : Outcome.Pass;
        if (verdict is "unknown" or "timeout" or "none") return Outcome.Unknown;
        return Outcome.Mismatch;
    }
}
