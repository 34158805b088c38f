namespace Verify.Bab;

/// <summary>How <see cref="BabEngine{TDomain, TNode, TPriority}"/> works through the frontier.</summary>
public sealed record BabOptions
{
    /// <summary>Workers that branch and bound the nodes of a round; 1 runs a round on the searching thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Nodes taken off the frontier per round (their children are bounded together by the workers).</summary>
    public int BatchSize { get; init; } = 2 * Environment.ProcessorCount;

    /// <summary>
    /// With <see cref="TargetRoundSeconds"/>: rounds grow up to this many nodes while a round of
    /// <see cref="BatchSize"/> takes less than the target. Workers wait for a round's slowest node; a round of a few
    /// nodes whose costs differ tenfold (plain and refined parts of `equiv`) left a seventh of the CPU idle on 2 cores.
    /// </summary>
    public int MaxBatchSize { get; init; }

    /// <summary>How long a round should take (0: rounds are always <see cref="BatchSize"/> nodes). A cancelled round is
    /// undone, so this is also the work a timeout can discard.</summary>
    public double TargetRoundSeconds { get; init; }

    /// <summary>No node is taken for splitting once this many splits are made or under way.</summary>
    public long MaxSplits { get; init; } = long.MaxValue;
}
