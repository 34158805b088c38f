namespace Verify.Bab;

/// <summary>
/// What one branch and bound is for: when to stop, which nodes to split, which to close, and in what order. The
/// engine calls every member from the searching thread, except where it says otherwise.
/// </summary>
public interface IBabProblem<TNode, TPriority>
{
    /// <summary>Asked before every round: whether the search is done (target reached, budget spent, …).</summary>
    bool ShouldStop();

    /// <summary>A node just taken off the frontier, with the priority it was filed under.</summary>
    NodeFate Triage(TNode node, TPriority priority);

    /// <summary>
    /// A freshly bounded node (a root or a child): true, with its priority, when it stays open; false when its bound
    /// closes it (the problem then accounts for its bound). The node may be replaced (e.g. stripped of data that is
    /// only kept while few nodes are open).
    /// </summary>
    bool Admit(ref TNode node, out TPriority priority);

    /// <summary>Before the workers branch the nodes of a round.</summary>
    void BeforeBranching(IReadOnlyList<TNode> batch) { }

    /// <summary>After the workers branched a round, before the children are admitted (e.g. attacks on them); a
    /// cancellation thrown here undoes the round like one thrown while bounding.</summary>
    void AfterBranching(IReadOnlyList<TNode> batch, TNode[][] children, CancellationToken cancellation) { }

    /// <summary>After the children of a round were admitted (progress reports, memory caps).</summary>
    void AfterRound() { }
}
