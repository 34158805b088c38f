using System.Diagnostics;
using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// The answer of <see cref="SupDistance"/>: Lower ≤ sup_x ‖f1(x) − f2(x)‖∞ ≤ Upper, Lower the exact |f2_j − f1_j| at
/// <see cref="Witness"/> (output <see cref="Output"/>), Upper certified. Exact when the two meet.
/// </summary>
public sealed record SupDistanceResult(Rational Lower, double Upper, double[]? Witness, int? Output, int Queries, double Seconds)
{
    public Rational? Exact => double.IsFinite(Upper) && Rational.FromDouble(Upper) == Lower ? Lower : null;
    public bool IsExact => Exact is not null;
}

/// <summary>
/// sup_{x ∈ U} ‖f1(x) − f2(x)‖∞ by bisecting the tolerance of ε-equivalence queries (<see cref="EquivalenceChecker"/>):
/// a witness search gives an exact lower value L; each query "sup ≤ ε" either verifies (the checker's certified bound
/// is a new upper end), falsifies (its exactly replayed witness is a new lower end) or runs out of time (its bound still
/// counts). The first query asks ε = L itself, which settles exact copies and maxima at the searched points at once.
/// </summary>
public sealed class SupDistance
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Stop once Upper − Lower ≤ this share of Upper.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    public int Seed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;

    public SupDistanceResult Compute(Network first, Network second, Box box, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        double Left() => (Timeout - clock.Elapsed).TotalSeconds;
        var (lower, witness, output) = Search(first, second, box, Math.Min(0.5, Left() / 10));
        double upper = double.PositiveInfinity;
        int queries = 0;
        double eps = lower.ToInterval().Hi;
        while (Left() > 0.05 && !cancellation.IsCancellationRequested)
        {
            var query = new EquivalenceQuery(first, second, box, eps, TopOne: false)
            {
                Timeout = TimeSpan.FromSeconds(double.IsFinite(upper) ? Left() / 2 : Left() * 0.75),
                Seed = Seed + queries,
                Threads = Threads,
            };
            var r = new EquivalenceChecker().Check(query, cancellation: cancellation);
            queries++;
            upper = Math.Min(upper, r.MaxUpper);
            if (r.Witness is { Difference: { } d, Output: { } j } w && d > lower)
                (lower, witness, output) = (d, w.X, j);
            if (r.Verdict is Verdict.Unknown or Verdict.Timeout && !double.IsFinite(upper)) break;
            double lo = lower.ToInterval().Lo;
            if (upper - lo <= RelativeTolerance * upper || Rational.FromDouble(upper) == lower) break;
            eps = lo + (upper - lo) / 2;
        }
        return new SupDistanceResult(lower, upper, witness, output, queries, clock.Elapsed.TotalSeconds);
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
