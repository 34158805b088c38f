using System.Diagnostics;
using Verify.Certificates;
using Verify.Intervals;
using Verify.Results;
using Verify.Search;
using Verify.Smt;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// The certify pipeline: the one-pass bounds of the ladder (<see cref="BoundMethods.Ladder"/>), the lower-bound search,
/// z3, input splitting, the merge of every method's bounds (element-wise minimum of U, best replayed L) and the check
/// U ≥ L, within the budget rule of <see cref="CertifyBudget"/>. With an execution format the bounders get the widened
/// box, the search the user's, and a possible float overflow makes U = +∞ (docs/execution.md). Returns a value; writes
/// nothing but --trace.
/// </summary>
public static class CertifyEngine
{
    /// <param name="progress">hears every improvement of input splitting's sup U (a progress line, say)</param>
    public static CertifyResult Run(CertifyQuery q, Action<SplitProgress>? progress = null) => Run(q, progress, null);

    /// <summary>
    /// As <see cref="Run(CertifyQuery, Action{SplitProgress}?)"/>, and with <see cref="CertifyQuery.Certificate"/> set also
    /// the certificate of the answer (<see cref="CertificateBuilder"/>): the witness of a falsified verdict, else the
    /// leaves of input splitting (the whole box when it did not run), each re-bounded on its own.
    /// </summary>
    public static (CertifyResult Result, Certificate? Certificate) RunWithCertificate(CertifyQuery q, Action<SplitProgress>? progress = null)
    {
        if (!q.Certificate) return (Run(q, progress), null);
        var record = new Bounds.SplitRecord();
        var result = Run(q, progress, record);
        return (result, CertificateBuilder.Build(q, result, record));
    }

