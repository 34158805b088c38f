using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// How certify's anytime branch and bound (--gap, --trace) went: why it stopped, the relative gap U/L − 1 at the end
/// (+∞ without a positive lower bound), and the work done. The bounds themselves are reported by the certify result.
/// </summary>
public sealed record SearchSummary(
    string StoppedBy, double Gap, int Splits, int OpenParts, int PrunedParts, int FrozenParts, long BoundCalls, TimeSpan Elapsed)
{
    public JsonObject ToJson() => new()
    {
        ["stoppedBy"] = StoppedBy,
        ["gap"] = double.IsFinite(Gap) ? Gap : null,
        ["splits"] = Splits,
        ["openParts"] = OpenParts,
        ["prunedParts"] = PrunedParts,
        ["frozenParts"] = FrozenParts,
        ["boundCalls"] = BoundCalls,
        ["seconds"] = Elapsed.TotalSeconds,
    };
}
