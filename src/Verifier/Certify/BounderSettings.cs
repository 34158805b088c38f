using Verify.Bounds;
using Verify.Intervals;
using Verify.Results;

namespace Verify.Certify;

/// <summary>
/// What the registry's factories need from a query: the configured linear pass (optimised slopes or not), which is
/// linear's bounder and auto's leaf, and input splitting's limits (null: <see cref="InputSplittingBounder"/>'s defaults).
/// </summary>
public sealed record BounderSettings
{
    public static BounderSettings Default { get; } = new();

    /// <summary>Stateless and thread-safe, so one instance serves every box and thread.</summary>
    public LinearDifferenceBounder Linear { get; init; } = new();

    public SplitLimits? Splitting { get; init; }
}

/// <summary>When certify's input splitting stops: time, bisections, or a target for sup U (a replayed lower bound,
/// beyond which no better answer exists); <see cref="Progress"/> hears every improvement, <see cref="Promising"/> the
/// boxes about to be split (fed to the attack).</summary>
public sealed record SplitLimits(TimeSpan Timeout, int MaxSplits, double? StopAtSupUpper, Action<SplitProgress>? Progress,
                                 Action<Box, double[]>? Promising = null)
{
    /// <summary>Sees every leaf box of the run (--certificate); called from worker threads.</summary>
    public Action<Intervals.Box>? RecordLeaf { get; init; }

    /// <summary>Hears every bisection (box, dimension) of the run (--certificate); called from worker threads.</summary>
    public Action<Intervals.Box, int>? RecordSplit { get; init; }
}
