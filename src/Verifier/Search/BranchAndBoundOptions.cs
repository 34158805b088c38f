namespace Verify.Search;

/// <summary>
/// PerOutput: close the gap for every output j separately (U_j, L_j). SupNorm: only the sup over the outputs,
/// so a part is dropped as soon as all its U_j are below the best L over all outputs.
/// </summary>
public enum SearchObjective { PerOutput, SupNorm }

/// <summary>Why branch and bound stopped.</summary>
public enum StopReason { Exact, Gap, Timeout, Cancelled, MaxSplits }

/// <summary>
/// Budget and targets of <see cref="BranchAndBound"/>. Stops at U ≤ (1+<see cref="Gap"/>)·L, at
/// <see cref="Timeout"/> or cancellation, after <see cref="MaxSplits"/> bisections, or when U = L is proven.
/// Memory is bounded by <see cref="MaxOpenParts"/>: when more parts are open, the least promising half is frozen
/// (never split again; only their per-output upper bounds are kept, as one number per output).
/// </summary>
public sealed record BranchAndBoundOptions
{
    public double Gap { get; init; } = 0.0;
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

    /// <summary>Called after the root and after every round, from the searching thread.</summary>
    public Action<SearchProgress>? Progress { get; init; }
}
