namespace Verify.Bab;

/// <summary>
/// Why a node is a leaf of the search tree: it was never split. The leaves of one run cover the root domain exactly
/// once, so each kind says how the leaf's bound enters the result.
/// </summary>
public enum LeafKind
{
    /// <summary>Decided: its bound closed it, or the problem solved it.</summary>
    Closed,
    /// <summary>Not splittable or not worth splitting; its bound counts in the global bound.</summary>
    Settled,
    /// <summary>Dropped from the frontier by a memory cap; its bound counts in the global bound.</summary>
    Frozen,
    /// <summary>Still open when the search ended; its bound counts in the global bound.</summary>
    Open,
}
