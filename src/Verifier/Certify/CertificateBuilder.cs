using Verify.Bounds;
using Verify.Certificates;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// The certificate of a certify answer. Falsified: the replayed witness. `--method analytic`: the claim alone (the
/// recursion has no choices; a checker recomputes it), with the one constant it cannot recompute exactly. Otherwise the
/// split tree of input splitting is rebuilt from its leaves (<see cref="SplitTree"/>; one node, the box, without
/// splitting) and every node bounded again by a plain linear pass from its parent's enclosures, as input splitting
/// does, recording what a checker needs. The claim per output is the larger of the engine's U and every leaf's bound:
/// so the certificate proves the answer reported (or, where a leaf from scratch is looser, a slightly weaker one), with
/// data a checker recomputes without search or optimisation (docs/certificates.md).
/// </summary>
public static class CertificateBuilder
{
    /// <returns>null when an `--execution` answer is not certified (a float evaluation may overflow: U = ∞).</returns>
    public static Certificate? Build(CertifyQuery q, CertifyResult result, SplitRecord splits)
    {
        if (result.ExecutionOverflow is not null) return null;
        var delta = q.Perturbation.ToBox(q.Network);
        var cert = new Certificate(q.NetworkPath, q.NetworkSha256, q.Box.Lower, q.Box.Upper, q.Perturbation, q.Method.Name)
        {
            BallRadius = delta.Ball?.Radius,
            Execution = Execution(q.Network, q.Perturbation),
            Threshold = q.Threshold,
            EngineUpper = result.Upper,
        };
        if (result.Verdict == Verdict.Falsified && result.SupLower is { } l)
            return cert with { Witness = new WitnessRecord(l.Output, l.Witness.X, l.Witness.Perturbed, l.Value) };
        if (q.Method == BoundMethods.Analytic)
            return cert with { Upper = (double[])result.Upper.Clone(), Analytic = new AnalyticRecord(AnalyticRowCap(q.Network, delta)) };
        var z3Closed = Z3ClosedOutputs(q, result);
        var (leafBoxes, dimensionOf) = z3Closed.Count > 0 ? Refine(q.Network, q.Box, splits) : (splits.Leaves, splits.DimensionOf);
        var (nodes, leaves) = RecordTree(q.Network, q.Box, delta, leafBoxes, dimensionOf, null);
        var upper = (double[])result.Upper.Clone(); // the claim covers the engine's answer, and every leaf
        foreach (var leaf in leaves)
            for (int j = 0; j < upper.Length; j++) upper[j] = Math.Max(upper[j], leaf.Bound[j]);
        var smt = new List<SmtClaim>();
        foreach (int j in z3Closed)
            if (upper[j] > result.Upper[j] && Z3Claims(q, delta, nodes, j, result.Upper[j]) is { } claims)
            {
                smt.AddRange(claims);
                upper[j] = result.Upper[j]; // Z3's claim, tighter than the tree's leaves alone
            }
        return cert with { Nodes = nodes, Upper = upper, Smt = smt };
    }

    /// <summary>The outputs whose U_j is Z3's bound (the engine's minimum came from z3, and z3 ran on them: a skipped
    /// output's "z3 bound" is only the start it was handed).</summary>
    private static List<int> Z3ClosedOutputs(CertifyQuery q, CertifyResult result)
    {
        if (!q.Method.Exact || result.Methods.FirstOrDefault(m => m.Name == BoundMethods.Z3.Name) is not { } z3 || result.Z3 is not { } ran) return [];
        return Enumerable.Range(0, result.Upper.Length)
            .Where(j => z3.Upper[j] <= result.Upper[j] && double.IsFinite(result.Upper[j]) && ran.Outputs[j].Skipped is null).ToList();
    }

    /// <summary>Leaves with at most this many nominal neurons of unknown phase (interval bounds) get one SMT query each;
    /// wider ones are bisected first (a query over the whole box of a 2-16-16-1 net did not finish in 60 s in either
    /// solver; its parts take milliseconds), down to at most <see cref="MaxRefineDepth"/> bisections.</summary>
    private const int MaxQueryUnstable = 6, MaxRefineDepth = 7;

