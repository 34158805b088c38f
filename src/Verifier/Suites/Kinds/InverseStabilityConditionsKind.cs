using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Verify.Suites.Kinds;

/// <summary>
/// `verify inverse-stability conditions`: C.1–C.3 and N* for a bias-free shallow network (and C.3 against network2).
/// Verdict "hold" when the verb finds no violation (exit 0), "violated" otherwise (exit 2, the violations in the note).
/// </summary>
public sealed class InverseStabilityConditionsKind : IQueryKind
{
    public string Name => "inverse-stability-conditions";
    public IReadOnlyList<string> Keys { get; } = ["name", "kind", "timeout", "args", "network", "networks", "network2", "expect"];
    public IReadOnlyList<string> Verdicts { get; } = ["hold", "violated"];
    public IReadOnlyList<string> SweepKeys { get; } = [];
    public bool NeedsSweep => false;
    public SecondNetwork Network2 => SecondNetwork.Optional;
    public bool NeedsBox => false;

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode query, ParsedCommon common) => null;

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = new List<string> { "inverse-stability", "conditions", "--net", q.Network!, "--json", jsonPath };
        if (q.Network2 is { } n2) args.AddRange(["--net2", n2]);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode)
    {
        var violations = answer["violations"]?.AsArray().Select(v => $"{v?["condition"]}: {v?["detail"]}").ToList() ?? [];
        string verdict = exitCode == 0 && violations.Count == 0 ? "hold" : "violated";
        return new QueryReading(verdict, null, null, [], false, violations.Count == 0 ? null : string.Join("; ", violations));
    }
}
