using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Intervals;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>
/// One expected row of `verify inverse-stability examples`: example id and k, optionally the norm (without it the row
/// applies to every norm), and exact rational values the row must have.
/// </summary>
public sealed record ExpectedExampleRow(string Example, int K, string? Norm, Rational? Realization, Rational? ParameterLower, Rational? ParameterUpper)
{
    public override string ToString() => $"example {Example} k={K}{(Norm is null ? "" : " " + Norm)}";
}

/// <summary>inverse-stability-examples' own keys: --k, --r (of Example 2.2) and the rows expected in the table.</summary>
public sealed record ExamplesSpec(int K, string R, IReadOnlyList<ExpectedExampleRow> Rows);

/// <summary>
/// `verify inverse-stability examples`: the paper's Examples 2.1–2.5 with exact realization distances and parameter-distance
/// bounds. Verdict "match" when every expected row is in the table with exactly the expected rationals, else "differs".
/// </summary>
public sealed class InverseStabilityExamplesKind : IQueryKind
{
    public string Name => "inverse-stability-examples";
    public IReadOnlyList<string> Keys { get; } = ["name", "kind", "timeout", "args", "k", "r", "expectRows"];
    public IReadOnlyList<string> Verdicts { get; } = [];
    public IReadOnlyList<string> SweepKeys { get; } = [];
    public bool NeedsSweep => false;
    public SecondNetwork Network2 => SecondNetwork.None;
    public bool NeedsBox => false;

    public static IReadOnlyList<string> RowKeys { get; } = ["example", "k", "norm", "realization", "parameterLower", "parameterUpper"];
    private static readonly string[] Norms = ["sup", "sobolev"];

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode q, ParsedCommon common)
    {
        var kNode = yaml.Required(q, "k", "an inverse-stability-examples query");
        int k = yaml.Int(kNode, "k");
        if (k is < 1 or > 1000) throw yaml.Error(kNode, "k must be between 1 and 1000");
        string r = SuiteYaml.Get(q, "r") is { } rn ? yaml.String(rn, "r") : "1/2";
        if (!Rational.TryParse(r, out var rv) || rv.Sign <= 0) throw yaml.Error(SuiteYaml.Get(q, "r")!, "r must be a positive rational number (Example 2.2)");
        var rows = new List<ExpectedExampleRow>();
        foreach (var node in SuiteYaml.Get(q, "expectRows") is { } er ? yaml.Seq(er, "expectRows") : [])
        {
            var m = yaml.Map(node, "expected row");
            yaml.CheckKeys(m, RowKeys.ToArray(), "expected row");
            var kn = yaml.Required(m, "k", "an expected row");
            int rowK = yaml.Int(kn, "k");
            if (rowK < 1 || rowK > k) throw yaml.Error(kn, $"row k must be between 1 and the query's k = {k}");
            Rational? Exact(string key) => SuiteYaml.Get(m, key) is { } v
                ? (Rational.TryParse(yaml.String(v, key), out var x) ? x : throw yaml.Error(v, $"{key} must be an exact rational such as 1/3 or 0.25"))
                : null;
            var row = new ExpectedExampleRow(yaml.String(yaml.Required(m, "example", "an expected row"), "example"), rowK,
                SuiteYaml.Get(m, "norm") is { } nn ? yaml.OneOf(nn, "norm", Norms) : null,
                Exact("realization"), Exact("parameterLower"), Exact("parameterUpper"));
            if (row is { Realization: null, ParameterLower: null, ParameterUpper: null })
                throw yaml.Error(m, "an expected row needs at least one of realization, parameterLower, parameterUpper");
            rows.Add(row);
        }
        return new ExamplesSpec(k, r, rows);
    }

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var s = q.SpecAs<ExamplesSpec>();
        return ["inverse-stability", "examples", "--k", Fmt(s.K), "--r", s.R, "--json", jsonPath];
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode)
    {
        var table = answer["examples"]?.AsArray() ?? [];
        var failures = new List<string>();
        foreach (var want in q.SpecAs<ExamplesSpec>().Rows)
        {
            var rows = table.Where(r => (string?)r?["example"] == want.Example && (int?)r?["k"] == want.K
                                        && (want.Norm is null || (string?)r?["norm"] == want.Norm)).ToList();
            if (rows.Count == 0) { failures.Add($"{want}: no such row"); continue; }
            foreach (var row in rows)
            {
                void Check(string what, Rational? expected, JsonNode? actual)
                {
                    if (expected is not { } e) return;
                    string text = actual?.GetValue<string>() ?? "";
                    if (!Rational.TryParse(text, out var a) || a != e)
                        failures.Add($"{want} ({row!["norm"]}): {what} {(text.Length == 0 ? "missing" : text)}, expected {e}");
                }
                Check("realization", want.Realization, row!["realization"]?["upper"]);
                Check("parameter ≥", want.ParameterLower, row["parameter"]?["lower"]);
                Check("parameter ≤", want.ParameterUpper, row["parameter"]?["upper"]);
            }
        }
        string note = string.Create(CultureInfo.InvariantCulture, $"{table.Count} rows, {q.SpecAs<ExamplesSpec>().Rows.Count} expected");
        return new QueryReading(failures.Count == 0 ? "match" : "differs", null, null, failures, false, note);
    }
}
