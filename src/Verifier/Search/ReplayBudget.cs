namespace Verify.Search;

/// <summary>
/// What one closing step of a time-limited attack costs, measured on its first finished run: an ascent run (one may be
/// under way on every thread when the search is told to stop), turning an objective's δ into an admissible network,
/// and one exact rational replay of a witness.
/// </summary>
public readonly record struct ReplayCosts(TimeSpan Run, TimeSpan Build, TimeSpan Replay);

/// <summary>
/// How a time-limited attack shares its wall clock between searching in doubles and the exact work that must follow
/// it. After the search it still finishes the runs under way, builds one admissible network per objective and replays
/// each output's best candidate exactly: on a 267k-parameter network one replay costs about a second, so a search
/// that used the whole limit overran it by several seconds. The search therefore stops <see cref="Reserve"/> before
/// the limit: a run starts only while it and the closing work of every objective started so far fit
/// (<see cref="MayStartRun"/>), and a replay starts only while its measured cost still fits (<see cref="Fits"/>); an output whose
/// replay does not fit has no witness rather than an unreplayed value. Pure functions of the measured costs and the
/// time left, so that the rule can be tested without a clock.
/// </summary>
public static class ReplayBudget
{
    /// <summary>
    /// Factor on the measured costs. The costs are measured on the first run, whose build and replay also compile the
    /// exact path: on MNIST 256x4 that replay took 1.3–1.4 s and the later ones 0.6 s each (2 loaded cores), so the
    /// first measurement is already an upper estimate; a larger factor only ended the search seconds early. A later
    /// replay that is slower still cannot overrun by more than itself: <see cref="Fits"/> is checked before each.
    /// </summary>
    public const double Safety = 1.0;

    /// <summary>Time kept beyond the measured costs for what is not measured (thread hand-over, collecting results).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The time to keep after the search: one run under way, then <paramref name="objectives"/> builds and
    /// <paramref name="outputs"/> replays (the first replay per output), each spread over <paramref name="threads"/>.
    /// </summary>
    public static TimeSpan Reserve(ReplayCosts c, int objectives, int outputs, int threads)
    {
        if (objectives < 0 || outputs < 0) throw new ArgumentOutOfRangeException(nameof(objectives), "counts must be non-negative");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "at least one thread");
        double seconds = c.Run.TotalSeconds
                         + Rounds(objectives, threads) * c.Build.TotalSeconds
                         + Rounds(outputs, threads) * c.Replay.TotalSeconds;
        return TimeSpan.FromSeconds(Safety * seconds) + Slack;
    }

    /// <summary>Whether a run may start with <paramref name="remaining"/> left when, with it, <paramref name="objectives"/>
    /// objectives of <paramref name="outputs"/> outputs will need closing work.</summary>
    public static bool MayStartRun(ReplayCosts c, TimeSpan remaining, int objectives, int outputs, int threads) =>
        Reserve(c, objectives, outputs, threads) <= remaining;

    /// <summary>
    /// How many candidates each of <paramref name="outputs"/> outputs may replay in <paramref name="remaining"/>:
    /// the replays that fit, spread evenly, so that a second candidate of one output never takes the time of another
    /// output's first. At least one (whether that one still fits is <see cref="Fits"/>'s to say); unlimited when the
    /// replay cost is not known to be positive.
    /// </summary>
    public static int ReplaysPerOutput(TimeSpan replay, TimeSpan remaining, int outputs, int threads)
    {
        if (outputs < 1 || threads < 1) throw new ArgumentOutOfRangeException(nameof(outputs), "at least one output and one thread");
        if (replay <= TimeSpan.Zero) return int.MaxValue;
        if (remaining <= TimeSpan.Zero) return 1;
        double rounds = Math.Floor(remaining.TotalSeconds / (Safety * replay.TotalSeconds));
        double slots = rounds * threads;
        return slots >= (double)int.MaxValue * outputs ? int.MaxValue : Math.Max(1, (int)(slots / outputs));
    }

    /// <summary>
    /// The time a splitter running beside an attack must leave for the replays of the candidates it holds when the
    /// splitter stops: <paramref name="pending"/> replays (one per output, the best first) spread over
    /// <paramref name="threads"/>; nothing when none is pending, only the slack while the replay cost is unknown.
    /// </summary>
    public static TimeSpan Closing(TimeSpan replay, int pending, int threads)
    {
        if (pending < 0) throw new ArgumentOutOfRangeException(nameof(pending), "counts must be non-negative");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "at least one thread");
        if (pending == 0) return TimeSpan.Zero;
        var each = replay > TimeSpan.Zero ? replay : TimeSpan.Zero;
        return TimeSpan.FromSeconds(Safety * Rounds(pending, threads) * each.TotalSeconds) + Slack;
    }

    /// <summary>How long a splitter running beside an attack may go on with <paramref name="remaining"/> left before the
    /// limit and <paramref name="pending"/> candidates to replay when it stops (<see cref="Closing"/>): zero once they
    /// no longer all fit.</summary>
    public static TimeSpan SplitterStopsIn(TimeSpan replay, int pending, int threads, TimeSpan remaining)
    {
        var left = remaining - Closing(replay, pending, threads);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Whether a replay of cost <paramref name="replay"/> may start with <paramref name="remaining"/> left:
    /// only if it ends before the limit at its measured cost.</summary>
    public static bool Fits(TimeSpan replay, TimeSpan remaining) => remaining > TimeSpan.Zero && replay <= remaining;

    private static int Rounds(int items, int threads) => (items + threads - 1) / threads;
}