    private static CertifyResult Run(CertifyQuery q, Action<SplitProgress>? progress, Bounds.SplitRecord? record)
    {
        q.Validate();
        var network = q.Network;
        var delta = q.Perturbation.ToBox(network);
        Specs.NumericRange.Check(network, q.Box, delta);
        // --execution: the bounders get the widened box, the attack the user's own (its witnesses must be admissible).
        var witnessDelta = delta.RealArithmetic;
        string? overflow = q.Perturbation.Execution is { } format ? ExecutionOverflow.Check(network, q.Box, delta, format) : null;
        var budget = new CertifyBudget(q.Timeout);
        var settings = new BounderSettings
        {
            Linear = new Bounds.LinearDifferenceBounder
            {
                OptimizeSlopes = q.OptimizeSlopes,
                OptimizedHiddenLayers = q.OptimizeHidden ?? network.Depth,
                SlopeIterations = q.SlopeIterations,
            },
        };
        var methods = new List<MethodBound>();
        foreach (var m in BoundMethods.Ladder(q.Method))
        {
            var sw = Stopwatch.StartNew();
            var b = m.Create!(settings).Bound(network, q.Box, delta);
            methods.Add(new MethodBound(m.Name, b.Upper, sw.Elapsed.TotalSeconds));
        }
        // What splitting's root bound will cost before its own clock starts: about the ladder's slowest pass.
        var rootCost = TimeSpan.FromSeconds(methods.Max(m => m.Seconds));
        if (OptimizedRoot.Applies(q) && methods.FirstOrDefault(m => m.Name == BoundMethods.Linear.Name) is { } plain
            && OptimizedRoot.Run(network, q.Box, delta, settings, plain.Seconds, budget.Remaining) is { } optimized)
            methods.Add(optimized);

        // A one-layer norm ball at a fixed input: its exact reduction to an ℓ2 ball of pre-activations (docs/normballs.md).
        // Not with --certificate: the certificate re-bounds input splitting's tree, which the reduction has no record in.
        bool ball = !q.Certificate && q.Method.Order >= BoundMethods.Linear.Order && BoundMethods.BallApplies(network, q.Box, delta);
        if (ball)
        {
            var sw = Stopwatch.StartNew();
            methods.Add(new MethodBound(BallMethodName, BoundMethods.BallRoot(network, q.Box, delta), sw.Elapsed.TotalSeconds));
        }
        IReadOnlyList<LowerBound?>? ballLower = null;
        void RunBallAttack(IReadOnlyList<LowerBound?>? from, TimeSpan time) =>
            ballLower = BallAttack.Run(network, q.Box, witnessDelta, from, new BallAttack.Options { Seed = q.Seed, Time = time });
        AnytimeSearch.Outcome RunSearch(TimeSpan time, TimeSpan? searchFor = null) => AnytimeSearch.Run(network, q.Box, witnessDelta, q.Method.SearchLeaf,
            new AnytimeSearch.Settings(q.AttackRestarts, q.Seed, q.Gap, q.TracePath, time, q.MaxSplits, q.Threshold) { SearchFor = searchFor });
        // First, the attack searches for its share and replays its witnesses within a larger one (CertifyBudget).
        var search = q.Method.Splits ? RunSearch(budget.SearchFirstLimit(q.BranchAndBound), budget.SearchFirst(q.BranchAndBound)) : null;

        if (ball && search is not null) RunBallAttack(search.Lower, budget.SearchFirst(false));
        IReadOnlyList<DeviationMaximum>? exact = null;
        double exactSeconds = 0;
        if (q.Method.Exact)
        {
            var sw = Stopwatch.StartNew();
            exact = DeviationMaximizer.MaximizeAll(network, q.Box, delta, MergedUpper(methods, search), search!.Lower, budget.Exact());
            exactSeconds = sw.Elapsed.TotalSeconds;
            methods.Add(new MethodBound(BoundMethods.Z3.Name, exact.Select(e => e.UpperDouble).ToArray(), exactSeconds));
        }
        bool exactOpen = exact is null || exact.Any(e => e.Status is MaximizeStatus.Unknown or MaximizeStatus.WithinTolerance);
        // Input splitting stops once sup U ≤ (1 + gap)·sup L (without --gap: equal up to the outward rounding): the
        // answer cannot get better.
        double supLower = Better(search?.Lower, ballLower)?.Max(l => l?.Value ?? 0) ?? 0;
        if (exact is not null) supLower = Math.Max(supLower, exact.Max(e => e.Witness?.Value ?? 0));
        double target = supLower * (1 + (q.Gap ?? CertifyBudget.RoundingGap));
        bool alreadyThere = supLower > 0 && MergedUpper(methods, search).Max() <= target;
        int splits = 0;
        IReadOnlyList<SplitProgress> history = [];
        IReadOnlyList<LowerBound?>? fed = null;
        // Splitting starts only if more than its root bound fits: the root alone only repeats the ladder's linear pass.
        var stopLatency = CertifyBudget.StopLatency(rootCost);
        if (q.Method.Splits && exactOpen && budget.Remaining - stopLatency > rootCost && !alreadyThere)
        {
            // The attack restarts inside the boxes splitting is about to split, while it runs (the user's box: its
            // witnesses must be admissible in real arithmetic). Its replays must end with the budget; splitting stops
            // early enough for them (feed.Closing), at the replay cost the first attack measured.
            using var feed = q.AttackRestarts > 0
                ? new PromisingBoxAttack(network, witnessDelta, q.Box, new AttackOptions { Seed = q.Seed }.ForPart(), search?.Lower)
                    { Limit = budget.Remaining - stopLatency, ReplayCost = search?.ReplayCost }
                : null;
            var limits = new SplitLimits(CertifyBudget.SplitTimeout(budget.Remaining - stopLatency, rootCost), q.MaxSplits ?? int.MaxValue,
                supLower > 0 ? target : null, progress, feed is null ? null : feed.Offer)
                { RecordLeaf = record is null ? null : record.Leaf, RecordSplit = record is null ? null : record.Split };
            feed?.Start();
            var stage = new SplitStage(network, q.Box, delta, settings, limits,
                () => limits with { Timeout = CertifyBudget.SplitTimeout(budget.Remaining - stopLatency, rootCost) }, feed?.Closing ?? CancellationToken.None);
            stage.Execute(SplitChoice.Resolve(q.Split, network.InputSize, q.Certificate), ball, MergedUpper(methods, search).Max());
            fed = feed?.Stop();
            methods.AddRange(stage.Methods());
            (splits, history) = stage.Totals();
        }
        search ??= RunSearch(budget.Remaining);
        if (ball && ballLower is null) RunBallAttack(search.Lower, budget.Remaining);
        if (search.Upper is { } searchUpper) methods.Add(new MethodBound("search", searchUpper, search.Seconds));
        var upper = MergedUpper(methods, null);
        if (overflow is not null) Array.Fill(upper, double.PositiveInfinity); // a float evaluation may overflow: nothing is certified
        var result = new CertifyResult(upper, q.Method.Name, budget.Elapsed.TotalSeconds, splits, q.Perturbation,
            q.Box.Lower, q.Box.Upper, q.NetworkPath, q.NetworkSha256, methods, history, q.Threshold)
        {
            Lower = MergedLower(Better(Better(search.Lower, fed), ballLower), exact),
            Nominal = network,
            Search = search.Search is { } s ? ResultSummaries.Of(s) : null,
            Z3 = exact is null ? null : ResultSummaries.Of(exact, exactSeconds),
            ExecutionOverflow = overflow,
        };
        CheckConsistent(result);

        if (result.SupLower is { } best && (result.Verdict == Verdict.Falsified || q.Perturbation.Execution is not null))
            result = result with { RuntimeReplay = WitnessRuntimeReplay.Of(network, best.Witness, q.Perturbation.Execution) };
        return result;
    }

