using Verify.Bab;
using Verify.Intervals;

namespace Verify.Search;

/// <summary>
/// PerOutput: close the gap for every output j separately (U_j, L_j). SupNorm: only the sup over the outputs,
/// so a part is dropped as soon as all its U_j are below the best L over all outputs.
/// </summary>
public enum SearchObjective { PerOutput, SupNorm }

/// <summary>Why branch and bound stopped.</summary>
public enum StopReason { Exact, Gap, Threshold, Timeout, Cancelled, MaxSplits }

/// <summary>
/// Budget and targets of <see cref="BranchAndBound"/>. Stops at U ≤ (1+<see cref="Gap"/>)·L, at
/// <see cref="Timeout"/> or cancellation, when <see cref="Threshold"/> is decided, after <see cref="MaxSplits"/> bisections, or when U = L is proven.
/// Memory is bounded by <see cref="MaxOpenParts"/>: when more parts are open, the least promising half is frozen
/// (never split again; only their per-output upper bounds are kept, as one number per output).
/// </summary>
public sealed record BranchAndBoundOptions
{
    public double Gap { get; init; } = 0.0;

    /// <summary>Stop as soon as the question "sup ≤ T?" is decided: U ≤ T, or a replayed witness exceeds T.</summary>
    public double? Threshold { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int MaxSplits { get; init; } = 1_000_000;
    public int MaxOpenParts { get; init; } = 100_000;
    public SearchObjective Objective { get; init; } = SearchObjective.PerOutput;

    /// <summary>Outputs to search (null: all).</summary>
    public IReadOnlyList<int>? Outputs { get; init; }

    /// <summary>Parts split per round (0: twice the number of threads).</summary>
    public int BatchSize { get; init; }

    /// <summary>Degree of parallelism; 0 means all cores.</summary>
    public int Threads { get; init; }

    public AttackOptions Attack { get; init; } = new();

    /// <summary>Budget of the attacks on parts (default: <see cref="AttackOptions.ForPart"/> of <see cref="Attack"/>).</summary>
    public AttackOptions? PartAttack { get; init; }

    /// <summary>Sees every leaf once (a part never split: its box, its per-output upper bounds and why it is a leaf);
    /// together the leaves cover the input box. Called from the searching thread.</summary>
    public Action<Box, IReadOnlyList<double>, LeafKind>? RecordLeaf { get; init; }

    /// <summary>Called after the root and after every round, from the searching thread.</summary>
    public Action<SearchProgress>? Progress { get; init; }
}
