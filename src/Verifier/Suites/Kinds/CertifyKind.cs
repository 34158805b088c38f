using System.Text.Json.Nodes;
using Verify.Certify;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>certify's own keys: the threshold the verdict compares U against.</summary>
public sealed record CertifySpec(double? Threshold);

/// <summary>`verify certify`: verified if the certified U ≤ threshold, falsified if an exactly replayed witness exceeds it.</summary>
public sealed class CertifyKind : IQueryKind
{
    public string Name => "certify";
    public IReadOnlyList<string> Keys { get; } =
        ["name", "kind", "timeout", "args", "network", "networks", "box", "eps", "threshold", "expect", "expectUpper", "method", "seed"];
    public IReadOnlyList<string> Verdicts { get; } = ["verified", "falsified", "unknown"];
    public IReadOnlyList<string> SweepKeys { get; } = ["eps"];
    public bool NeedsSweep => true;
    public SecondNetwork Network2 => SecondNetwork.None;
    public bool NeedsBox => true;

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode query, ParsedCommon common)
    {
        double? threshold = null;
        if (SuiteYaml.Get(query, "threshold") is { } th)
        {
            threshold = yaml.Number(th, "threshold");
            if (!(threshold >= 0)) throw yaml.Error(th, "threshold must be ≥ 0");
        }
        if (common.Expect is not null && threshold is null)
            throw yaml.Error(SuiteYaml.Get(query, "expect")!, "a certify query with 'expect' needs 'threshold' (the verdict is U ≤ threshold)");
        return new CertifySpec(threshold);
    }

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = new List<string> { "certify", "--net", q.Network!, "--method", q.Method };
        if (q.SpecAs<CertifySpec>().Threshold is { } t) args.AddRange(["--threshold", Fmt(t)]);
        args.AddRange(["--eps", Fmt(q.Eps!.Value), "--seed", Fmt(q.Seed), "--json", jsonPath]);
        AddTimeout(args, q, share: CertifyBudget.SuiteShareOfLimit);
        AddBox(args, q.Box!);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode) =>
        QueryReading.Of(answer["verdict"]?.GetValue<string>() ?? "none", Num(answer["supUpper"]), Num(answer["supLower"]));
}
