using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>distance's own keys: the symmetries quotiented out and an expected range of the distance.</summary>
public sealed record DistanceSpec(string? Modulo, double[]? ExpectDistance);

/// <summary>
/// `verify distance`: ℓ∞ parameter distance of two networks modulo neuron permutations (and rescalings). Verdict "equal"
/// when the reported distance is 0 (an upper bound of 0 is exact too), "different" when an exact distance is positive,
/// "unknown" when only a positive upper bound was found.
/// </summary>
public sealed class DistanceKind : IQueryKind
{
    public string Name => "distance";
    public IReadOnlyList<string> Keys { get; } =
        ["name", "kind", "timeout", "args", "network", "networks", "network2", "modulo", "expect", "expectDistance"];
    public IReadOnlyList<string> Verdicts { get; } = ["equal", "different", "unknown"];
    public IReadOnlyList<string> SweepKeys { get; } = [];
    public bool NeedsSweep => false;
    public SecondNetwork Network2 => SecondNetwork.Required;
    public bool NeedsBox => false;

    private static readonly string[] Modulos = ["none", "perm", "perm+scale"];

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode q, ParsedCommon common) => new DistanceSpec(
        SuiteYaml.Get(q, "modulo") is { } m ? yaml.OneOf(m, "modulo", Modulos) : null,
        SuiteYaml.Get(q, "expectDistance") is { } r ? yaml.Range(r, "expectDistance") : null);

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = new List<string> { "distance", "--net", q.Network!, "--net2", q.Network2!, "--json", jsonPath };
        if (q.SpecAs<DistanceSpec>().Modulo is { } m) args.AddRange(["--modulo", m]);
        AddTimeout(args, q);
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode)
    {
        double? d = Num(answer["distance"]);
        bool exact = answer["exact"]?.GetValue<bool>() ?? false;
        string verdict = d is not { } dv ? "none" : dv == 0 ? "equal" : exact ? "different" : "unknown";
        var failures = new List<string>();
        bool unsettled = false;
        if (q.SpecAs<DistanceSpec>().ExpectDistance is { } range && d is { } v)
        {
            // An inexact answer is an upper bound: the true distance lies in [0, v].
            if (exact || v < range[0]) { if (OutsideRange(exact ? "distance" : "distance upper bound", v, range) is { } f) failures.Add(f); }
            else unsettled = !(range[0] <= 0 && v <= range[1]);
        }
        return new QueryReading(verdict, d, exact ? d : null, failures, unsettled, exact ? null : "distance is an upper bound");
    }
}
