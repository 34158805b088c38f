using Verify.Certificates;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Equivalence;

/// <summary>
/// The certificate of an ε answer for two networks A, B of one architecture (docs/certificates.md). f_B = f(·; θ_A + δ)
/// with δ = θ_B − θ_A exactly, so it is a certify certificate of A whose admissible set is that one δ, which the checker
/// computes exactly from B's file. Verified: the parts branch and bound closed by a certified bound, rebuilt into the
/// split tree (<see cref="SplitTree"/>), each node re-bounded by a plain linear pass with the sound box
/// <see cref="ParameterDifference"/>; the claim per output is the largest leaf bound. It is re-bounded, so where the
/// interval bounds closed a part the claim may exceed ε: the checker then says that the bounds do not prove ε.
/// Parts Z3 closed (`--exact-parts on`) are leaves too, each with an SMT-LIB2 decision query "|Δf_j| &gt; U_j" on its box
/// where its own bound is above the claim, re-decided unsat by Z3 before it is kept (the checker has cvc5 decide its own).
/// Falsified: the replayed witness, with θ′ = θ_B. Networks of different architectures: the same, for the
/// <see cref="MergedPair"/> (δ in its output layer only), recorded as merged. Every other answer gets no certificate, and the reason.
/// </summary>
public static class EquivalenceCertificate
{
    /// <param name="closed">the closed parts (a cover of the box when verified) and the bisections.</param>
    /// <param name="exactParts">the closed parts Z3 proved within ε (`--exact-parts on`): each leaf whose own bound does not
    /// show the claim gets an SMT-LIB2 decision query, kept only when Z3 re-decides that text unsat.</param>
    public static (Certificate? Certificate, string? WhyNone) Build(EquivalenceQuery q, EquivalenceResult r, Bounds.SplitRecord closed,
                                                                    IReadOnlyList<Box>? exactParts = null)
    {
        if (r.Verdict is Verdict.Unknown or Verdict.Timeout) return (null, $"the answer is {r.Verdict.ToJsonName()}, which proves nothing");
        // Different architectures: the merged pair, whose first computes f_A and second f_B exactly and which differ in the
        // output layer only, so f_B − f_A is a deviation of the merged first; the checker builds its own merge.
        bool merged = !ExactAligner.SameArchitecture(q.First, q.Second);
        Network a = q.First, b = q.Second;
        if (merged)
        {
            if (MergedPair.TryBuild(q.First, q.Second) is not { } pair)
                return (null, "the networks differ in architecture and cannot be merged exactly (docs/certificates.md)");
            (a, b) = (pair.First, pair.Second);
        }
        var cert = new Certificate(q.FirstPath, q.FirstSha256, q.Input.Lower, q.Input.Upper, null, "equiv")
        {
            SecondNetwork = new SecondNetworkRef(q.SecondPath, q.SecondSha256) { Merged = merged },
            Eps = q.TopOne ? null : q.Eps,
        };
        if (q.TopOne) return TopOneEquivalenceCertificate.Build(q, r, closed, cert, a, b);
        if (r.Verdict == Verdict.Falsified)
        {
            if (r.Witness is not { Output: { } j, Difference: { } d } w) return (null, "the falsified answer has no replayed output difference");
            // The checker replays θ′ = θ_B (merged: the merged second) exactly: |f_B,j(x) − f_A,j(x)| ≥ value (rounded down) and > ε.
            return (cert with { Threshold = q.Eps, Witness = new WitnessRecord(j, w.X, b, d.ToInterval().Lo) }, null);
        }
        Bounds.SplitRecord leaves;
        if (r.ExactCopy)
        {
            // A permuted or rescaled copy: the checker proves the recorded alignment exactly (f_B = f_A, bound 0).
            if (!Identical(q.First, q.Second))
                return ExactAligner.Align(q.First, q.Second) is { } al
                    ? (cert with { Symmetry = new SymmetryRecord(al.Permutation, al.ScaleExponent), Upper = new double[q.First.OutputSize] }, null)
                    : (null, "the second network is an exact copy the aligner cannot prove");
            leaves = new Bounds.SplitRecord();
            leaves.Leaf(q.Input);
        }
        else if (closed.Leaves.Count == 0) return (null, "no closed part was recorded");
        else leaves = closed;
        var delta = ParameterDifference.Of(a, b);
        var (nodes, _) = CertificateBuilder.RecordTree(a, q.Input, delta, leaves);
        var z3 = ExactLeaves(nodes, exactParts ?? []);
        var isParent = new bool[nodes.Length];
        foreach (var n in nodes) if (n.Parent >= 0) isParent[n.Parent] = true;
        var upper = new double[q.First.OutputSize];
        // A leaf Z3 closed proves |Δf_j| ≤ ε whatever its own bound says.
        for (int i = 0; i < nodes.Length; i++)
            if (!isParent[i])
                for (int k = 0; k < upper.Length; k++) upper[k] = Math.Max(upper[k], z3.Contains(i) ? Math.Min(nodes[i].Bound[k], q.Eps) : nodes[i].Bound[k]);
        var smt = new List<SmtClaim>();
        foreach (int i in z3)
            for (int k = 0; k < upper.Length; k++)
            {
                if (nodes[i].Bound[k] <= upper[k]) continue;
                var leafBox = Box.FromBounds(nodes[i].Lower, nodes[i].Upper);
                if (Smt.DecisionQuery.Write(a, leafBox, delta, k, upper[k], nodes[i].Layers) is not { } text)
                    return (null, "a part Z3 closed has no SMT-LIB2 decision query (the network cannot be written)");
                if (Smt.DecisionQuery.Decide(text, q.Timeout ?? TimeSpan.FromSeconds(60)) != Smt.SmtStatus.Unsat)
                    return (null, $"Z3 did not re-decide the decision query of a part it closed (node {i}, output {k}) as unsat");
                smt.Add(new SmtClaim(k, upper[k], Smt.DecisionQuery.Logic, text) { Node = i });
            }
        return (cert with { Nodes = nodes, Upper = upper, Smt = smt, EngineUpper = r.Upper.All(double.IsFinite) ? r.Upper : null }, null);
    }

    /// <summary>The indices of the tree's leaves whose box is one Z3 closed (the rebuilt tree keeps the leaf boxes exactly).</summary>
    private static HashSet<int> ExactLeaves(NodeRecord[] nodes, IReadOnlyList<Box> exactParts)
    {
        var found = new HashSet<int>();
        if (exactParts.Count == 0) return found;
        var isParent = new bool[nodes.Length];
        foreach (var n in nodes) if (n.Parent >= 0) isParent[n.Parent] = true;
        for (int i = 0; i < nodes.Length; i++)
            if (!isParent[i] && exactParts.Any(p => p.Lower.SequenceEqual(nodes[i].Lower) && p.Upper.SequenceEqual(nodes[i].Upper))) found.Add(i);
        return found;
    }

    internal static bool Identical(Network a, Network b)
    {
        for (int l = 0; l < a.Depth; l++)
            if (!a.Layers[l].Weights.SequenceEqual(b.Layers[l].Weights) || !a.Layers[l].Bias.SequenceEqual(b.Layers[l].Bias)) return false;
        return true;
    }
}
