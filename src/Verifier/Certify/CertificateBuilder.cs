using Verify.Bounds;
using Verify.Certificates;
using Verify.Intervals;
using Verify.Results;

namespace Verify.Certify;

/// <summary>
/// The certificate of a certify answer. Falsified: the replayed witness. Otherwise the split tree of input splitting is
/// rebuilt from its leaves (<see cref="SplitTree"/>; one node, the box, without splitting) and every node bounded again
/// by a plain linear pass from its parent's enclosures, as input splitting does, recording what a checker needs. The claim per output is the larger of the engine's U and every leaf's bound: so the
/// certificate proves the answer reported (or, where a leaf from scratch is looser, a slightly weaker one), with data a
/// checker recomputes without search or optimisation (docs/certificates.md).
/// </summary>
public static class CertificateBuilder
{
    public static Certificate Build(CertifyQuery q, CertifyResult result, IReadOnlyList<Box> leafBoxes)
    {
        var delta = q.Perturbation.ToBox(q.Network);
        var cert = new Certificate(q.NetworkPath, q.NetworkSha256, q.Box.Lower, q.Box.Upper, q.Perturbation, q.Method.Name)
        {
            BallRadius = delta.Ball?.Radius,
            Threshold = q.Threshold,
            EngineUpper = result.Upper,
        };
        if (result.Verdict == Verdict.Falsified && result.SupLower is { } l)
            return cert with { Witness = new WitnessRecord(l.Output, l.Witness.X, l.Witness.Perturbed, l.Value) };
        var tree = SplitTree.Rebuild(q.Box, leafBoxes);
        var bounder = new LinearDifferenceBounder();
        var nodes = new (NodeRecord Node, LayerBounds[] Enclosures)[tree.Count];
        var isParent = new bool[tree.Count];
        foreach (var (_, parent) in tree) if (parent >= 0) isParent[parent] = true;
        // Level by level, so that every parent is done before its children, each level in parallel.
        var depth = new int[tree.Count];
        for (int i = 1; i < tree.Count; i++) depth[i] = depth[tree[i].Parent] + 1;
        foreach (var level in Enumerable.Range(0, tree.Count).GroupBy(i => depth[i]).OrderBy(g => g.Key))
            Parallel.ForEach(level, i => nodes[i] = bounder.Record(q.Network, tree[i].Box, delta, tree[i].Parent,
                tree[i].Parent >= 0 ? nodes[tree[i].Parent] : null));
        var upper = (double[])result.Upper.Clone(); // the claim covers the engine's answer, and every leaf
        for (int i = 0; i < nodes.Length; i++)
            if (!isParent[i])
                for (int j = 0; j < upper.Length; j++) upper[j] = Math.Max(upper[j], nodes[i].Node.Bound[j]);
        return cert with { Nodes = nodes.Select(n => n.Node).ToArray(), Upper = upper };
    }
}
