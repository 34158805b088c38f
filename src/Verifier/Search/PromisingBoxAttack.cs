using System.Collections.Concurrent;
using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// The attack fed by a branch and bound over the input box: the splitter offers the sub-boxes it is about to split
/// (its most promising domains: the largest upper bounds), and one background worker restarts the attack inside the
/// newest of them (its centre, the best witnesses clipped into it, its vertices and random points). A sub-box can be
/// far smaller than the attack's own steps resolve, so a maximum hidden in a narrow region becomes reachable once
/// splitting has isolated it. Every <see cref="RootEvery"/>-th attack is a fresh round on the whole box instead (new
/// random starts: on ACAS Xu N1_1 the best witness of 32 restarts varies by up to 1.9× between seeds). The best
/// candidate per output is replayed exactly against the whole box by the worker after the attack that found it
/// (replaying them all when the worker stops overran certify's --timeout by seconds on MNIST 256x4, one replay costing
/// 0.6 s); only those still pending, and those of an attack under way whose points the stop keeps
/// (<see cref="CheapToClose"/>), are replayed then. The worker keeps its attacking time to <see cref="CpuShare"/> of
/// the wall clock so that the splitter, which produces U, keeps most of the machine.
/// With a <see cref="Limit"/> every replay, the worker's and the stop's, starts only where its measured cost still fits
/// before it, the best candidate first, and <see cref="Closing"/> tells the splitter when to stop so that the candidates
/// not yet replayed (at most one per output) still fit: the splitter gives way to the replays, not the replays to it.
/// </summary>
public sealed class PromisingBoxAttack : IDisposable
{
    /// <summary>Sub-boxes waiting: only the newest are kept (the splitter's front moves on).</summary>
    public const int Capacity = 32;

    private readonly DeviationAttack _attack;
    private readonly Box _root;
    private readonly AttackOptions _budget;
    private readonly LowerBound?[] _lower;
    private readonly AttackCandidate?[] _best;
    private readonly double[][] _start;
    private readonly LinkedList<(Box Box, double[] Upper)> _queue = new();
    private readonly object _gate = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _worker;
    private int _attacked;

    /// <summary>Outputs of the attack under way whose points the stop will turn into candidates (0: none).</summary>
    private int _inFlightOutputs;

    /// <summary>One attack in this many is a round on the whole box with fresh random starts.</summary>
    public const int RootEvery = 2;

    /// <summary>Share of the wall clock the worker may spend attacking (it sleeps for the rest) while it finds
    /// better points; every <see cref="PatienceHalving"/> attacks in a row without one halve it, down to a fifth.</summary>
    public double CpuShare { get; init; } = 0.25;

    public const int PatienceHalving = 8;

    /// <summary>When (from construction) the replays must have ended; null: no limit, every candidate is replayed.</summary>
    public TimeSpan? Limit { get; init; }

    /// <summary>The measured cost of one exact replay on this network (the first attack's); null: the worker measures it
    /// on the start's first witness before its first attack.</summary>
    public TimeSpan? ReplayCost
    {
        get => double.IsPositiveInfinity(Volatile.Read(ref _replaySeconds)) ? null : TimeSpan.FromSeconds(Volatile.Read(ref _replaySeconds));
        init => _replaySeconds = value is { } v ? v.TotalSeconds : double.PositiveInfinity;
    }

    /// <summary>
    /// Cancelled once the time left before <see cref="Limit"/> is only what the replays of the candidates not yet
    /// replayed need (<see cref="ReplayBudget.Closing"/>, on every core: the splitter has stopped by then): the
    /// splitter's token. Never cancelled without a limit.
    /// </summary>
    public CancellationToken Closing => _closing.Token;

    /// <param name="start">the lower bounds found so far (per output; replayed), which the attack must beat</param>
    public PromisingBoxAttack(Network network, ParameterBox delta, Box root, AttackOptions partBudget, IReadOnlyList<LowerBound?>? start)
    {
        _attack = new DeviationAttack(network, delta, partBudget with { Threads = 1 });
        _root = root;
        _budget = partBudget with { Threads = 1 };
        _lower = new LowerBound?[network.OutputSize];
        _best = new AttackCandidate?[network.OutputSize];
        if (start is not null) for (int j = 0; j < _lower.Length && j < start.Count; j++) _lower[j] = start[j];
        _start = _lower.Where(l => l is not null).Select(l => l!.Witness.X).ToArray();
    }

    /// <summary>Sub-boxes attacked so far.</summary>
    public int Attacked => Volatile.Read(ref _attacked);

    /// <summary>Offers a sub-box of the root with its certified upper bounds per output; never blocks. Thread-safe.</summary>
    public void Offer(Box box, double[] upper)
    {
        lock (_gate)
        {
            _queue.AddFirst((box, (double[])upper.Clone()));
            if (_queue.Count > Capacity) _queue.RemoveLast();
            else _ready.Release();
        }
    }

