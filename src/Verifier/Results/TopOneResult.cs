using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>
/// The answer of `verify certify --top1`: the class c (the nominal network's top class at the box centre), per rival
/// j a certified lower bound of min over (x, δ) of y'_c − y'_j (+∞ for c itself; −∞ where nothing was certified), and
/// the verdict: verified when every bound is positive, falsified by a <see cref="Flip"/> replayed exactly (margin ≤ 0),
/// unknown otherwise (<see cref="Reason"/> says why).
/// </summary>
public sealed record TopOneResult(
    int Class,
    double[] MarginLower,
    Verdict Verdict,
    string Method,
    double Seconds,
    int Splits,
    PerturbationModel Perturbation,
    double[] BoxLo,
    double[] BoxHi,
    string NetworkPath,
    string NetworkSha256)
{
    /// <summary>The replayed flip of a falsified answer.</summary>
    public ClassFlip? Flip { get; init; }

    /// <summary>The exact margin y'_c − y'_r of <see cref="Flip"/> (≤ 0).</summary>
    public Rational? FlipMargin { get; init; }

    /// <summary>The nominal network, to write the witness as δ = θ' − θ.</summary>
    public Network? Nominal { get; init; }

    public string? Reason { get; init; }

    /// <summary>--execution: how the flip was checked in the floating-point format (a falsified answer needs a float
    /// evaluation that flips, not only the real-valued one).</summary>
    public string? ExecutionCheck { get; init; }

    /// <summary>The smallest certified margin over the rivals.</summary>
    public double WorstMarginLower => MarginLower.Where((_, j) => j != Class).DefaultIfEmpty(double.PositiveInfinity).Min();

    public JsonObject ToJson()
    {
        var margins = new JsonArray();
        for (int j = 0; j < MarginLower.Length; j++) margins.Add(j == Class ? null : JsonArrays.FiniteOrNull(MarginLower[j]));
        var o = new JsonObject
        {
            ["query"] = "top1",
            ["verdict"] = Verdict.ToJsonName(),
            ["class"] = Class,
            ["marginLower"] = margins,
            ["worstMarginLower"] = JsonArrays.FiniteOrNull(WorstMarginLower),
            ["method"] = Method,
            ["seconds"] = Seconds,
            ["splits"] = Splits,
            ["perturbation"] = Perturbation.ToJson(),
            ["box"] = new JsonObject { ["lo"] = JsonArrays.Of(BoxLo), ["hi"] = JsonArrays.Of(BoxHi) },
            ["network"] = new JsonObject { ["path"] = NetworkPath, ["sha256"] = NetworkSha256 },
            ["reason"] = Reason,
        };
        if (ExecutionCheck is not null) o["executionCheck"] = ExecutionCheck;
        if (Flip is not null && Nominal is not null)
        {
            var w = WitnessJson.ToJson(Flip.AsWitness(), Nominal);
            w["class"] = Flip.Class;
            w["rival"] = Flip.Rival;
            w["nominalFlip"] = Flip.NominalFlip;
            if (FlipMargin is { } m) { w["margin"] = m.ToInterval().Hi; w["marginExact"] = m.ToString(); }
            o["witness"] = w;
        }
        else o["witness"] = null;
        return o;
    }
}
