using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Results;
using YamlDotNet.RepresentationModel;
using static Verify.Suites.Kinds.QueryKinds;

namespace Verify.Suites.Kinds;

/// <summary>
/// sensitivity's own keys: the noise (ε or a norm ratio on one layer or all), the input (a lo/hi box or a point x),
/// sampling, and expected ranges of the ∞-norm mean and quantiles (keys as in the verb's JSON: "0.5", "0.9", "0.99", "max").
/// </summary>
public sealed record SensitivitySpec(
    bool IsRatio, int? Layer, bool AllLayers, string? Norm, bool Relative, string? Distribution, long? Samples, int? Points,
    double[]? X, double[]? ExpectMean, IReadOnlyDictionary<string, double[]> ExpectQuantiles);

/// <summary>
/// `verify sensitivity`: Monte Carlo output deviation under random weight noise. It has no verdict; the query passes when
/// the estimated ∞-norm mean and quantiles lie in their expected ranges (and the certified upper bound in expectUpper).
/// </summary>
public sealed class SensitivityKind : IQueryKind
{
    public string Name => "sensitivity";
    public IReadOnlyList<string> Keys { get; } =
    [
        "name", "kind", "timeout", "args", "network", "networks", "box", "x", "eps", "ratio", "layer", "allLayers", "norm", "relative",
        "distribution", "samples", "points", "seed", "expectMean", "expectQuantiles", "expectUpper",
    ];
    public IReadOnlyList<string> Verdicts { get; } = [];
    public IReadOnlyList<string> SweepKeys { get; } = ["eps", "ratio"];
    public bool NeedsSweep => false;
    public SecondNetwork Network2 => SecondNetwork.None;
    public bool NeedsBox => false;

    /// <summary>The quantile keys of the verb's JSON ("0.5", …) and "max".</summary>
    public static IReadOnlyList<string> QuantileKeys { get; } =
        [.. SampleStatistics.QuantileLevels.Select(p => p.ToString("0.0##", CultureInfo.InvariantCulture)), "max"];

    private static readonly string[] Norms = ["fro", "spectral"];
    private static readonly string[] Distributions = ["uniform-box", "uniform-sphere", "gaussian"];

    public object? ParseSpec(SuiteYaml yaml, YamlMappingNode q, ParsedCommon common)
    {
        YamlNode? Get(string key) => SuiteYaml.Get(q, key);
        var x = Get("x") is { } xn ? yaml.Numbers(xn, "x") : null;
        if ((x is null) == (common.Box is null)) throw yaml.Error(q, "a sensitivity query needs exactly one of 'box' (lo/hi) and 'x'");
        if (common.Box is { Lo: null }) throw yaml.Error(Get("box")!, $"box '{common.Box.Name}': sensitivity takes lo/hi boxes only (no file or vnnlib)");
        if (common.SweepKey is null) throw yaml.Error(q, "a sensitivity query needs 'eps' or 'ratio'");
        bool isRatio = common.SweepKey == "ratio";
        int? layer = Get("layer") is { } ln ? yaml.Int(ln, "layer") : null;
        if (layer is < 1) throw yaml.Error(Get("layer")!, "layer must be ≥ 1 (layers count from 1)");
        bool all = Get("allLayers") is { } an && yaml.Bool(an, "allLayers");
        if (layer is not null && all) throw yaml.Error(q, "give 'layer' or 'allLayers', not both");
        if (isRatio && layer is null && !all) throw yaml.Error(Get("ratio")!, "'ratio' needs 'layer' or 'allLayers: true'");
        bool relative = Get("relative") is { } rn && yaml.Bool(rn, "relative");
        if (relative && isRatio) throw yaml.Error(Get("relative")!, "'relative' goes with 'eps', not 'ratio'");
        string? norm = Get("norm") is { } nn ? yaml.OneOf(nn, "norm", Norms) : null;
        string? dist = Get("distribution") is { } dn ? yaml.OneOf(dn, "distribution", Distributions) : null;
        long? samples = Get("samples") is { } sn ? yaml.Int(sn, "samples") : null;
        if (samples is < 2) throw yaml.Error(Get("samples")!, "samples must be ≥ 2");
        int? points = Get("points") is { } pn ? yaml.Int(pn, "points") : null;
        if (points is < 1) throw yaml.Error(Get("points")!, "points must be ≥ 1");
        if (points is not null && x is not null) throw yaml.Error(Get("points")!, "'points' goes with a box, not with 'x'");
        var mean = Get("expectMean") is { } mn ? yaml.Range(mn, "expectMean") : null;
        var quantiles = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (Get("expectQuantiles") is { } qn)
        {
            var qm = yaml.Map(qn, "expectQuantiles");
            yaml.CheckKeys(qm, QuantileKeys.ToArray(), "expectQuantiles");
            foreach (var (k, v) in qm.Children) quantiles[((YamlScalarNode)k).Value!] = yaml.Range(v, "expectQuantiles." + k);
        }
        return new SensitivitySpec(isRatio, layer, all, norm, relative, dist, samples, points, x, mean, quantiles);
    }

    public List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var s = q.SpecAs<SensitivitySpec>();
        var args = new List<string> { "sensitivity", "--net", q.Network!, s.IsRatio ? "--ratio" : "--eps", Fmt(q.Eps!.Value) };
        if (s.Relative) args.Add("--relative");
        if (s.Layer is { } l) args.AddRange(["--layer-noise", Fmt(l)]);
        if (s.AllLayers) args.Add("--all-layers");
        if (s.Norm is { } n) args.AddRange(["--norm", n]);
        if (s.Distribution is { } d) args.AddRange(["--distribution", d]);
        if (s.Samples is { } sm) args.AddRange(["--samples", Fmt(sm)]);
        if (s.Points is { } p) args.AddRange(["--points", Fmt(p)]);
        if (s.X is { } x) args.AddRange(["--x", Join(x)]);
        else args.AddRange(["--lo", Join(q.Box!.Lo!), "--hi", Join(q.Box.Hi!)]);
        args.AddRange(["--seed", Fmt(q.Seed), "--json", jsonPath]);
        AddTimeout(args, q, "--certify-timeout");
        return args;
    }

    public QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode)
    {
        var s = q.SpecAs<SensitivitySpec>();
        double? upper = Num(answer["certified"]?["upperInf"]);
        double? mean = Num(answer["mean"]?["inf"]);
        var failures = new List<string>();
        if (OutsideRange("mean ‖Δf‖∞", mean, s.ExpectMean) is { } m) failures.Add(m);
        bool unsettled = s.ExpectMean is not null && mean is null;
        foreach (var (key, range) in s.ExpectQuantiles)
        {
            double? v = Num(answer["quantiles"]?["inf"]?[key]);
            if (OutsideRange($"quantile {key} of ‖Δf‖∞", v, range) is { } f) failures.Add(f);
            unsettled |= v is null;
        }
        // A missing certified bound cannot confirm expectUpper: unknown, not pass.
        unsettled |= q.ExpectUpper is not null && upper is null;
        string note = string.Create(CultureInfo.InvariantCulture,
            $"mean ‖Δf‖∞ {mean:G4}, q0.99 {Num(answer["quantiles"]?["inf"]?["0.99"]):G4}, max {Num(answer["quantiles"]?["inf"]?["max"]):G4}");
        return new QueryReading("measured", upper, null, failures, unsettled, note);
    }
}
