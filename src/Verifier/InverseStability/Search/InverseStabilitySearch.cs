using System.Diagnostics;
using Verify.Intervals;
using Verify.Results;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>The parameter space searched: N_N (all), N′ of (36) (balanced and C.2), N* of (37).</summary>
public enum SearchSpace { All, Balanced, Restricted }

public sealed record SearchOptions(int Inputs, int Width, SearchSpace Space)
{
    public double Alpha { get; init; } = 0.5;
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Null: unseeded (the seed used is reported, so a run can be repeated).</summary>
    public int? Seed { get; init; }
    /// <summary>Also start from the paper's examples whose architecture matches (d, m).</summary>
    public bool SeedFamilies { get; init; }
    public RealizationNorm Norm { get; init; } = RealizationNorm.Semi;
    /// <summary>How many best pairs to keep.</summary>
    public int Keep { get; init; } = 5;
    /// <summary>Moves without improvement before a restart.</summary>
    public int Patience { get; init; } = 60;
    /// <summary>Largest |parameter| of Γ and Θ: keeps the search from buying ratio with ever larger weights, so that it
    /// grows by bringing the realizations together instead.</summary>
    public Rational MaxWeight { get; init; } = 8;
    /// <summary>Time limit of one Z3 check (regions of the semi-norm for d ≥ 3, the sup norm for d ≥ 3).</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// One scored pair: Ratio is a certified lower bound of d(Γ, fiber(Θ)) / ‖R(Γ) − R(Θ)‖^α (the numerator a lemma bound of
/// <see cref="FiberLemmas"/>, the denominator exact or an upper bound, the quotient rounded down). Pathologies and
/// Theorem are decided from the networks (<see cref="Pathologies"/>, <see cref="TheoremCheck"/>).
/// </summary>
public sealed record SearchPair(string Origin, ExactNet Gamma, ExactNet Theta, FiberDomain Domain, FiberLemmaBound Lower, Rational ParameterUpper,
                                RealizationUpper Realization, double Ratio, int Moves)
{
    public IReadOnlyList<string> Pathologies { get; init; } = [];
    public TheoremReport? Theorem { get; init; }
}

public sealed record SearchResult(IReadOnlyList<SearchPair> Best, int Evaluated, int Rejected, int Restarts, int Seed, TimeSpan Elapsed);

/// <summary>
/// Counterexample search for inverse stability: pairs (Γ, Θ) that maximise fiber lower bound / realization distance^α.
/// Each start is a random Γ of the space with Θ = Γ with one neuron replaced (or, with SeedFamilies, a paper example of
/// the same architecture); hill climbing by <see cref="RandomNets.Move"/> keeps a move when the certified ratio grows,
/// and restarts after Patience moves without progress. Every score is exact (planar sectors for d = 2, Z3 regions
/// otherwise), so the loop checks the clock between scores and the budget holds.
/// </summary>
public static class InverseStabilitySearch
{
    /// <summary>The entry point of `verify inverse-stability search`: <see cref="Run"/> as a result record.</summary>
    public static StabilitySearchResult Report(SearchOptions o, CancellationToken cancel = default)
    {
        var r = Run(o, cancel);
        var pairs = r.Best.Select((p, i) => new StabilitySearchPair(p.Origin, p.Moves,
            Network(p.Gamma, $"search pair {i + 1} Gamma"), Network(p.Theta, $"search pair {i + 1} Theta"),
            p.Realization, p.Lower, p.ParameterUpper, p.Ratio, p.Pathologies, p.Theorem)).ToArray();
        return new StabilitySearchResult(o.Inputs, o.Width, o.Space.ToString().ToLowerInvariant(), o.Alpha, o.Norm == RealizationNorm.Semi ? "semi" : "sup",
            o.SeedFamilies, o.Budget.TotalSeconds, pairs, r.Evaluated, r.Rejected, r.Restarts, r.Seed, r.Elapsed);
    }

    private static PairNetwork Network(ExactNet n, string name) => new(n.Parameters().ToArray(), n.IsDyadicExact, n.ToNetwork(name));

