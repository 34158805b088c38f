using System.Collections.Concurrent;
using System.Diagnostics;
using Verify.Bounds;
using Verify.Model;
using Verify.Results;

namespace Verify.Soundness;

public sealed record CampaignOptions
{
    /// <summary>Stop once this many exact replays were made (the run finishes the instances under way).</summary>
    public long Replays { get; init; } = 1_000_000;
    public int FirstSeed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Run equiv on every n-th instance (0: never).</summary>
    public int EquivEvery { get; init; } = 16;
    public IReadOnlyList<(string Name, Network Network)> Bundled { get; init; } = [];
    /// <summary>The certified methods under test (named); <see cref="Campaign.Methods"/> unless a test injects others.</summary>
    public IReadOnlyList<(string Name, IDeviationBounder Bounder)> Methods { get; init; } = Campaign.Methods();
    /// <summary>Count violations and go on (the first one is still printed) instead of stopping at the first.</summary>
    public bool KeepGoing { get; init; }
}

public sealed record CampaignReport(long Instances, long Replays, long Skipped, IReadOnlyDictionary<string, long> BySampler,
    IReadOnlyDictionary<string, long> EquivVerdicts, TimeSpan Elapsed, Violation? Violation,
    IReadOnlyDictionary<string, long> ViolationsByCheck);