    /// <summary>The search's leaves (the box when it did not split), each bisected along its widest side until its
    /// nominal network has few unstable neurons: the parts a decision query can be re-decided on.</summary>
    private static (IReadOnlyList<Box> Leaves, Func<Box, int?> DimensionOf) Refine(Network network, Box box, SplitRecord splits)
    {
        var refined = new SplitRecord();
        var leaves = splits.Leaves.Count == 0 ? [box] : splits.Leaves;
        void Split(Box b, int depth)
        {
            var bounds = Smt.IntervalPropagation.Compute(network, b);
            int unstable = 0;
            for (int l = 0; l < bounds.LayerCount - 1; l++)
                if (network.Layers[l].Activation.IsPiecewiseLinearWithKink) unstable += bounds.Layer(l).Count(z => z.Lo < 0 && z.Hi > 0);
            int dim = Enumerable.Range(0, b.Dimension).MaxBy(d => b[d].Width);
            if (unstable <= MaxQueryUnstable || depth >= MaxRefineDepth || !(b[dim].Width > 0)) { refined.Leaf(b); return; }
            refined.Split(b, dim);
            var (lo, hi) = b.Bisect(dim);
            Split(lo, depth + 1);
            Split(hi, depth + 1);
        }
        foreach (var leaf in leaves) Split(leaf, 0);
        return (refined.Leaves, b => refined.DimensionOf(b) ?? splits.DimensionOf(b));
    }

    /// <summary>
    /// Z3's claim |Δf_j| ≤ u on every leaf whose own bound does not show it: one decision query per such leaf (its box,
    /// its recorded enclosures as facts: Smt/DecisionQuery), each kept only when Z3 re-decides that very text as unsat
    /// within the run's timeout; null when one is not (the output's claim then stays the tree's).
    /// </summary>
    private static List<SmtClaim>? Z3Claims(CertifyQuery q, ParameterBox delta, NodeRecord[] nodes, int j, double u)
    {
        var isParent = new bool[nodes.Length];
        foreach (var n in nodes) if (n.Parent >= 0) isParent[n.Parent] = true;
        var claims = new List<SmtClaim>();
        for (int i = 0; i < nodes.Length; i++)
        {
            if (isParent[i] || nodes[i].Bound[j] <= u) continue;
            var leafBox = Box.FromBounds(nodes[i].Lower, nodes[i].Upper);
            if (Smt.DecisionQuery.Write(q.Network, leafBox, delta, j, u, nodes[i].Layers) is not { } text) return null;
            if (Smt.DecisionQuery.Decide(text, q.Timeout) != Smt.SmtStatus.Unsat) return null;
            claims.Add(new SmtClaim(j, u, Smt.DecisionQuery.Logic, text) { Node = i });
        }
        return claims;
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
        var cert = new Certificate(q.NetworkPath, q.NetworkSha256, q.Box.Lower, q.Box.Upper, q.Perturbation, q.Method.Name)
        {
            BallRadius = delta.Ball?.Radius,
            Execution = Execution(q.Network, q.Perturbation),
        };
        var claim = new TopOneClaim(result.Class, q.Box.Center);
        if (result.Flip is { } f)
            return cert with
            {
                TopOne = claim,
                Witness = new WitnessRecord(f.Rival, f.X, f.Perturbed, result.FlipMargin!.Value.ToInterval().Hi),
            };
        var (nodes, leaves) = RecordTree(q.Network, q.Box, delta, splits, result.Class);
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

    /// <summary>The format of an `--execution` answer and its per-layer widening (the nodes are bounded over the widened box).</summary>
    private static ExecutionRecord? Execution(Network network, PerturbationModel model) => model.Execution is { } f
        ? new ExecutionRecord(f.Name, Enumerable.Range(0, network.Depth).Select(l => ExecutionWidening.Of(network, l, f)).ToArray())
        : null;

    /// <summary>
    /// The analytic recursion's cap on Σ_j |δW_ij| on a norm ball's layer, √n·r (each row of δW has 2-norm ≤ r), as
    /// AnalyticBounder rounds it: the one constant of its recursion that is not an exact sum or product of the network's
    /// numbers, so the certificate records it and the checker verifies cap² ≥ n·r² instead of taking a square root.
    /// </summary>
    private static double? AnalyticRowCap(Network network, ParameterBox delta) =>
        delta.BoundingBall is { } ball
            ? Rounding.MulUp(Rounding.SqrtUp(network.Layers[ball.Layer].Inputs), ball.Radius)
            : null;

    /// <summary>The split tree rebuilt from the leaves, every node re-bounded from its parent's enclosures, level by
    /// level (every parent before its children, each level in parallel). Also the equivalence certificates' tree
    /// (Equivalence/EquivalenceCertificate), with δ the parameter difference of the two networks.</summary>
    public static (NodeRecord[] Nodes, List<NodeRecord> Leaves) RecordTree(Network network, Box box, ParameterBox delta,
        SplitRecord splits, int? marginClass = null) => RecordTree(network, box, delta, splits.Leaves, splits.DimensionOf, marginClass);

    private static (NodeRecord[] Nodes, List<NodeRecord> Leaves) RecordTree(Network network, Box box, ParameterBox delta,
        IReadOnlyList<Box> leafBoxes, Func<Box, int?> dimensionOf, int? marginClass)
    {
        var tree = SplitTree.Rebuild(box, leafBoxes, dimensionOf);
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
