namespace Verify.Bab;

/// <summary>
/// Sees every leaf of a run once: each node that was never split, with its domain and bound inside the node. Together
/// they cover the root's domain, which is what a checkable certificate of the global bound is made of.
/// </summary>
public interface ILeafRecorder<in TNode>
{
    void Record(TNode leaf, LeafKind kind);
}

/// <summary>A recorder from a delegate.</summary>
public sealed class LeafRecorder<TNode>(Action<TNode, LeafKind> record) : ILeafRecorder<TNode>
{
    public void Record(TNode leaf, LeafKind kind) => record(leaf, kind);
}
