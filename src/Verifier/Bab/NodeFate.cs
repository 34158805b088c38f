namespace Verify.Bab;

/// <summary>What becomes of a node taken off the frontier (<see cref="IBabProblem{TNode, TPriority}.Triage"/>).</summary>
public enum NodeFate
{
    /// <summary>Split it in this round.</summary>
    Split,
    /// <summary>Keep it as a leaf that still counts in the global bound but is not split (nothing to gain from it).</summary>
    Settle,
    /// <summary>It is decided (closed, pruned, or solved by the problem itself): it leaves the search.</summary>
    Close,
    /// <summary>Put it back unchanged and end the search (the problem's stopping rule saw it).</summary>
    KeepAndStop,
}
