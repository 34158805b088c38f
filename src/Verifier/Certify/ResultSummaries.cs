using Verify.Results;
using Verify.Search;
using Verify.Smt;

namespace Verify.Certify;

/// <summary>The engine's outcomes in the vocabulary of Results, which knows nothing of Search and Smt.</summary>
public static class ResultSummaries
{
    public static SearchSummary Of(SearchResult r) => new(SearchResult.ReasonName(r.Reason), r.Gap, r.Splits, r.OpenParts,
        r.PrunedParts, r.FrozenParts, r.BoundCalls, r.Elapsed);

    public static Z3Summary Of(IReadOnlyList<DeviationMaximum> outputs, double seconds) => new(outputs.Select(Of).ToArray(), seconds);

    private static Z3OutputSummary Of(DeviationMaximum m) => new(m.Output, m.Mode, StatusName(m.Status), m.UpperDouble,
        m.Upper.ToString(), m.Witness?.Value, m.Checks, m.UnstableNeurons, m.Elapsed,
        m.Status == MaximizeStatus.Unknown ? m.Reason.ToString() : null, m.SkipReason);

    public static string StatusName(MaximizeStatus s) => s switch
    {
        MaximizeStatus.Exact => "exact",
        MaximizeStatus.UpperExact => "upper-exact",
        MaximizeStatus.WithinTolerance => "within-tolerance",
        _ => "unknown",
    };
}
