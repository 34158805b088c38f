using Verify.Results;

namespace Verify.Search;

/// <summary>
/// The outcome of branch and bound: certified U_j (NaN for outputs not searched), replayed L_j with their witnesses,
/// why it stopped, and the work done. <see cref="FrozenParts"/> &gt; 0 means the cap on open parts was reached.
/// </summary>
public sealed record SearchResult(
    IReadOnlyList<double> Upper,
    IReadOnlyList<LowerBound?> Lower,
    StopReason Reason,
    int Splits,
    int OpenParts,
    int PrunedParts,
    int FrozenParts,
    long BoundCalls,
    TimeSpan Elapsed)
{
    public double SupUpper => Upper.Where(u => !double.IsNaN(u)).DefaultIfEmpty(double.NaN).Max();

    public LowerBound? SupLower => Lower.Where(l => l is not null).MaxBy(l => l!.Exact);

    public double Gap => SupLower is { Value: > 0 } l ? SupUpper / l.Value - 1 : double.PositiveInfinity;

    public static string ReasonName(StopReason r) => r switch
    {
        StopReason.Exact => "exact",
        StopReason.Gap => "gap",
        StopReason.Threshold => "threshold",
        StopReason.Timeout => "timeout",
        StopReason.Cancelled => "cancelled",
        _ => "max-splits",
    };
}
