namespace Verify.Bab;

/// <summary>Bounds one part of a split: the node standing for <typeparamref name="TDomain"/> with its certified bound.</summary>
public interface ILeafBounder<in TDomain, TNode>
{
    /// <summary>
    /// The node of <paramref name="domain"/>, a part of <paramref name="parent"/>'s domain (so the parent's bound
    /// also holds on it and may tighten it). Called from the workers; throws <see cref="OperationCanceledException"/>
    /// when cancelled, and the round is then undone.
    /// </summary>
    TNode Bound(TDomain domain, TNode parent, CancellationToken cancellation);
}
