namespace Verify.Search;

/// <summary>
/// Budget of the deviation attack. <see cref="Restarts"/> ascent runs per output and sign (random starts, box
/// corners, the centre and any seeds), each <see cref="Steps"/> sign-gradient steps followed by a vertex polish, and
/// half as many again (at least one) with δ aligned at every step (<see cref="AlignDelta"/>);
/// then <see cref="LocalSearchRounds"/> perturbation hops from the best point of each objective.
/// </summary>
public sealed record AttackOptions
{
    public int Restarts { get; init; } = 16;
    public int Steps { get; init; } = 150;
    public int LocalSearchRounds { get; init; } = 24;
    public int Seed { get; init; } = 1;

    /// <summary>
    /// max(1, <see cref="Restarts"/>/2) further ascent runs per objective (from the same kinds of start: the centre,
    /// seeds, corners, random points) in which δ jumps at every step to the first-order worst vertex for the current x
    /// (the sign of ∂(s·Δf_j)/∂δ). The plain runs take sign steps of decreasing size on δ, which wander more; on the
    /// benchmark nets neither kind alone was better, together they reach more local maxima. The plain runs keep their
    /// random streams, so the attack is never weaker than without these runs at its first phase.
    /// </summary>
    public bool AlignDelta { get; init; } = true;

    /// <summary>
    /// Whether a cancelled search still turns each objective's best point into a candidate (an admissible network: a
    /// few tenths of a second each on a 267k-parameter network). Callers that take a cancelled search's points as their
    /// answer keep it; input splitting's feed, which is cancelled at certify's deadline, does not.
    /// </summary>
    public bool CandidatesWhenCancelled { get; init; } = true;

    /// <summary>
    /// Points per output that the screen (<see cref="AlignedScreen"/>, boxes of at most 16 free dimensions) scores
    /// by the deviation with δ at the first-order worst vertex; its best <see cref="ScreenSeeds"/> per objective start
    /// further aligned runs after all others, searched locally on their own. 0: no screen.
    /// </summary>
    public int ScreenSamples { get; init; } = 256;

    /// <summary>At most this many screened starts per objective.</summary>
    public int ScreenSeeds { get; init; } = 3;

    /// <summary>Degree of parallelism; 0 means all cores.</summary>
    public int Threads { get; init; }

    /// <summary>A cheap budget for attacks on the parts of a branch and bound.</summary>
    public AttackOptions ForPart() => this with { Restarts = 2, Steps = 40, LocalSearchRounds = 2, ScreenSamples = 0 };
}
