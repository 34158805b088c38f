using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>One bounding method's per-output certified upper bounds and its wall-clock time.</summary>
public sealed record MethodBound(string Name, double[] Upper, double Seconds);

/// <summary>One point of the input-splitting history: after <see cref="Splits"/> bisections at <see cref="Seconds"/>,
/// the certified sup-norm bound was <see cref="SupUpper"/>.</summary>
public sealed record SplitProgress(int Splits, double Seconds, double SupUpper);

/// <summary>
/// The answer of `verify certify`: certified U_j ≥ sup |f_j(x;θ+δ) − f_j(x;θ)| (the element-wise minimum over every
/// method that ran, all of them sound), how they were obtained, and the verdict against an optional threshold.
/// Kept a plain record so that lower bounds (attacks, witnesses) can be added alongside.
/// </summary>
public sealed record CertifyResult(
    double[] Upper,
    string Method,
    double Seconds,
    int Splits,
    PerturbationModel Perturbation,
    double[] BoxLo,
    double[] BoxHi,
    string NetworkPath,
    string NetworkSha256,
    IReadOnlyList<MethodBound> Methods,
    IReadOnlyList<SplitProgress> History,
    double? Threshold = null)
{
    public double SupUpper => Upper.Max();

    /// <summary>Replayed lower bounds per output (null: not attacked), present when the attack ran.</summary>
    public IReadOnlyList<LowerBound?>? Lower { get; init; }

    /// <summary>The nominal network, to write the witness as δ = θ' − θ.</summary>
    public Network? Nominal { get; init; }

    /// <summary>Present when the anytime branch and bound (--gap, --trace) ran.</summary>
    public SearchSummary? Search { get; init; }

    /// <summary>Present for --method z3: the exact encodings that ran per output.</summary>
    public Z3Summary? Z3 { get; init; }

    /// <summary>With --execution: why a float evaluation may overflow (the bound is then +∞), or null.</summary>
    public string? ExecutionOverflow { get; init; }

    /// <summary>The best witness run through ONNX Runtime (falsified answers and --execution), beside its exact replay.</summary>
    public RuntimeReplay? RuntimeReplay { get; init; }

    public LowerBound? SupLower => Lower?.Where(l => l is not null).MaxBy(l => l!.Exact);

    /// <summary>
    /// Falsified when a replayed witness exceeds T (exactly, in rationals); verified when every U_j ≤ T; otherwise
    /// unknown (an upper bound above T proves nothing).
    /// </summary>
    public Verdict? Verdict => Threshold is not { } t ? null
        : SupLower is { } l && l.Exact > Rational.FromDouble(t) ? Results.Verdict.Falsified
        : SupUpper <= t ? Results.Verdict.Verified
        : Results.Verdict.Unknown;

    public JsonObject ToJson()
    {
        var methods = new JsonObject();
        foreach (var m in Methods)
            methods[m.Name] = new JsonObject { ["upper"] = JsonArrays.FiniteOrNull(m.Upper), ["supUpper"] = JsonArrays.FiniteOrNull(m.Upper.Max()), ["seconds"] = m.Seconds };
        var history = new JsonArray();
        foreach (var h in History)
            history.Add(new JsonObject { ["splits"] = h.Splits, ["seconds"] = h.Seconds, ["supUpper"] = h.SupUpper });
        var o = new JsonObject
        {
            ["upper"] = JsonArrays.FiniteOrNull(Upper),
            ["supUpper"] = JsonArrays.FiniteOrNull(SupUpper),
            ["method"] = Method,
            ["seconds"] = Seconds,
            ["splits"] = Splits,
            ["perturbation"] = Perturbation.ToJson(),
            ["box"] = new JsonObject { ["lo"] = JsonArrays.Of(BoxLo), ["hi"] = JsonArrays.Of(BoxHi) },
            ["network"] = new JsonObject { ["path"] = NetworkPath, ["sha256"] = NetworkSha256 },
            ["methods"] = methods,
            ["history"] = history,
        };
        if (Lower is not null && Nominal is not null) WitnessJson.AddLowerBounds(o, Lower, Nominal);
        if (RuntimeReplay is not null) o["runtimeReplay"] = RuntimeReplay.ToJson();
        if (Search is not null) o["search"] = Search.ToJson();
        if (Z3 is not null) o["z3"] = Z3.ToJson();
        if (Perturbation.Execution is { } execution) o["execution"] = Specs.ExecutionOverflow.ToJson(execution, ExecutionOverflow);
        if (Threshold is { } t)
        {
            o["threshold"] = t;
            o["verdict"] = Verdict!.Value.ToJsonName();
        }
        return o;
    }
}
