namespace Verify.Search;

/// <summary>
/// The order in which the attack's first phase runs its ascents: round by round (restart 0 of every objective, first
/// the plain run of each, then the aligned run of each, before restart 1 of any), so that an attack cut short by its
/// budget has run the centre start and an aligned run of EVERY output and sign — on a large network (784 inputs, 20
/// objectives) a budget that covers a fraction of the runs otherwise left most outputs without any witness; on MNIST
/// 256x4 under load one run takes a second, and certify's first attack at --timeout 10 has time for about four. Each run keeps its identity (<see cref="Run.Id"/>: the
/// index it had in objective-major order, plain runs before aligned ones), which names its random stream and breaks
/// ties between equal values, so an attack that completes finds exactly what it found in any other order.
/// </summary>
public sealed class AttackSchedule
{
    /// <summary>One ascent: its objective (output·2 + sign index), its restart number, whether δ is aligned at every step,
    /// and its identity.</summary>
    public readonly record struct Run(int Objective, int Restart, bool Aligned, int Id);

    private readonly Run[] _runs;

    public AttackSchedule(int objectives, int restarts, int aligned) : this(objectives, restarts, aligned, 0) { }

    /// <summary>
    /// As above, then <paramref name="screened"/> aligned runs per objective from the screen's points (<see cref="AlignedScreen"/>), round
    /// by round after all others (restart numbers restarts, restarts + 1, …; identities after all others), so the runs
    /// above keep their identities and random streams.
    /// </summary>
    public AttackSchedule(int objectives, int restarts, int aligned, int screened)
    {
        if (objectives < 0 || restarts < 0 || aligned < 0 || screened < 0) throw new ArgumentOutOfRangeException(nameof(objectives), "counts must be non-negative");
        var runs = new List<Run>(objectives * (restarts + aligned));
        int plain = objectives * restarts;
        for (int r = 0; r < Math.Max(restarts, aligned); r++)
        {
            // Every objective's plain run before any aligned one: a search cut after a few runs reaches twice the outputs.
            if (r < restarts)
                for (int o = 0; o < objectives; o++) runs.Add(new Run(o, r, false, o * restarts + r));
            if (r < aligned)
                for (int o = 0; o < objectives; o++) runs.Add(new Run(o, r, true, plain + o * aligned + r));
        }
        int before = runs.Count;
        for (int r = 0; r < screened; r++)
            for (int o = 0; o < objectives; o++) runs.Add(new Run(o, restarts + r, true, before + o * screened + r));
        _runs = runs.ToArray();
    }

    public int Count => _runs.Length;

    /// <summary>The runs in the order they start.</summary>
    public IReadOnlyList<Run> Runs => _runs;
}
