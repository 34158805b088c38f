using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>certify-top1's own key: which perturbation option the swept value goes to (--eps or --eps-of-range).</summary>
public sealed record CertifyTopOneSpec(string PerturbationOption);

/// <summary>`verify certify --top1`: verified when the top class at the box centre stays the unique top class for every x
/// of the box and every admissible δ; falsified by an exactly replayed flip. The perturbation is `eps` (absolute) or
/// `epsOfRange` (ModelStar's P·range per layer; `--layers` goes in args).</summary>
public sealed class CertifyTopOneKind : IQueryKind
{
    public string Name => "certify-top1";
    public IReadOnlyList<string> Keys { get; } =
        ["name", "kind", "timeout", "args", "network", "networks", "box", "eps", "epsOfRange", "expect", "method", "seed"];
    public IReadOnlyList<string> Verdicts { get; } = ["verified", "falsified", "unknown"];
    public IReadOnlyList<string> SweepKeys { get; } = ["eps", "epsOfRange"];
    public bool NeedsSweep => false;
    public SecondNetwork Network2 => SecondNetwork.None;
    public bool NeedsBox => true;

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode query, ParsedCommon common) => common.SweepKey switch
    {
        "eps" => new CertifyTopOneSpec("--eps"),
        "epsOfRange" => new CertifyTopOneSpec("--eps-of-range"),
        _ => throw yaml.Error(query, "a certify-top1 query needs 'eps' or 'epsOfRange'"),
    };

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        // --method auto is the suite default; --top1 takes linear or auto, so any other default becomes auto.
        string method = q.Method is "linear" or "auto" ? q.Method : "auto";
        var args = new List<string> { "certify", "--top1", "--net", q.Network!, "--method", method,
            q.SpecAs<CertifyTopOneSpec>().PerturbationOption, Fmt(q.Eps!.Value), "--seed", Fmt(q.Seed), "--json", jsonPath };
        AddTimeout(args, q);
        AddBox(args, q.Box!);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode) =>
        QueryReading.Of(answer["verdict"]?.GetValue<string>() ?? "none", null, Num(answer["worstMarginLower"]));
}
