namespace Verify.Bab;

/// <summary>How <see cref="BabEngine{TDomain, TNode, TPriority}"/> works through the frontier.</summary>
public sealed record BabOptions
{
    /// <summary>Workers that branch and bound the nodes of a round; 1 runs a round on the searching thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Nodes taken off the frontier per round (their children are bounded together by the workers).</summary>
    public int BatchSize { get; init; } = 2 * Environment.ProcessorCount;

    /// <summary>No node is taken for splitting once this many splits are made or under way.</summary>
    public long MaxSplits { get; init; } = long.MaxValue;
}
