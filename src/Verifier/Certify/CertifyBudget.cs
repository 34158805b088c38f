using System.Diagnostics;

namespace Verify.Certify;

/// <summary>
/// How certify spends its --timeout, the budget of the whole run (the one-pass bounds included). Where more methods
/// follow, the lower-bound search runs first, so that z3 starts from its witnesses and input splitting can stop once its
/// bound meets the replayed lower bound: the attack gets a quarter of the budget (it usually ends sooner, when its
/// restarts are done), branch and bound (--gap, --trace) half of it. z3 then gets half of what is left, input splitting
/// the rest; a search that did not run first gets whatever remains at the end.
/// </summary>
public sealed class CertifyBudget(TimeSpan total)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public const double AttackShareFirst = 0.25;
    public const double BranchAndBoundShareFirst = 0.5;
    public const double ExactShareOfRest = 0.5;

    /// <summary>The relative gap below which U and L count as equal for stopping (outward rounding keeps U above L).</summary>
    public const double RoundingGap = 1e-9;

    /// <summary>
    /// The share of a suite query's wall-clock limit given to certify's --timeout. --timeout bounds the whole run, but
    /// process start, reading the network and the final witness replay lie outside it and the solver and the attack
    /// may overrun their limits a little; a third leaves ample room before the suite kills the process, and is the
    /// value every suite's expectations were recorded with.
    /// </summary>
    public const double SuiteShareOfLimit = 1.0 / 3;

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => _clock.Elapsed;

    public TimeSpan Remaining => total - _clock.Elapsed > TimeSpan.Zero ? total - _clock.Elapsed : TimeSpan.Zero;

    /// <summary>
    /// The share of the budget within which the attack that runs first must also have replayed its witnesses exactly.
    /// It searches for <see cref="AttackShareFirst"/>; its replays are paid on top, up to this share. On MNIST 256x4 one
    /// replay costs 0.6–1.6 s (the first, which also compiles the exact path, the most): a limit of the search share
    /// alone left one output in ten with a witness at --timeout 10, replaying without a limit overran by seconds, and
    /// half still did when the first replay was measured slow on a loaded machine. Where replays take milliseconds the
    /// search ends at its own share and this one is never reached.
    /// </summary>
    public const double AttackLimitShareFirst = 0.75;

    /// <summary>The lower-bound search when it runs before z3 and input splitting.</summary>
    public TimeSpan SearchFirst(bool branchAndBound) => Remaining * (branchAndBound ? BranchAndBoundShareFirst : AttackShareFirst);

    /// <summary>When the search that runs first must have ended, its exact replays included (branch and bound replays
    /// as it goes, so its limit is its search time).</summary>
    public TimeSpan SearchFirstLimit(bool branchAndBound) =>
        branchAndBound ? SearchFirst(true) : Remaining * AttackLimitShareFirst;

    /// <summary>
    /// Input splitting's own timeout, which its clock starts only after it has bounded the root box: what is left less
    /// that root bound (about as costly as the ladder's linear pass, <paramref name="root"/>; 1 s on MNIST 256x4, where
    /// it made certify overrun --timeout by as much). Zero when not even the root fits.
    /// </summary>
    public static TimeSpan SplitTimeout(TimeSpan remaining, TimeSpan root) =>
        remaining - root > TimeSpan.Zero ? remaining - root : TimeSpan.Zero;

    /// <summary>
    /// How long input splitting and the attack beside it take to stop once told: the splitter finishes the layer pass
    /// of the leaf bound under way, the attack its ascent run. Both scale with the network, so a share of the root
    /// bound's cost: on MNIST 256x4 (root bound 0.8 s) they took 0.42 s and 0.24 s, on the small nets nothing to
    /// speak of. Splitting and the attack's replays aim this much before the end of the budget.
    /// </summary>
    public const double StopLatencyOfRoot = 0.75;

    public static TimeSpan StopLatency(TimeSpan root) => root * StopLatencyOfRoot;

    public TimeSpan Exact() => Remaining * ExactShareOfRest;
}
