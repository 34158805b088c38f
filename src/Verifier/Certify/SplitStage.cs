using System.Diagnostics;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// certify's branch-and-bound step: the splitter `--split` asks for, a ball's phase branching at a point, or for auto
/// input splitting that gives way to phase branching when it stalls (<see cref="SplitChoice"/>). Every run's bound is
/// sound; a run stopped while still bounding its root adds nothing.
/// </summary>
/// <param name="rest">the splitting limits for what is left of the budget, asked when a later run starts</param>
/// <param name="closing">fires when the attack beside splitting needs the rest of the budget for its replays</param>
internal sealed class SplitStage(Network network, Box box, ParameterBox delta, BounderSettings settings, SplitLimits limits,
                                 Func<SplitLimits> rest, CancellationToken closing)
{
    private sealed record Run(string Method, SplitOutcome Outcome, double Start, double Seconds);

    private readonly List<Run> _runs = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Runs the splitters for <paramref name="kind"/> (a ball's phases when <paramref name="ball"/>);
    /// <paramref name="before"/> is the sup U that splitting starts from (the ladder's), against which auto judges
    /// input splitting's progress.</summary>
    public void Execute(SplitKind kind, bool ball, double before)
    {
        if (ball) Split(CertifyEngine.BallSplitMethodName, c => BoundMethods.BallSplitting(limits).Run(network, box, delta, c)!, closing);
        else if (kind == SplitKind.Phase) Split(CertifyEngine.PhaseMethodName, Phases(limits), closing);
        else if (kind == SplitKind.Input) Split(BoundMethods.Auto.Name, Input(limits), closing);
        else if (kind == SplitKind.Hybrid) Split(CertifyEngine.HybridMethodName, c => BoundMethods.HybridSplitting(settings with { Splitting = limits }).Run(network, box, delta, c), closing);
        else InputThenPhases(before);
    }

    /// <summary>One method line per splitter; one that ran twice (input splitting after its probe) reports the
    /// element-wise minimum of its runs.</summary>
    public IEnumerable<MethodBound> Methods() => _runs.GroupBy(r => r.Method).Select(g =>
    {
        var least = g.First().Outcome.Bound.Upper.ToArray();
        foreach (var r in g.Skip(1))
            for (int j = 0; j < least.Length; j++) least[j] = Math.Min(least[j], r.Outcome.Bound.Upper[j]);
        return new MethodBound(g.Key, least, g.Sum(r => r.Seconds));
    });

    /// <summary>All runs' splits, and their histories one after the other on one clock and one split count.</summary>
    public (int Splits, IReadOnlyList<SplitProgress> History) Totals()
    {
        int splits = 0;
        var history = new List<SplitProgress>();
        foreach (var r in _runs)
        {
            history.AddRange(r.Outcome.History.Select(h => h with { Splits = h.Splits + splits, Seconds = h.Seconds + r.Start }));
            splits += r.Outcome.Splits;
        }
        return (splits, history);
    }

    /// <summary>
    /// auto: input splitting, stopped when its probe share of the time has not brought sup U down enough; then phase
    /// branching, which takes over only if its root (α slopes) is already below where input splitting got, otherwise
    /// input splitting starts again with the time left (mnistfc 256x4 at ±0.01 %: the root's 14.76 against input
    /// splitting's 14.70 after its probe, which went on to 14.43 in 40 s).
    /// </summary>
    private void InputThenPhases(double before)
    {
        double now = before;
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(closing);
        var watched = limits with { Progress = p => { Volatile.Write(ref now, p.SupUpper); limits.Progress?.Invoke(p); } };
        using (new Timer(_ =>
               {
                   try { if (SplitChoice.Stalled(before, Volatile.Read(ref now))) stalled.Cancel(); }
                   catch (ObjectDisposedException) { }
               }, null, limits.Timeout * SplitChoice.ProbeShare, Timeout.InfiniteTimeSpan))
            Split(BoundMethods.Auto.Name, Input(watched), stalled.Token);
        if (!stalled.IsCancellationRequested || closing.IsCancellationRequested) return;

        double reached = Volatile.Read(ref now);
        var forPhases = rest();
        Split(CertifyEngine.PhaseMethodName, Phases(forPhases, giveUpAbove: reached), closing, forPhases.Timeout);
        bool gaveUp = _runs.Count > 0 && _runs[^1].Method == CertifyEngine.PhaseMethodName && !(_runs[^1].Outcome.Bound.SupUpper < reached);
        if (!gaveUp || closing.IsCancellationRequested) return;
        var forInput = rest();
        Split(BoundMethods.Auto.Name, Input(forInput), closing, forInput.Timeout);
    }

    private Func<CancellationToken, SplitOutcome> Input(SplitLimits l) =>
        c => BoundMethods.InputSplitting(settings with { Splitting = l }).Run(network, box, delta, c);

    private Func<CancellationToken, SplitOutcome> Phases(SplitLimits l, double? giveUpAbove = null) =>
        c => BoundMethods.PhaseSplitting(settings with { Splitting = l }, giveUpAbove).Run(network, box, delta, c);

    /// <param name="within">a cap on the whole run, its root included: a splitter's own timeout starts after its root,
    /// and phase branching's root optimises slopes (1.4 s on MNIST against the linear pass's 0.5 s).</param>
    private void Split(string method, Func<CancellationToken, SplitOutcome> run, CancellationToken stop, TimeSpan? within = null)
    {
        double start = _clock.Elapsed.TotalSeconds;
        using var capped = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (within is { } w) capped.CancelAfter(w);
        try { _runs.Add(new Run(method, run(capped.Token), start, _clock.Elapsed.TotalSeconds - start)); }
        // Stopped while still bounding the root: no bound beyond the ladder's.
        catch (OperationCanceledException) when (capped.IsCancellationRequested) { }
    }
}
