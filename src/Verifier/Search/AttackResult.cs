using Verify.Results;

namespace Verify.Search;

/// <summary>
/// Replayed lower bounds per output (null for outputs not attacked), the largest of them, and the effort spent.
/// </summary>
public sealed record AttackResult(IReadOnlyList<LowerBound?> Lower, long GradientSteps, TimeSpan Elapsed)
{
    /// <summary>What the latest exact replay of this attack cost (null when none ran): the figure a caller that
    /// replays further witnesses of the same network budgets with.</summary>
    public TimeSpan? ReplayCost { get; init; }

    public LowerBound? Best
    {
        get
        {
            LowerBound? best = null;
            foreach (var l in Lower)
                if (l is not null && (best is null || l.Exact > best.Exact)) best = l;
            return best;
        }
    }
}
