namespace Verify.Search;

/// <summary>
/// Budget of the deviation attack. <see cref="Restarts"/> ascent runs per output and sign (random starts, box
/// corners, the centre and any seeds), each <see cref="Steps"/> steps (a sign step on x, δ aligned with the sign of
/// its gradient) followed by a vertex polish;
/// then <see cref="LocalSearchRounds"/> perturbation hops from the best point of each objective.
/// </summary>
public sealed record AttackOptions
{
    public int Restarts { get; init; } = 16;
    public int Steps { get; init; } = 150;
    public int LocalSearchRounds { get; init; } = 24;
    public int Seed { get; init; } = 1;

    /// <summary>
    /// On every second restart and local-search round (the centre's among them), δ jumps at every ascent step to the
    /// first-order worst vertex for the current x (the sign of ∂(s·Δf_j)/∂δ); the others take sign steps of
    /// decreasing size on δ, which wander more (on the benchmark nets neither kind alone was better, the two
    /// together reach more local maxima). False: sign steps everywhere.
    /// </summary>
    public bool AlignDelta { get; init; } = true;

    /// <summary>Degree of parallelism; 0 means all cores.</summary>
    public int Threads { get; init; }

    /// <summary>A cheap budget for attacks on the parts of a branch and bound.</summary>
    public AttackOptions ForPart() => this with { Restarts = 2, Steps = 40, LocalSearchRounds = 2 };
}