    public static SearchResult Run(SearchOptions o, CancellationToken cancel = default)
    {
        if (o.Space == SearchSpace.Restricted && o.Inputs < 2) throw new ArgumentException("the restricted space N* needs at least two inputs");
        var clock = Stopwatch.StartNew();
        int seed = o.Seed ?? Environment.TickCount & int.MaxValue;
        var rng = new Random(seed);
        var u = new FiberDomain(Enumerable.Repeat(-Rational.One, o.Inputs).ToArray(), Enumerable.Repeat(Rational.One, o.Inputs).ToArray());
        // The closing theorem checks of the kept pairs get the last twentieth of the budget.
        var searchEnd = o.Budget * 0.95;
        bool TimeLeft() => clock.Elapsed < searchEnd && !cancel.IsCancellationRequested;
        var best = new List<SearchPair>();
        int evaluated = 0, rejected = 0, restarts = 0;
        var starts = new Queue<(string, ExactNet, ExactNet)>(o.SeedFamilies ? FamilyStarts(o) : []);

        SearchPair? Score(string origin, ExactNet g, ExactNet t, int moves)
        {
            if (!InSpace(g, o.Space) || !InSpace(t, o.Space) || TooLarge(g, o.MaxWeight) || TooLarge(t, o.MaxWeight)) { rejected++; return null; }
            RealizationUpper r;
            // A Z3 check (d ≥ 3) never runs past the end of the search.
            var left = searchEnd - clock.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            try { r = RealizationUpperBound.Compute(g, t, u, o.Norm, left < o.CheckTimeout ? left : o.CheckTimeout); }
            catch (NotSupportedException) { rejected++; return null; }
            evaluated++;
            if (r.Value.IsZero) return null; // same realization: the ratio is undefined (and the fiber distance 0)
            var lower = FiberLemmas.LowerBound(g, t);
            return new SearchPair(origin, g, t, u, lower, Rational.Zero, r, RatioLowerBound(lower.Value, r.Value, o.Alpha), moves);
        }

        while (TimeLeft())
        {
            restarts++;
            var (origin, g0, t0) = starts.Count > 0 ? starts.Dequeue() : RandomStart(rng, o, restarts);
            var current = Score(origin, g0, t0, 0);
            if (current is null) continue;
            for (int fails = 0; fails < o.Patience && TimeLeft();)
            {
                var (g, t, _) = RandomNets.Move(rng, current.Gamma, current.Theta, o.Space);
                var next = Score(origin, g, t, current.Moves + 1);
                if (next is not null && next.Ratio > current.Ratio) { current = next; fails = 0; }
                else fails++;
            }
            best.Add(current);
            best = best.OrderByDescending(p => p.Ratio).Take(o.Keep).ToList();
        }
        var finished = best.Select(p => Finish(p, o)).ToList();
        return new SearchResult(finished, evaluated, rejected, restarts, seed, clock.Elapsed);
    }

    private static (string, ExactNet, ExactNet) RandomStart(Random rng, SearchOptions o, int restart)
    {
        var g = RandomNets.Network(rng, o.Inputs, o.Width, o.Space);
        return ($"random start {restart}", g, RandomNets.ReplaceOne(rng, g, o.Space));
    }

    private static IEnumerable<(string, ExactNet, ExactNet)> FamilyStarts(SearchOptions o)
    {
        foreach (var k in new[] { 1, 2, 4, 8 })
            foreach (var id in PaperExamples.Ids)
            {
                var e = PaperExamples.Build(id, k);
                if (e.Gamma.InputSize == o.Inputs && e.Gamma.Layers[0].Outputs == o.Width)
                    yield return ($"Example {id}, k = {k}", e.Gamma, e.Theta);
            }
    }

    /// <summary>Upper bound (Θ under the best permutation), pathologies and the theorems' verdict of a kept pair.</summary>
    private static SearchPair Finish(SearchPair p, SearchOptions o)
    {
        var theorem = TheoremCheck.Run(p.Gamma, p.Theta, p.Domain, null);
        return p with
        {
            ParameterUpper = ShallowNeurons.PermutationDistance(p.Gamma, p.Theta),
            Theorem = theorem,
            Pathologies = Pathologies.Of(theorem.Conditions, o.Norm),
        };
    }

    private static bool TooLarge(ExactNet n, Rational max) => n.Parameters().Any(p => Rational.Abs(p) > max);

    public static bool InSpace(ExactNet n, SearchSpace space)
    {
        if (!ShallowNeurons.IsBiasFreeShallow(n) || n.OutputSize != 1) return false;
        if (space == SearchSpace.All) return true;
        var rep = PaperConditions.Check(n, null, null);
        return space == SearchSpace.Balanced ? rep.Balanced && rep.C2 : rep.InNStar;
    }

    /// <summary>lower / upper^α rounded down (a relative margin of 1e-12 covers Math.Pow's last-place error).</summary>
    public static double RatioLowerBound(Rational lower, Rational upper, double alpha)
    {
        double num = lower.ToInterval().Lo, den = upper.ToInterval().Hi;
        if (num <= 0) return 0;
        return num / (Math.Pow(den, alpha) * (1 + 1e-12)) * (1 - 1e-12);
    }
}
