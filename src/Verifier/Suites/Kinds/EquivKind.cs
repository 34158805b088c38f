using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>`verify equiv --eps`: verified when sup ‖f2 − f1‖∞ ≤ ε on the box, falsified by a replayed witness.</summary>
public sealed class EquivKind : IQueryKind
{
    public string Name => "equiv";
    public IReadOnlyList<string> Keys { get; } =
        ["name", "kind", "timeout", "args", "network", "networks", "network2", "box", "eps", "expect", "expectUpper", "seed"];
    public IReadOnlyList<string> Verdicts { get; } = ["verified", "falsified", "unknown"];
    public IReadOnlyList<string> SweepKeys { get; } = ["eps"];
    public bool NeedsSweep => true;
    public SecondNetwork Network2 => SecondNetwork.Required;
    public bool NeedsBox => true;

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode query, ParsedCommon common) => null;

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = new List<string> { "equiv", "--net", q.Network!, "--net2", q.Network2!, "--quiet",
                                      "--eps", Fmt(q.Eps!.Value), "--seed", Fmt(q.Seed), "--json", jsonPath };
        AddTimeout(args, q);
        AddBox(args, q.Box!);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode) =>
        QueryReading.Of(answer["verdict"]?.GetValue<string>() ?? "none", Num(answer["upper"]), Num(answer["lower"]));
}
