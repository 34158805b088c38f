namespace Verify.Bab;

/// <summary>Why <see cref="BabEngine{TDomain, TNode, TPriority}.Run"/> returned.</summary>
public enum BabExit
{
    /// <summary>The problem's stopping rule (<see cref="IBabProblem{TNode, TPriority}.ShouldStop"/> or
    /// <see cref="NodeFate.KeepAndStop"/>).</summary>
    Stopped,
    /// <summary>The token was cancelled; the parents of an unfinished round went back to the frontier.</summary>
    Cancelled,
    /// <summary>No open node is left.</summary>
    Exhausted,
    /// <summary><see cref="BabOptions.MaxSplits"/> splits were made.</summary>
    SplitLimit,
}
