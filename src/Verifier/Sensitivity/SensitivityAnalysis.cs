using System.Diagnostics;
using System.Runtime.CompilerServices;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Sensitivity;

public sealed record SensitivityOptions
{
    public long Samples { get; init; } = 100_000;
    public ulong Seed { get; init; } = 1;
    public int FirstOrderSamples { get; init; } = 20_000;
    public bool CheckRegionBoundary { get; init; } = true;
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Time limit per certified bounder call; null skips the certified bound.</summary>
    public TimeSpan? CertifyTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public bool ShowProgress { get; init; }
}

/// <summary>
/// Runs the Monte Carlo estimate at a set of input points (one point, or points drawn uniformly in an input box):
/// the samples are split evenly over the points, so the estimand is the average over those points of
/// E_η‖f(x;θ+η) − f(x;θ)‖, and intervals are conditional on the drawn points.
/// </summary>
public static class SensitivityAnalysis
{
    public static SensitivityResult Run(Network net, NoiseSpec noise, IReadOnlyList<double[]> points, Box? inputBox,
                                        SensitivityOptions options, CancellationToken cancellation = default)
    {
        if (points.Count == 0) throw new ArgumentException("no input points");
        if (options.Samples < 2 || options.Samples > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(options), "samples must be in 2..1e9");
        var generators = noise.Build(net);
        var sampler = new DeviationSampler(net, generators) { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        int total = (int)options.Samples;
        var inf = new double[total];
        var l2 = new double[total];
        var done = new StrongBox<long>(0);
        var analyses = new List<PointAnalysis>();
        var clock = new Stopwatch();
        using (options.ShowProgress ? new ProgressBar(done, total) : null)
        {
            int offset = 0;
            for (int p = 0; p < points.Count; p++)
            {
                int count = total / points.Count + (p < total % points.Count ? 1 : 0);
                clock.Start();
                if (count > 0) sampler.Sample(points[p], options.Seed, p, inf, l2, offset, count, done, cancellation);
                clock.Stop();
                offset += count;
                var lin = LocalLinearization.At(net, points[p]);
                analyses.Add(new PointAnalysis(points[p],
                    ConditionNumberAnalysis.At(lin, noise, options.CheckRegionBoundary),
                    FirstOrderAnalysis.At(lin, generators, options.FirstOrderSamples, options.Seed ^ (ulong)p),
                    AprioriDeviationBound.At(net, generators, points[p])));
            }
        }
        double? u = analyses.All(a => a.AprioriBound is not null) ? analyses.Max(a => a.AprioriBound!.Value) : null;
        CertifiedBound? certified = null;
        if (options.CertifyTimeout is { } t)
        {
            var box = inputBox ?? Box.FromBounds(points[0], points[0]);
            certified = CertifiedBounds.Compute(net, box, noise, t);
        }
        // The certified ∞-bound is also sample-independent: use it when it is tighter for the ∞-norm.
        double? uInf = certified is null ? u : u is null ? certified.Upper : Math.Min(u.Value, certified.Upper);
        return new SensitivityResult(noise, total, SampleStatistics.Of(inf, uInf), SampleStatistics.Of(l2, u), analyses,
                                     certified, clock.Elapsed);
    }

    /// <summary>n points uniform in the box, from their own stream of the seed.</summary>
    public static double[][] PointsInBox(Box box, int n, ulong seed)
    {
        var rng = new Rng(seed, 0xB0B0UL, 0);
        var r = new double[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = new double[box.Dimension];
            for (int d = 0; d < box.Dimension; d++)
            {
                var iv = box[d];
                r[i][d] = Math.Clamp(iv.Lo + rng.NextDouble() * (iv.Hi - iv.Lo), iv.Lo, iv.Hi);
            }
        }
        return r;
    }
}
