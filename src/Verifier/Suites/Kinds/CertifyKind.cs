using System.Text.Json.Nodes;
using Verify.Certify;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>certify's own keys: the threshold the verdict compares U against, and for a norm ball on one weight matrix
/// (the swept key 'ratio' instead of 'eps') its layer (1-based) and norm.</summary>
public sealed record CertifySpec(double? Threshold, int? BallLayer = null, string? BallNorm = null);

/// <summary>`verify certify`: verified if the certified U ≤ threshold, falsified if an exactly replayed witness exceeds it.</summary>
public sealed class CertifyKind : IQueryKind
{
    public string Name => "certify";
    public IReadOnlyList<string> Keys { get; } =
        ["name", "kind", "timeout", "args", "network", "networks", "box", "eps", "ratio", "layer", "norm", "threshold", "expect", "expectUpper",
         "method", "seed"];
    public IReadOnlyList<string> Verdicts { get; } = ["verified", "falsified", "unknown"];
    public IReadOnlyList<string> SweepKeys { get; } = ["eps", "ratio"];
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
        // A norm ball (`--layer-noise L --norm N --ratio r`): 'ratio' is swept, and needs its layer and norm.
        var layerNode = SuiteYaml.Get(query, "layer"); var normNode = SuiteYaml.Get(query, "norm");
        if (common.SweepKey != "ratio")
        {
            if ((layerNode ?? normNode) is { } stray) throw yaml.Error(stray, "'layer' and 'norm' go with 'ratio' (a norm ball), not with 'eps'");
            return new CertifySpec(threshold);
        }
        if (layerNode is null || normNode is null) throw yaml.Error(SuiteYaml.Get(query, "ratio")!, "'ratio' needs 'layer' (1-based) and 'norm' (fro or spectral)");
        int layer = yaml.Int(layerNode, "layer");
        if (layer < 1) throw yaml.Error(layerNode, "layer must be ≥ 1 (layers count from 1)");
        return new CertifySpec(threshold, layer, yaml.OneOf(normNode, "norm", ["fro", "spectral"]));
    }

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = new List<string> { "certify", "--net", q.Network!, "--method", q.Method };
        if (q.SpecAs<CertifySpec>().Threshold is { } t) args.AddRange(["--threshold", Fmt(t)]);
        var spec = q.SpecAs<CertifySpec>();
        if (spec.BallLayer is { } layer) args.AddRange(["--layer-noise", Fmt(layer), "--norm", spec.BallNorm!, "--ratio", Fmt(q.Eps!.Value)]);
        else args.AddRange(["--eps", Fmt(q.Eps!.Value)]);
        args.AddRange(["--seed", Fmt(q.Seed), "--json", jsonPath]);
        AddTimeout(args, q, share: CertifyBudget.SuiteShareOfLimit);
        AddBox(args, q.Box!);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode) =>
        QueryReading.Of(answer["verdict"]?.GetValue<string>() ?? "none", Num(answer["supUpper"]), Num(answer["supLower"]));
}
