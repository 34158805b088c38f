namespace Verify.Search;

/// <summary>
/// Budget of the deviation attack. <see cref="Restarts"/> ascent runs per output and sign (random starts, box
/// corners, the centre and any seeds), each <see cref="Steps"/> sign-gradient steps followed by a vertex polish;
/// then <see cref="LocalSearchRounds"/> perturbation hops from the best point of each objective.
/// </summary>
public sealed record AttackOptions
{
    public int Restarts { get; init; } = 16;
    public int Steps { get; init; } = 150;
    public int LocalSearchRounds { get; init; } = 24;
    public int Seed { get; init; } = 1;

    /// <summary>Degree of parallelism; 0 means all cores.</summary>
    public int Threads { get; init; }

    /// <summary>A cheap budget for attacks on the parts of a branch and bound.</summary>
    public AttackOptions ForPart() => this with { Restarts = 2, Steps = 40, LocalSearchRounds = 2 };
}
