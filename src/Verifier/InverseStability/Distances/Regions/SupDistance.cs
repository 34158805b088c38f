using System.Diagnostics;
using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// sup_{x ∈ U} ‖f1(x) − f2(x)‖∞ by bisecting the tolerance of ε-equivalence queries (<see cref="EquivalenceChecker"/>):
/// a witness search gives an exact lower value L; each query "sup ≤ ε" either verifies (the checker's certified bound
/// is a new upper end), falsifies (its exactly replayed witness is a new lower end) or runs out of time (its bound still
/// counts). The first query asks ε = L itself, which settles exact copies and maxima at the searched points at once.
/// When the ends have not met after <see cref="BisectionShare"/> of the time, the rest goes to the exact
/// <see cref="RegionSearch"/> with the <see cref="SupObjective"/> (seeded with the best witness), which makes the value
/// exact wherever the enumeration of the joint activation regions completes (small networks).
/// </summary>
public sealed class SupDistance
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Stop once Upper − Lower ≤ this share of Upper.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    public int Seed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Share of the time for the bisection; the rest goes to the exact region search when the bisection does not meet.</summary>
    public double BisectionShare { get; init; } = 0.5;

    public SupDistanceResult Compute(Network first, Network second, Box box, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        double Left() => (Timeout - clock.Elapsed).TotalSeconds;
        double bisectUntil = Timeout.TotalSeconds * BisectionShare;
        var (lower, x0, output) = Search(first, second, box, Math.Min(0.5, Left() / 10));
        Rational[]? witness = x0?.Select(Rational.FromDouble).ToArray();
        double upper = double.PositiveInfinity;
        int queries = 0;
        double eps = lower.ToInterval().Hi;
        while (Left() > 0.05 && clock.Elapsed.TotalSeconds < bisectUntil && !cancellation.IsCancellationRequested)
        {
            var query = new EquivalenceQuery(first, second, box, eps, TopOne: false)
            {
                Timeout = TimeSpan.FromSeconds(Math.Max(0.05, double.IsFinite(upper) ? (bisectUntil - clock.Elapsed.TotalSeconds) / 2 : bisectUntil * 0.75)),
                Seed = Seed + queries,
                Threads = Threads,
            };
            var r = new EquivalenceChecker().Check(query, cancellation: cancellation);
            queries++;
            upper = Math.Min(upper, r.MaxUpper);
            if (r.Witness is { Difference: { } d, Output: { } j } w && d > lower)
                (lower, witness, output) = (d, w.X.Select(Rational.FromDouble).ToArray(), j);
            if (r.Verdict is Verdict.Unknown or Verdict.Timeout && !double.IsFinite(upper)) break;
            if (Rational.FromDouble(upper) == lower) break;
            double lo = lower.ToInterval().Lo;
            if (upper - lo <= RelativeTolerance * upper) break;
            eps = lo + (upper - lo) / 2;
        }
        Rational? exact = double.IsFinite(upper) && Rational.FromDouble(upper) == lower ? lower : null;
        RegionDistanceResult? regions = null;
        if (exact is null && Left() > 0.1 && !cancellation.IsCancellationRequested)
        {
            var slice = new BoxSlice(box);
            regions = new RegionSearch(first, second, slice, new SupObjective(first, second, slice))
                .Run(TimeSpan.FromSeconds(Left()), cancellation, seedPoint: witness);
            if (regions.Lower > lower && regions.Witness is { } w)
                (lower, witness, output) = (regions.Lower, w, LargestGap(first, second, w));
            upper = Math.Min(upper, regions.Upper);
            if (regions.Exact is { } e && e == lower) exact = lower;
        }
        return new SupDistanceResult(lower, exact is { } x ? x.ToInterval().Hi : upper, exact, witness, output, queries, regions,
            clock.Elapsed.TotalSeconds);
    }

    private static int LargestGap(Network first, Network second, Rational[] x)
    {
        var y1 = first.EvaluateExact(x); var y2 = second.EvaluateExact(x);
        int best = 0;
        for (int j = 1; j < y1.Length; j++) if (Rational.Abs(y1[j] - y2[j]) > Rational.Abs(y1[best] - y2[best])) best = j;
        return best;
    }

    /// <summary>The best exactly replayed difference over the box centre and a short gradient search.</summary>
    private static (Rational, double[]?, int?) Search(Network first, Network second, Box box, double seconds)
    {
        var clock = Stopwatch.StartNew();
        var candidates = new WitnessSearch(first, second, box, seed: 1)
            .MaximizeDifference(starts: 64, steps: 30, () => clock.Elapsed.TotalSeconds > seconds)
            .Prepend(box.Center);
        Rational best = Rational.Zero; double[]? at = null; int? output = null;
        foreach (var x in candidates)
        {
            var d = WitnessSearch.ExactDifference(first, second, x);
            for (int j = 0; j < d.Length; j++)
                if (at is null || Rational.Abs(d[j]) > best) (best, at, output) = (Rational.Abs(d[j]), x, j);
        }
        return (best, at, output);
    }
}