/// <summary>
/// The property tests scaled up: instance after instance (seeded, reproducible), every method's certified bound is
/// computed once and every sampled (x, θ') is replayed exactly against all of them; equiv verdicts are checked the
/// same way. The first violation stops the campaign.
/// </summary>
public static class Campaign
{
    /// <summary>The methods of `certify --method`: analytic, ibp, linear, linear with optimised slopes, auto (input
    /// splitting), `--split hybrid` (bisection and phase branching with β), and auto's norm-ball branch at a point
    /// (`Bounds/Balls`).</summary>
    public static IReadOnlyList<(string, IDeviationBounder)> Methods() =>
    [
        ("analytic", new AnalyticBounder()),
        ("ibp", new IntervalDifferenceBounder()),
        ("linear", new LinearDifferenceBounder()),
        ("linear+slopes", new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 8 }),
        ("auto", new InputSplittingBounder { MaxSplits = 12, Parallelism = 1, Timeout = TimeSpan.FromSeconds(20) }),
        // --split hybrid with every box turning to phase branching after one bisection: both kinds of split, β included.
        ("hybrid", new HybridSplittingBounder
        {
            MaxSplits = 12, Parallelism = 1, Timeout = TimeSpan.FromSeconds(20), StallRatio = 0, StallBisections = 1, PhaseGain = double.PositiveInfinity,
            PhaseLeaf = new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = 5, SplitPerturbedPhases = true },
        }),
        // At a point with a one-layer norm ball: the exact ℓ2 reduction with phase branching (+∞ elsewhere).
        ("ball", new BallSplittingBounder { MaxSplits = 12, Parallelism = 1, Timeout = TimeSpan.FromSeconds(20) }),
    ];

    public static CampaignReport Run(CampaignOptions options, Action<string>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var generator = new InstanceGenerator(options.Bundled);
        long replays = 0, skipped = 0, instances = 0, nextSeed = options.FirstSeed - 1;
        var bySampler = new ConcurrentDictionary<string, long>();
        var equiv = new ConcurrentDictionary<string, long>();
        var violations = new ConcurrentDictionary<string, long>();
        Violation? violation = null;
        long nextReport = 100_000;
        var workers = Enumerable.Range(0, Math.Max(1, options.Threads)).Select(_ => Task.Run(() =>
        {
            while ((options.KeepGoing || Volatile.Read(ref violation) is null) && Interlocked.Read(ref replays) < options.Replays)
            {
                int seed = (int)Interlocked.Increment(ref nextSeed);
                var (done, skip, found) = RunInstance(generator.Create(seed), options, bySampler, equiv);
                Interlocked.Add(ref skipped, skip);
                Interlocked.Increment(ref instances);
                long total = Interlocked.Add(ref replays, done);
                foreach (var v in found)
                {
                    Interlocked.CompareExchange(ref violation, v, null);
                    violations.AddOrUpdate(v.Check, 1, (_, n) => n + 1);
                }
                lock (bySampler)
                    if (progress is not null && total >= nextReport)
                    {
                        progress($"{total:N0} exact replays, {Interlocked.Read(ref instances):N0} instances, {sw.Elapsed.TotalSeconds:F0} s");
                        nextReport += 100_000;
                    }
            }
        })).ToArray();
        Task.WaitAll(workers);
        return new CampaignReport(instances, replays, skipped, new SortedDictionary<string, long>(bySampler),
            new SortedDictionary<string, long>(equiv), sw.Elapsed, violation, new SortedDictionary<string, long>(violations));
    }

    /// <summary>One instance: bounds of every method, then samples replayed until the instance's budget is spent.</summary>
    public static (long Replays, long Skipped, IReadOnlyList<Violation> Violations) RunInstance(Instance inst, CampaignOptions options,
        ConcurrentDictionary<string, long> bySampler, ConcurrentDictionary<string, long> equiv)
    {
        var bounds = options.Methods.Select(m => (m.Name, m.Bounder.Bound(inst.Network, inst.Box, inst.Delta))).ToArray();
        var rng = new Random(inst.Seed);
        // exact replays of a wide network cost far more: fewer samples there
        int count = Math.Clamp(60_000 / Math.Max(1, inst.Network.ParameterCount), 4, 400);
        long replays = 0, skipped = 0;
        var found = new List<Violation>();
        var nominalAt = new Dictionary<double[], Verify.Intervals.Rational[]>(ReferenceEqualityComparer.Instance);
        foreach (var s in Samplers.Draw(inst, rng, count).Concat(Samplers.Attack(inst, inst.Seed)))
        {
            bool inSet = ExactSet.Contains(inst.Model, inst.Delta, inst.Network, s.Perturbed);
            if (!inSet && s.Kind == "pgd")
            {
                // a witness the engine would report must lie in the set itself; its bound check below still applies
                found.Add(new Violation(inst, "attack witness outside the perturbation set", "the attack's θ' fails the exact membership test", s.X, s.Perturbed));
                if (!options.KeepGoing) return (replays, skipped, found);
            }
            if ((!inSet && s.Kind != "pgd") || !inst.Box.Contains(s.X)) { skipped++; continue; } // e.g. a ball direction rounded outside
            if (!nominalAt.TryGetValue(s.X, out var y0)) nominalAt[s.X] = y0 = Replay.Exact(inst.Network, s.X);
            var v = Replay.Check(inst, bounds, s, y0);
            replays++;
            bySampler.AddOrUpdate(s.Kind, 1, (_, n) => n + 1);
            if (v is not null) { found.Add(v); return (replays, skipped, found); }
        }
        if (options.EquivEvery > 0 && inst.Seed % options.EquivEvery == 0 && inst.Model.Kind != Specs.PerturbationKind.NormBall)
        {
            var pair = Samplers.Draw(inst, rng, 1).First();
            double u = bounds.Min(b => b.Item2.SupUpper);
            double eps = (inst.Seed / options.EquivEvery % 3) switch { 0 => 0, 1 => u / 4, _ => u * 2 };
            if (double.IsFinite(eps))
            {
                var (verdict, n, v) = EquivCheck.Run(inst, pair, eps, rng, 8);
                equiv.AddOrUpdate(verdict.ToString(), 1, (_, k) => k + 1);
                replays += n;
                bySampler.AddOrUpdate("equiv", n, (_, k) => k + n);
                if (v is not null) found.Add(v);
            }
        }
        return (replays, skipped, found);
    }
}
