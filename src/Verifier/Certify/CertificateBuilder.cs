using Verify.Bounds;
using Verify.Certificates;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

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
    public static Certificate Build(CertifyQuery q, CertifyResult result, SplitRecord splits)
    {
        var delta = q.Perturbation.ToBox(q.Network);
        var (boxOnly, radius) = BoxOnly(q.Network, delta);
        var cert = new Certificate(q.NetworkPath, q.NetworkSha256, q.Box.Lower, q.Box.Upper, q.Perturbation, q.Method.Name)
        {
            BallRadius = radius,
            Threshold = q.Threshold,
            EngineUpper = result.Upper,
        };
        if (result.Verdict == Verdict.Falsified && result.SupLower is { } l)
            return cert with { Witness = new WitnessRecord(l.Output, l.Witness.X, l.Witness.Perturbed, l.Value) };
        var (nodes, leaves) = RecordTree(q.Network, q.Box, boxOnly, splits, null);
        var upper = (double[])result.Upper.Clone(); // the claim covers the engine's answer, and every leaf
        foreach (var leaf in leaves)
            for (int j = 0; j < upper.Length; j++) upper[j] = Math.Max(upper[j], leaf.Bound[j]);
        return cert with { Nodes = nodes, Upper = upper };
    }

    /// <summary>
    /// The certificate of a `--top1` answer: falsified, the flip; verified, margin splitting's closed boxes as a split
    /// tree whose nodes record the margin objective too. The claimed margin per rival is the smallest over the leaves
    /// (re-bounded, so it may differ a little from the engine's; verified stays verified unless a leaf re-bounded from
    /// its parent is looser, which the check then reports as margins that do not certify the class).
    /// </summary>
    public static Certificate BuildTopOne(TopOneQuery q, TopOneResult result, SplitRecord splits)
    {
        var delta = q.Perturbation.ToBox(q.Network);
        var (boxOnly, radius) = BoxOnly(q.Network, delta);
        var cert = new Certificate(q.NetworkPath, q.NetworkSha256, q.Box.Lower, q.Box.Upper, q.Perturbation, q.Method.Name)
        {
            BallRadius = radius,
        };
        var claim = new TopOneClaim(result.Class, q.Box.Center);
        if (result.Flip is { } f)
            return cert with
            {
                TopOne = claim,
                Witness = new WitnessRecord(f.Rival, f.X, f.Perturbed, result.FlipMargin!.Value.ToInterval().Hi),
            };
        var (nodes, leaves) = RecordTree(q.Network, q.Box, boxOnly, splits, result.Class);
        var upper = new double[q.Network.OutputSize];
        var margin = Enumerable.Repeat(double.MaxValue, upper.Length).ToArray();
        margin[result.Class] = 0;
        foreach (var leaf in leaves)
            for (int j = 0; j < upper.Length; j++)
            {
                upper[j] = Math.Max(upper[j], leaf.Bound[j]);
                if (j != result.Class) margin[j] = Math.Min(margin[j], leaf.Margin![j]);
            }
        return cert with { Nodes = nodes, Upper = upper, TopOne = claim with { Margin = margin } };
    }

    /// <summary>
    /// A norm ball's enclosing box without the ball, and its radius: the checker encloses the ball by |δ_ij| ≤ r after
    /// checking r ≥ ratio·‖W‖_F exactly, and does not re-derive the dual-norm bound the bounders use, so the nodes are
    /// re-bounded through that box (a looser, still valid claim). For the spectral norm r is the Frobenius radius too
    /// (‖W‖₂ ≤ ‖W‖_F), not the engine's tighter Gram-power radius, which the checker cannot confirm cheaply.
    /// </summary>
    private static (ParameterBox Box, double? Radius) BoxOnly(Network network, ParameterBox delta)
    {
        if (delta.Ball is not { } ball) return (delta, null);
        double r = ball.Norm == MatrixNorm.Frobenius ? ball.Radius
            : Rounding.MulUp(ball.Ratio, SpectralNorm.FrobeniusUpper(network.Layers[ball.Layer]));
        var layers = delta.Layers.ToArray();
        var old = layers[ball.Layer];
        int n = old.WeightLo.Length;
        layers[ball.Layer] = old with { WeightLo = Enumerable.Repeat(-r, n).ToArray(), WeightHi = Enumerable.Repeat(r, n).ToArray() };
        return (new ParameterBox(layers, null, delta.Inner) { Execution = delta.Execution }, r);
    }

    /// <summary>The split tree rebuilt from the leaves, every node re-bounded from its parent's enclosures, level by
    /// level (every parent before its children, each level in parallel). Also the equivalence certificates' tree
    /// (Equivalence/EquivalenceCertificate), with δ the parameter difference of the two networks.</summary>
    public static (NodeRecord[] Nodes, List<NodeRecord> Leaves) RecordTree(Network network, Box box, ParameterBox delta,
        SplitRecord splits, int? marginClass = null)
    {
        var tree = SplitTree.Rebuild(box, splits.Leaves, splits.DimensionOf);
        var bounder = new LinearDifferenceBounder();
        var nodes = new (NodeRecord Node, LayerBounds[] Enclosures)[tree.Count];
        var isParent = new bool[tree.Count];
        foreach (var (_, parent) in tree) if (parent >= 0) isParent[parent] = true;
        var depth = new int[tree.Count];
        for (int i = 1; i < tree.Count; i++) depth[i] = depth[tree[i].Parent] + 1;
        foreach (var level in Enumerable.Range(0, tree.Count).GroupBy(i => depth[i]).OrderBy(g => g.Key))
            Parallel.ForEach(level, i => nodes[i] = bounder.Record(network, tree[i].Box, delta, tree[i].Parent,
                tree[i].Parent >= 0 ? nodes[tree[i].Parent] : null, marginClass: marginClass));
        var records = nodes.Select(n => n.Node).ToArray();
        return (records, Enumerable.Range(0, records.Length).Where(i => !isParent[i]).Select(i => records[i]).ToList());
    }
}
