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

    /// <summary>The lower-bound search when it runs before z3 and input splitting.</summary>
    public TimeSpan SearchFirst(bool branchAndBound) => Remaining * (branchAndBound ? BranchAndBoundShareFirst : AttackShareFirst);

    public TimeSpan Exact() => Remaining * ExactShareOfRest;
}
