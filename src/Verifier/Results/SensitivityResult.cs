using System.Text.Json.Nodes;
using Verify.Specs;

namespace Verify.Results;

/// <summary>A certified sup‖Δf‖∞ and the bounder that gave it.</summary>
public sealed record CertifiedBound(double Upper, string Method);

/// <summary>What one input point contributes besides its samples.</summary>
public sealed record PointAnalysis(double[] X, ConditionNumbers Condition, FirstOrderPrediction FirstOrder, double? AprioriBound);

/// <summary>The outcome of one Monte Carlo sensitivity run.</summary>
public sealed record SensitivityResult(
    NoiseSpec Noise, long Samples, SampleStatistics Inf, SampleStatistics L2, IReadOnlyList<PointAnalysis> Points,
    CertifiedBound? Certified, TimeSpan SamplingTime)
{
    public double SamplesPerSecond => Samples / Math.Max(1e-9, SamplingTime.TotalSeconds);

    /// <summary>First-order prediction averaged over the points (each point gets the same share of samples).</summary>
    public (double Inf, double L2, double? RmsL2) FirstOrder => (
        Points.Average(p => p.FirstOrder.MeanInf), Points.Average(p => p.FirstOrder.MeanL2),
        Points.All(p => p.FirstOrder.RmsL2 is not null) ? Points.Average(p => p.FirstOrder.RmsL2!.Value) : null);

    /// <summary>The --json layout of a sensitivity run (see docs/sensitivity.md).</summary>
    public JsonObject ToJson(double precision)
    {
        var r = this;
        long? needInf = r.Inf.SamplesNeeded(precision), needL2 = r.L2.SamplesNeeded(precision);
        var fo = r.FirstOrder;
        var o = new JsonObject
        {
            ["noise"] = r.Noise.ToJson(),
            ["samples"] = r.Samples,
            ["points"] = r.Points.Count,
            ["mean"] = new JsonObject { ["inf"] = r.Inf.Mean, ["l2"] = r.L2.Mean },
            ["stdDev"] = new JsonObject { ["inf"] = r.Inf.StdDev, ["l2"] = r.L2.StdDev },
            ["ci95"] = new JsonObject { ["inf"] = Pair(r.Inf.Normal), ["l2"] = Pair(r.L2.Normal) },
            ["ci95Method"] = r.Inf.Normal.Method,
            ["ci95DistributionFree"] = new JsonObject
            {
                ["inf"] = r.Inf.DistributionFree is { } a ? Pair(a) : null,
                ["l2"] = r.L2.DistributionFree is { } b ? Pair(b) : null,
                ["method"] = r.Inf.DistributionFree?.Method ?? r.L2.DistributionFree?.Method
                             ?? "none: the noise is unbounded (gaussian), so no a-priori bound U exists",
                ["upperBound"] = new JsonObject { ["inf"] = r.Inf.UpperBound, ["l2"] = r.L2.UpperBound },
            },
            ["quantiles"] = new JsonObject { ["inf"] = Quantiles(r.Inf), ["l2"] = Quantiles(r.L2) },
            ["quantileCi95"] = new JsonObject { ["inf"] = QuantileIntervals(r.Inf), ["l2"] = QuantileIntervals(r.L2),
                                                ["method"] = "order statistics (binomial), distribution-free" },
            ["precision"] = precision,
            ["samplesNeeded"] = needInf is null || needL2 is null ? null : Math.Max(needInf.Value, needL2.Value),
            ["samplesNeededByNorm"] = new JsonObject { ["inf"] = needInf, ["l2"] = needL2 },
            ["firstOrder"] = new JsonObject { ["inf"] = fo.Inf, ["l2"] = fo.L2, ["rmsL2ClosedForm"] = fo.RmsL2 },
            ["certified"] = r.Certified is null ? null : new JsonObject { ["upperInf"] = r.Certified.Upper, ["method"] = r.Certified.Method },
            ["samplesPerSecond"] = r.SamplesPerSecond,
            ["conditionNumbers"] = Conditions(r),
        };
        return o;
    }

    private static JsonArray Pair(ConfidenceInterval c) => [Num(c.Lo), Num(c.Hi)];

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject Quantiles(SampleStatistics s)
    {
        var o = new JsonObject();
        foreach (var q in s.Quantiles) o[Key(q.P)] = q.Value;
        o["max"] = s.Max;
        return o;
    }

    private static JsonObject QuantileIntervals(SampleStatistics s)
    {
        var o = new JsonObject();
        foreach (var q in s.Quantiles) o[Key(q.P)] = Pair(q.Interval);
        return o;
    }

    private static string Key(double p) => p.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonArray Conditions(SensitivityResult r)
    {
        var a = new JsonArray();
        foreach (var p in r.Points)
        {
            var c = p.Condition;
            var b = new JsonArray();
            foreach (var (layer, neuron) in c.BoundaryNeurons) b.Add(new JsonObject { ["layer"] = layer, ["neuron"] = neuron });
            a.Add(new JsonObject
            {
                ["x"] = JsonArrays.Of(p.X),
                ["input"] = new JsonObject { ["absolute"] = Norms(c.InputAbsolute), ["relative"] = Norms(c.InputRelative) },
                ["parameters"] = new JsonObject { ["absolute"] = Norms(c.ParameterAbsolute), ["relative"] = Norms(c.ParameterRelative) },
                ["onRegionBoundary"] = c.OnRegionBoundary,
                ["boundaryNeurons"] = b,
                ["firstOrder"] = new JsonObject { ["inf"] = p.FirstOrder.MeanInf, ["l2"] = p.FirstOrder.MeanL2, ["rmsL2ClosedForm"] = p.FirstOrder.RmsL2 },
            });
        }
        return a;
    }

    private static JsonObject Norms(NormPair n) => new() { ["inf"] = Num(n.Inf), ["l2"] = Num(n.L2) };
}
