using Verify.Certificates;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Equivalence;

/// <summary>
/// The certificate of an `equiv --top1` answer for two networks A, B of one architecture (docs/certificates.md). As for
/// ε answers, f_B = f(·; θ_A + δ) with δ = θ_B − θ_A exactly, so a verified answer is a `certify --top1` certificate of
/// A for that one δ (its nodes' margins bound y'_c − y'_j, i.e. B's), with one addition that agreement needs: per node
/// the nominal margins y_c − y_j of A itself. c is A's top class at the box centre. Both margins ≥ 0 on every leaf
/// make c a top class of both networks at every x, so their argmax sets meet: they agree. Branch and bound closes a part
/// with the class at its centre; a verified answer with positive margins has one class on the whole (connected) box,
/// so one c serves every part (a tie on the box makes the claim fail, which the checker then says).
/// Falsified: the replayed point where the argmax sets are disjoint (A's class, B's class). An exact permuted or
/// rescaled copy: the recorded alignment (outcome "symmetric"), which makes the two functions identical.
/// </summary>
public static class TopOneEquivalenceCertificate
{
    /// <param name="first">the network the tree is about: the first, or for different architectures the merged first.</param>
    /// <param name="second">the second network, or the merged second (the witness's θ′).</param>
    public static (Certificate? Certificate, string? WhyNone) Build(EquivalenceQuery q, EquivalenceResult r, Bounds.SplitRecord closed, Certificate frame,
                                                                    Network first, Network second)
    {
        if (r.Verdict == Verdict.Falsified)
        {
            if (r.Witness is not { FirstClass: { } a, SecondClass: { } b } w) return (null, "the falsified answer has no replayed class disagreement");
            // The checker evaluates both networks exactly at x: a is a top class of A there, and no top class of A is one of B's.
            var y2 = q.Second.EvaluateExact(w.X.Select(Rational.FromDouble).ToArray());
            return (frame with
            {
                TopOne = new TopOneClaim(a, w.X),
                Witness = new WitnessRecord(b, w.X, second, (y2[a] - y2[b]).ToInterval().Hi),
            }, null);
        }
        Bounds.SplitRecord leaves;
        if (r.ExactCopy)
        {
            // A permuted or rescaled copy computes the same function, so the argmax sets are equal at every x: the
            // recorded alignment (proved by the checker entry by entry) is the whole certificate.
            if (!EquivalenceCertificate.Identical(q.First, q.Second))
                return ExactAligner.Align(q.First, q.Second) is { } al
                    ? (frame with
                    {
                        Symmetry = new SymmetryRecord(al.Permutation, al.ScaleExponent), Upper = new double[q.First.OutputSize],
                        TopOne = new TopOneClaim(TopOne.ArgmaxSet(q.First.EvaluateExact(q.Input.Center.Select(Rational.FromDouble).ToArray()))[0], q.Input.Center),
                    }, null)
                    : (null, "the second network is an exact copy the aligner cannot prove");
            leaves = new Bounds.SplitRecord();
            leaves.Leaf(q.Input);
        }
        else if (closed.Leaves.Count == 0) return (null, "no closed part was recorded");
        else leaves = closed;
        int cls = TopOne.ArgmaxSet(q.First.EvaluateExact(q.Input.Center.Select(Rational.FromDouble).ToArray()))[0];
        var (nodes, _) = CertificateBuilder.RecordTree(first, q.Input, ParameterDifference.Of(first, second), leaves, cls);
        nodes = Pruned(WithNominalMargins(first, nodes, cls), cls);
        int m = q.First.OutputSize;
        var upper = new double[m];
        var margin = Enumerable.Repeat(double.MaxValue, m).ToArray();
        var nominal = Enumerable.Repeat(double.MaxValue, m).ToArray();
        margin[cls] = nominal[cls] = 0;
        var isParent = new bool[nodes.Length];
        foreach (var n in nodes) if (n.Parent >= 0) isParent[n.Parent] = true;
        for (int i = 0; i < nodes.Length; i++)
        {
            if (isParent[i]) continue;
            for (int j = 0; j < m; j++)
            {
                upper[j] = Math.Max(upper[j], nodes[i].Bound[j]);
                if (j == cls) continue;
                margin[j] = Math.Min(margin[j], nodes[i].Margin![j]);
                nominal[j] = Math.Min(nominal[j], nodes[i].NominalMargin![j]);
            }
        }
        return (frame with
        {
            Nodes = nodes, Upper = upper,
            TopOne = new TopOneClaim(cls, q.Input.Center) { Margin = margin, NominalMargin = nominal },
        }, null);
    }

