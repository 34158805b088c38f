namespace Verify.Bab;

/// <summary>How a node's domain is cut into parts that cover it (for a box: which dimension to bisect).</summary>
public interface ISplitPolicy<TDomain, in TNode>
{
    /// <summary>The parts of <paramref name="node"/>'s domain, or none when it cannot be split any more.
    /// Called from the workers, so it must only read the node.</summary>
    TDomain[] Split(TNode node);
}
