using System.Diagnostics;
using Verify.Results;

namespace Verify.Search;

/// <summary>
/// The wall-clock limit of one attack, replays included. Until the first run's closing costs are measured
/// (<see cref="Measured"/>) runs start freely; after that a run starts (<see cref="MayRun"/>) only while the closing
/// work of every objective started so far, this one included, still fits in the time left after it
/// (<see cref="ReplayBudget.MayStartRun"/>). So a short limit covers as many outputs as it can pay the replays of, and
/// a long one ends its search just early enough. The measuring replay is an exact replay like any other; it is kept
/// (<see cref="Probe"/>) for an output that ends up without a replay of its own. <see cref="Search"/> is cancelled at
/// the limit itself, whatever was measured, or earlier where the caller gives a shorter search time: the replays
/// then have the time between the two (certify's first attack searches for a quarter of its budget and replays
/// within three quarters).
/// </summary>
internal sealed class AttackDeadline : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop;
    private readonly TimeSpan _limit;
    private readonly object _gate = new();
    private bool[] _started = [];
    private readonly HashSet<int> _outputs = [];
    private int _objectives;
    private int _threads = 1;
    private int _probing;

    /// <param name="searchFor">when the search stops (at most <paramref name="limit"/>; null: at the limit)</param>
    public AttackDeadline(TimeSpan limit, CancellationToken outer, TimeSpan? searchFor = null)
    {
        _limit = limit > TimeSpan.Zero ? limit : TimeSpan.Zero;
        var search = searchFor is { } f && f < _limit ? (f > TimeSpan.Zero ? f : TimeSpan.Zero) : _limit;
        // A search that stops before the limit leaves the replays the time in between: no run waits for a measurement
        // then (on MNIST 256x4 the measuring build and replay held one of two threads for 1.8 s of a 2.2 s search, and
        // the search reached one output instead of three); the replays are still checked against their latest cost.
        if (search < _limit) _probing = 1;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        // CancelAfter(0) fires on a timer thread, after runs may have started.
        if (search == TimeSpan.Zero) _stop.Cancel();
        else _stop.CancelAfter(Timer(search));
    }

    /// <summary>Cancelled at the limit (or when the caller cancels).</summary>
    public CancellationToken Search => _stop.Token;

    public TimeSpan Remaining => _limit - _clock.Elapsed;

    /// <summary>The costs measured on the first run; null until then.</summary>
    public ReplayCosts? Costs { get; private set; }

    /// <summary>The measuring replay (null when that witness was not admissible).</summary>
    public LowerBound? Probe { get; private set; }

    /// <summary>Sizes the bookkeeping: objective o belongs to output o / 2 (two signs per output).</summary>
    public void Prepare(int objectives, int threads)
    {
        lock (_gate)
        {
            _started = new bool[objectives];
            _threads = Math.Max(1, threads);
        }
    }

    /// <summary>True exactly once, and only when the search runs until the limit: the caller measures the costs.</summary>
    public bool TakeProbe() => Interlocked.Exchange(ref _probing, 1) == 0;

    public void Measured(ReplayCosts costs, LowerBound? probe)
    {
        lock (_gate) Costs = costs;
        Probe = probe;
    }

    /// <summary>Whether a run of <paramref name="objective"/> may start now; if so the objective counts as started.</summary>
    public bool MayRun(int objective)
    {
        if (_stop.IsCancellationRequested || Remaining <= TimeSpan.Zero) return false;
        lock (_gate)
        {
            bool fresh = !_started[objective];
            int objectives = _objectives + (fresh ? 1 : 0);
            int outputs = _outputs.Count + (fresh && !_outputs.Contains(objective / 2) ? 1 : 0);
            if (Costs is { } c && !ReplayBudget.MayStartRun(c, Remaining, objectives, outputs, _threads)) return false;
            if (fresh)
            {
                _started[objective] = true;
                _objectives++;
                _outputs.Add(objective / 2);
            }
            return true;
        }
    }

    /// <summary>Whether one more replay may start (at its measured cost; before any measurement, while time is left).</summary>
    public bool ReplayFits() => ReplayBudget.Fits(LatestReplay ?? TimeSpan.Zero, Remaining);

    /// <summary>The cost of the latest exact replay: the measuring one's until another ends. The first replay also
    /// compiles the exact path (1.3 s on MNIST 256x4 against 0.6 s for the next ones), so the latest is the better
    /// estimate of the next.</summary>
    public TimeSpan? LatestReplay
    {
        get { lock (_gate) return _latestReplay ?? Costs?.Replay; }
    }

    public void Replayed(TimeSpan took)
    {
        lock (_gate) _latestReplay = took;
    }

    private TimeSpan? _latestReplay;

    /// <summary>How many candidates each output may replay now.</summary>
    public int ReplaysPerOutput(int outputs, int threads) =>
        ReplayBudget.ReplaysPerOutput(LatestReplay ?? TimeSpan.Zero, Remaining, outputs, threads);

    public void Dispose() => _stop.Dispose();

    /// <summary>A timer's due time: CancelAfter takes at most int.MaxValue milliseconds (a limit of weeks means none).</summary>
    private static TimeSpan Timer(TimeSpan t) =>
        t <= TimeSpan.Zero ? TimeSpan.Zero : t >= MaxTimer ? Timeout.InfiniteTimeSpan : t;

    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(int.MaxValue - 1);
}