    /// <summary>The method line of auto when it branched on phases (--split).</summary>
    public const string PhaseMethodName = "auto-phase";

    /// <summary>The method line of auto with --split hybrid.</summary>
    public const string HybridMethodName = "auto-hybrid";

    /// <summary>The method lines of a one-layer norm ball at a fixed input: its root bound and its phase branching.</summary>
    public const string BallMethodName = "ball", BallSplitMethodName = "auto-ball";

    /// <summary>The element-wise minimum of the methods' bounds and a search's (all sound).</summary>
    private static double[] MergedUpper(IReadOnlyList<MethodBound> methods, AnytimeSearch.Outcome? search)
    {
        var u = (double[])methods[0].Upper.Clone();
        foreach (var upper in methods.Select(m => m.Upper).Append(search?.Upper ?? []))
            for (int j = 0; j < upper.Length; j++) u[j] = Math.Min(u[j], upper[j]);
        return u;
    }

    /// <summary>Per output the larger of two replayed lower bounds (compared exactly); null where neither has any.</summary>
    private static IReadOnlyList<LowerBound?>? Better(IReadOnlyList<LowerBound?>? a, IReadOnlyList<LowerBound?>? b)
    {
        if (a is null || b is null) return a ?? b;
        var merged = new LowerBound?[a.Count];
        for (int j = 0; j < merged.Length; j++)
            merged[j] = a[j] is not { } x ? b[j] : b[j] is not { } y ? x : y.Exact > x.Exact ? y : x;
        return merged;
    }

    /// <summary>Per output the larger of the search's and z3's replayed lower bounds (compared exactly).</summary>
    private static IReadOnlyList<LowerBound?>? MergedLower(IReadOnlyList<LowerBound?>? search, IReadOnlyList<DeviationMaximum>? exact)
    {
        if (exact is null) return search;
        var merged = new LowerBound?[exact.Count];
        for (int j = 0; j < merged.Length; j++)
        {
            var a = search?[j]; var b = exact[j].Witness;
            merged[j] = a is null ? b : b is null ? a : b.Exact > a.Exact ? b : a;
        }
        return merged;
    }

    /// <summary>A replayed witness above a certified bound means a bug in a bounder: never report such a result.</summary>
    private static void CheckConsistent(CertifyResult r)
    {
        if (r.Lower is null) return;
        for (int j = 0; j < r.Upper.Length; j++)
            if (r.Lower[j] is { } l && l.Value > r.Upper[j])
                throw new InvalidOperationException($"unsound bound: output {j} has certified U = {r.Upper[j]:R} below a replayed witness {l.Value:R}");
    }
}