    public void Start()
    {
        Reschedule();
        _worker ??= Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning);
    }

    /// <summary>Stops the worker (an attack under way is cancelled) and returns the best replayed witness per output.</summary>
    public IReadOnlyList<LowerBound?> Stop()
    {
        _stop.Cancel();
        try { _worker?.Wait(); }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
        return Replayed();
    }

    /// <summary>The witnesses so far, raised where a candidate not yet replayed beats them (outputs in parallel, the
    /// best estimate first, each only while its replay fits before the limit).</summary>
    private IReadOnlyList<LowerBound?> Replayed()
    {
        var pending = Pending();
        var replayed = new LowerBound?[_lower.Length];
        var inOrder = Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(inOrder, c => replayed[c.Output] = ReplayIfFits(c));
        lock (_gate)
        {
            for (int j = 0; j < _lower.Length; j++)
                if (replayed[j] is { } r && (_lower[j] is not { } old || r.Exact > old.Exact)) _lower[j] = r;
            return (LowerBound?[])_lower.Clone();
        }
    }

    /// <summary>The candidates not yet replayed, the largest estimate first.</summary>
    private AttackCandidate[] Pending()
    {
        lock (_gate) return _best.Where(c => c is not null).Select(c => c!).OrderByDescending(c => Math.Abs(c.Estimate)).ToArray();
    }

    /// <summary>Replays a candidate exactly, timing it, unless its measured cost no longer fits before the limit
    /// (null then: an unreplayed candidate is never reported).</summary>
    private LowerBound? ReplayIfFits(AttackCandidate c)
    {
        if (Limit is { } limit && !ReplayBudget.Fits(ReplayCost ?? TimeSpan.Zero, limit - _clock.Elapsed)) return null;
        long t0 = Stopwatch.GetTimestamp();
        var r = _attack.Certify(c, _root);
        Volatile.Write(ref _replaySeconds, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        return r;
    }

    /// <summary>Moves <see cref="Closing"/> to the time left less the replays of what is pending now (called whenever
    /// that changes). A closing reserve larger than the time left cancels at once.</summary>
    private void Reschedule()
    {
        if (Limit is not { } limit) return;
        int pending;
        lock (_gate) pending = Math.Min(_lower.Length, _best.Count(c => c is not null) + Volatile.Read(ref _inFlightOutputs));
        var due = ReplayBudget.SplitterStopsIn(ReplayCost ?? TimeSpan.Zero, pending, Environment.ProcessorCount, limit - _clock.Elapsed);
        try
        {
            if (due <= TimeSpan.Zero) _closing.Cancel();
            else _closing.CancelAfter(due);
        }
        catch (ObjectDisposedException) { }   // disposed while the worker ended
    }

    /// <summary>Attacks the sub-boxes in <paramref name="boxes"/> one after another on the calling thread (the same
    /// steps as the worker, without a clock: for tests and callers without a splitter running).</summary>
    public IReadOnlyList<LowerBound?> AttackAll(IEnumerable<(Box Box, double[] Upper)> boxes, CancellationToken cancellation = default)
    {
        foreach (var (box, upper) in boxes)
        {
            if (cancellation.IsCancellationRequested) break;
            AttackOne(box, upper, _budget, cancellation);
        }
        return Replayed();
    }

    private void Work()
    {
        var ct = _stop.Token;
        int fruitless = 0;
        MeasureReplay();
        while (!ct.IsCancellationRequested)
        {
            try { _ready.Wait(ct); }
            catch (OperationCanceledException) { return; }
            (Box Box, double[] Upper) next;
            lock (_gate)
            {
                if (_queue.Count == 0) continue;
                next = _queue.First!.Value;
                _queue.RemoveFirst();
            }
            var t = Stopwatch.StartNew();
            int n = Attacked;
            var budget = _budget with { CandidatesWhenCancelled = CheapToClose };
            bool better = n % RootEvery == RootEvery - 1
                ? AttackOne(_root, null, budget with { Seed = DeviationAttack.Mix(_budget.Seed, n, 3) }, ct)
                : AttackOne(next.Box, next.Upper, budget, ct);
            fruitless = better ? 0 : fruitless + 1;
            var attackTime = t.Elapsed;
            // Expensive replays now, not after the splitter's deadline; cheap ones at the stop, inside the splitter's
            // closing reserve, so that they do not delay the next attack (on net_5_50x6_5 under load the worker's
            // replays pushed the root attack, which finds the best witness, seconds later, and L fell).
            if (better && !CheapToClose) ReplayPending();
            // Rest so that this attack took its share of the wall clock (smaller while nothing improves). The replays
            // are not counted: on net_5_50x6_5 under load they took 1 s after each better attack, and resting 3 s for
            // them left the worker one attack in 6 s of splitting instead of several.
            double share = CpuShare * Math.Max(0.2, Math.Pow(0.5, (double)fruitless / PatienceHalving));
            var owed = attackTime * (1 / share - 1);
            if (owed > TimeSpan.Zero && ct.WaitHandle.WaitOne(owed)) return;
        }
    }

    /// <param name="upper">the box's upper bounds per output (null: attack every output)</param>
    /// <returns>whether some output's best candidate improved</returns>
    private bool AttackOne(Box box, double[]? upper, AttackOptions budget, CancellationToken ct)
    {
        int[] outputs;
        double[][] seeds;
        lock (_gate)
        {
            // Outputs whose bound on this box still leaves room above the best witness.
            outputs = Enumerable.Range(0, _lower.Length).Where(j => upper is null || upper[j] > Current(j)).ToArray();
            // The start's witnesses first, whatever replaced them since: the part budget starts from the first seed only,
            // and a worker that replays as it goes would otherwise move it onto its own latest point.
            seeds = _start.Concat(_lower.Where(l => l is not null && !_start.Contains(l.Witness.X)).Select(l => l!.Witness.X))
                .Concat(_best.Where(c => c is not null).Select(c => c!.X)).ToArray();
        }
        if (outputs.Length == 0) return false;
        // An attack whose points the stop keeps needs their replays in the splitter's closing reserve while it runs.
        bool kept = Limit is not null && budget.CandidatesWhenCancelled;
        if (kept) { Volatile.Write(ref _inFlightOutputs, outputs.Length); Reschedule(); }
        IReadOnlyList<AttackCandidate> candidates;
        try { candidates = _attack.Search(box, seeds, outputs, budget, ct, out _); }
        finally { if (kept) Volatile.Write(ref _inFlightOutputs, 0); }
        Interlocked.Increment(ref _attacked);
        bool better = false;
        lock (_gate)
            foreach (var c in candidates)
                if (c.Estimate > Current(c.Output)) { _best[c.Output] = c; better = true; }
        if (better || kept) Reschedule();
        return better;
    }

    /// <summary>Replays the candidates found since the last replay, the best first, and keeps those that beat the
    /// replayed witness; one whose replay no longer fits before the limit stays pending (the stop tries it again).</summary>
    private void ReplayPending()
    {
        foreach (var c in Pending())
        {
            if (_stop.IsCancellationRequested) return;   // the stop replays the rest, best first over every core
            if (Limit is { } limit && !ReplayBudget.Fits(ReplayCost ?? TimeSpan.Zero, limit - _clock.Elapsed)) continue;
            var r = ReplayIfFits(c);
            int j = c.Output;
            lock (_gate)
            {
                if (r is not null && (_lower[j] is not { } old || r.Exact > old.Exact)) _lower[j] = r;
                if (ReferenceEquals(_best[j], c)) _best[j] = null;
            }
            Reschedule();
        }
    }

    /// <summary>Times one exact replay (of the start's first witness) before the first attack, so that
    /// <see cref="CheapToClose"/> is known from the start; without a witness it stays unknown until the first replay.</summary>
    private void MeasureReplay()
    {
        if (ReplayCost is not null) return;   // measured by the caller
        LowerBound? first;
        lock (_gate) first = _lower.FirstOrDefault(l => l is not null);
        if (first is null) return;
        long t0 = Stopwatch.GetTimestamp();
        first.Witness.Replay(_attack.Nominal, _root, _attack.Delta);
        Volatile.Write(ref _replaySeconds, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        Reschedule();
    }

    /// <summary>
    /// Whether the attack under way when the splitter stops may still turn its points into candidates, which the stop
    /// then replays: only once replays are measured to be cheap (every output's replay within <see cref="CheapClosing"/>
    /// together), as on the small networks, where dropping them would only lose witnesses (ACAS Xu's and net_5_50x6_5's
    /// replays measure 30–210 ms under load, five outputs: a limit of 100 ms dropped them and L fell; MNIST 256x4's
    /// ten outputs at 0.4–1.6 s each stay above 2 s). On MNIST 256x4 the
    /// builds and replays of a cancelled attack overran certify --timeout 10 by 2.7 s. With a <see cref="Limit"/> the
    /// replays of such an attack under way are in the splitter's closing reserve.
    /// </summary>
    private bool CheapToClose => Volatile.Read(ref _replaySeconds) * _lower.Length <= CheapClosing.TotalSeconds;

    public static readonly TimeSpan CheapClosing = TimeSpan.FromSeconds(2);

    /// <summary>The latest replay measured (the first also compiles the exact path, so the latest is the better estimate
    /// of the next); unknown (so not cheap) until the first.</summary>
    private double _replaySeconds = double.PositiveInfinity;

    /// <summary>The value to beat for output j: the best replayed witness or candidate estimate (under the lock).</summary>
    private double Current(int j) => Math.Max(_lower[j]?.Value ?? 0, _best[j]?.Estimate ?? 0);

    /// <summary>Ends a worker that was not stopped (the splitter failed, say) without replaying anything.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try { _worker?.Wait(); }
        catch (AggregateException) { }   // the splitter's failure is the one to report
        _stop.Dispose();
        _closing.Dispose();
        _ready.Dispose();
    }
}