    /// <summary>
    /// The tree cut below every node whose own margins (both networks) already prove agreement: the nodes are re-bounded
    /// by linear passes, whose margins are much tighter than the interval margins branch and bound closes parts with
    /// (net_4_50x3_2 on a box of width 0.1: 889 nodes, 445 leaves, every leaf's margin above 3; the root alone proves it),
    /// and every node costs the checker exact backward passes. A cut node becomes a leaf over its whole box.
    /// </summary>
    private static NodeRecord[] Pruned(NodeRecord[] nodes, int cls)
    {
        bool Proves(NodeRecord n)
        {
            for (int j = 0; j < n.Margin!.Length; j++)
                if (j != cls && !(n.Margin[j] >= 0 && n.NominalMargin![j] >= 0)) return false;
            return true;
        }
        var index = new int[nodes.Length];
        var kept = new List<NodeRecord>();
        var closedBelow = new bool[nodes.Length]; // an ancestor (or the node itself) proves agreement
        for (int i = 0; i < nodes.Length; i++)
        {
            int parent = nodes[i].Parent;
            if (parent >= 0 && closedBelow[parent]) { index[i] = -1; closedBelow[i] = true; continue; }
            closedBelow[i] = Proves(nodes[i]);
            index[i] = kept.Count;
            kept.Add(nodes[i] with { Parent = parent < 0 ? -1 : index[parent] });
        }
        return kept.ToArray();
    }

    /// <summary>
    /// Per node and rival j a lower bound of A's margin y_c − y_j from what the node records (parents first): the larger
    /// of lo σ(z_c) − hi σ(z_j) over the output enclosure, B's margin minus the difference (for an identity output layer
    /// y_c − y_j = (y'_c − y'_j) − (Δz_c − Δz_j) ≥ margin_j − hi Δz_c + lo Δz_j), and the parent's. Rounded down; the
    /// checker derives the same bounds exactly (and a backward pass), so it finds each recorded one implied.
    /// </summary>
    private static NodeRecord[] WithNominalMargins(Network network, NodeRecord[] nodes, int cls)
    {
        var output = network.Layers[^1].Activation.Operator;
        var kink = output.Kink;
        double SigmaDown(double t) => Rounding.MulDown(t >= 0 ? kink.P : kink.N, t);
        double SigmaUp(double t) => Rounding.MulUp(t >= 0 ? kink.P : kink.N, t);
        var result = new NodeRecord[nodes.Length];
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var last = node.Layers[^1];
            var nominal = new double[last.ZLo.Length];
            for (int j = 0; j < nominal.Length; j++)
            {
                if (j == cls) continue;
                // σ is non-decreasing (P, N ≥ 0 for every activation), so its range over [l, u] is [σ(l), σ(u)].
                double v = Rounding.SubDown(SigmaDown(last.ZLo[cls]), SigmaUp(last.ZHi[j]));
                if (output.IsIdentity)
                    v = Math.Max(v, Rounding.SubDown(Rounding.AddDown(node.Margin![j], last.DLo[j]), last.DHi[cls]));
                if (node.Parent >= 0) v = Math.Max(v, result[node.Parent].NominalMargin![j]);
                nominal[j] = double.IsNegativeInfinity(v) || double.IsNaN(v) ? -double.MaxValue : v; // JSON has no −∞
            }
            result[i] = node with { NominalMargin = nominal };
        }
        return result;
    }
}
