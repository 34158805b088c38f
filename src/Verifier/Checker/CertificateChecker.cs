using System.Globalization;
using System.Security.Cryptography;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// `verify check`: re-validates a certificate (docs/certificates.md) with no code of the bounders, the search or the
/// optimiser — only the network model and readers and exact rationals. Valid means: the network file is the one
/// certified (SHA-256), and either every node of the split tree passes <see cref="ExactNode"/>, its leaves cover the box
/// (<see cref="BoxCover"/>) and the claimed U_j is at least every leaf's bound, or the witness replays exactly inside
/// the box and the perturbation set and shows what it claims. Equivalence certificates (perturbation kind "network") take
/// the exact parameter difference to a second network file as the one admissible δ (<see cref="EquivalenceCheck"/>), and
/// with a top1 claim also the first network's margins or a disagreement of the two (<see cref="TopOneEquivalenceCheck"/>); an exact symmetric copy is proved by its recorded alignment (<see cref="SymmetryCheck"/>). A `--method analytic`
/// certificate has no tree: its recursion is recomputed exactly (<see cref="AnalyticCheck"/>). Malformed certificates and unreadable files are
/// <see cref="BadInputException"/>s; a certificate that does not prove its claim is an invalid report.
/// </summary>
public static class CertificateChecker
{
    /// <param name="secondOverride">equivalence certificates: another copy of the second network (its SHA-256 must match).</param>
    /// <param name="cvc5">the second solver's executable for certificates with SMT-LIB2 queries (default: `cvc5` on PATH).</param>
    /// <param name="smtLimit">the second solver's time per query (default 60 s).</param>
    public static CheckReport Check(string certificatePath, string? networkOverride = null, string? secondOverride = null,
                                    string? cvc5 = null, TimeSpan? smtLimit = null)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(certificatePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException(certificatePath, "cannot read: " + e.Message); }
        return Check(certificatePath, CertificateReader.Read(certificatePath, bytes), networkOverride, secondOverride, cvc5, smtLimit);
    }

    /// <summary>A certificate already read (also an embedded part: <see cref="PairExecutionCheck"/>); <paramref name="certificatePath"/> names it in errors.</summary>
    internal static CheckReport Check(string certificatePath, CertificateInput cert, string? networkOverride, string? secondOverride,
                                      string? cvc5, TimeSpan? smtLimit)
    {
        var report = CheckClaim(certificatePath, cert, networkOverride, secondOverride, cvc5, smtLimit);
        // equiv --execution: the pair's bound plus each network's checked floating-point margin.
        if (cert.PairExecution is { } execution)
            return PairExecutionCheck.Check(certificatePath, cert, execution, report, networkOverride, secondOverride, cvc5, smtLimit);
        // equiv --top1 --execution: this is the first network's top-1 execution part; the second's is embedded.
        if (cert.PairTopOneExecution is { } topOne)
            return PairTopOneExecutionCheck.Check(certificatePath, cert, topOne, report, secondOverride, cvc5, smtLimit);
        return cert.Eps is { } eps ? EquivalenceCheck.Verdict(report, eps) : report;
    }

    private static CheckReport CheckClaim(string certificatePath, CertificateInput cert, string? networkOverride, string? secondOverride,
                                          string? cvc5, TimeSpan? smtLimit)
    {
        string netPath = networkOverride ?? cert.NetworkPath;
        var (network, _, netBytes) = NetworkFiles.ReadWithFormat(netPath);
        string sha = Convert.ToHexStringLower(SHA256.HashData(netBytes));
        if (!sha.Equals(cert.NetworkSha256, StringComparison.OrdinalIgnoreCase))
            return CheckReport.Invalid($"network file changed: {netPath} has SHA-256 {sha}, the certificate was made for {cert.NetworkSha256}");
        if (cert.BoxLower.Length != network.InputSize) return CheckReport.Invalid($"the box has {cert.BoxLower.Length} dimensions, the network {network.InputSize} inputs");
        ExactParameters delta;
        bool pair = EquivalenceCheck.IsNetworkKind(cert.Perturbation);
        if (cert.Symmetry is { } symmetry)
        {
            if (!pair) return CheckReport.Invalid("a \"symmetric\" outcome needs a second network (perturbation kind \"network\")");
            var (second, invalid) = EquivalenceCheck.SecondNetwork(certificatePath, cert.Perturbation, network, secondOverride);
            if (invalid is not null) return CheckReport.Invalid(invalid);
            var proof = SymmetryCheck.Check(certificatePath, cert, symmetry, network, second!);
            if (cert.TopOne is not { } same) return proof;
            return TopOneCheck.NominalTop(cert, same, network) is { } notTopHere ? CheckReport.Invalid(notTopHere) : TopOneEquivalenceCheck.Identical(proof, same);
        }
        if (pair)
        {
            var (basis, difference, invalid) = EquivalenceCheck.Difference(certificatePath, cert.Perturbation, network, secondOverride);
            if (invalid is not null) return CheckReport.Invalid(invalid);
            (network, delta) = (basis!, difference!); // a merged pair: the checker's own merged first computes f_A exactly
        }
        else delta = new ExactParameters(certificatePath, cert.Perturbation, network);
        if (cert.Analytic is { } analytic && cert.Witness is null)
        {
            // The recursion records no enclosures, so neither --execution's overflow exclusion nor margins apply.
            if (cert.Perturbation["execution"] is not null) return CheckReport.Invalid("an analytic certificate does not cover --execution");
            if (cert.TopOne is not null) return CheckReport.Invalid("an analytic certificate carries no top-1 margins");
            var bound = AnalyticCheck.Check(cert, analytic, new ExactNetwork(network), delta);
            return cert.Eps is { } e ? EquivalenceCheck.Verdict(bound, e) : bound;
        }
        Rational? maxFinite = null;
        // --execution: bounds hold over the widened set (recomputed here); a witness is a real-arithmetic point of the user's.
        if (cert.Perturbation["execution"] is not null && cert.Witness is null)
        {
            var (widened, max, invalid) = ExactWidening.Apply(certificatePath, cert.Perturbation, cert.Execution, network, delta);
            if (invalid is not null) return CheckReport.Invalid(invalid);
            (delta, maxFinite) = (widened!, max);
        }
        if (cert.TopOne is { } top && TopOneCheck.NominalTop(cert, top, network) is { } notTop) return CheckReport.Invalid(notTop);
        var report = cert.Witness is { } w
            ? cert.TopOne is { } flipped
                ? pair ? TopOneEquivalenceCheck.Disagreement(cert, flipped, w, network, delta, netPath) : TopOneCheck.Flip(cert, flipped, w, network, delta, netPath)
                : CheckWitness(cert, w, network, delta, netPath)
            : CheckLeaves(cert, network, delta, cvc5, smtLimit ?? TimeSpan.FromSeconds(60), maxFinite, pair);
        return report.Valid && pair && EquivalenceCheck.IsMerged(cert.Perturbation)
            ? report with { Message = report.Message + "; different architectures: checked on the checker's own merged pair" }
            : report;
    }

    private static CheckReport CheckLeaves(CertificateInput cert, Network network, ExactParameters delta, string? cvc5, TimeSpan smtLimit,
                                           Rational? maxFinite, bool pair)
    {
        if (cert.Upper is not { } claimed || claimed.Length != network.OutputSize)
            return CheckReport.Invalid($"\"upper\" must list one bound per output ({network.OutputSize})");
        var exactNet = new ExactNetwork(network);
        var nodes = cert.Nodes;
        int n = nodes.Count;
        var checkedNodes = new ExactNode?[n];
        var failures = new string?[n];
        var isParent = new bool[n];
        var depth = new int[n];
        for (int i = 0; i < n; i++)
            if (nodes[i].Parent >= 0) { isParent[nodes[i].Parent] = true; depth[i] = depth[nodes[i].Parent] + 1; }
        // Parents before children, each level in parallel; a failed parent fails its subtree, reported at the parent.
        foreach (var level in Enumerable.Range(0, n).GroupBy(i => depth[i]).OrderBy(g => g.Key))
        {
            Parallel.ForEach(level, i =>
            {
                try
                {
                    if (nodes[i].Lower.Length != network.InputSize) throw new CheckFailure("its box has the wrong dimension");
                    var parent = nodes[i].Parent >= 0 ? checkedNodes[nodes[i].Parent] : null;
                    if (nodes[i].Parent >= 0 && parent is null) return;
                    var node = new ExactNode(exactNet, delta, nodes[i], parent, cert.TopOne?.Class);
                    node.Check();
                    checkedNodes[i] = node;
                }
                catch (CheckFailure f) { failures[i] = f.Message; }
            });
            if (level.Select(i => failures[i]).FirstOrDefault(f => f is not null) is not null) break;
        }
        for (int i = 0; i < n; i++)
            if (failures[i] is { } f) return CheckReport.Invalid($"node {i}{(isParent[i] ? "" : " (a leaf)")}: {f}", n);
        var leaves = Enumerable.Range(0, n).Where(i => !isParent[i]).ToList();
        var queries = new List<SmtInput>();
        foreach (int i in leaves)
            for (int j = 0; j < claimed.Length; j++)
                if (claimed[j] < nodes[i].Bound[j])
                {
                    // Where the leaf's bound is not enough, a claim Z3 closed must come with its query for this leaf.
                    var q = cert.Smt.FirstOrDefault(s => s.Node == i && s.Output == j && s.Bound <= claimed[j]);
                    if (q is null)
                        return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture, $"upper[{j}] = {claimed[j]:R} is below leaf {i}'s bound {nodes[i].Bound[j]:R}"), n);
                    queries.Add(q);
                }
        if (BoxCover.Uncovered(cert.BoxLower, cert.BoxUpper, leaves.Select(i => (nodes[i].Lower, nodes[i].Upper)).ToList()) is { } gap)
            return CheckReport.Invalid("the leaves do not cover the box: " + gap, n);
        // --execution: no float evaluation overflows (the widening does not cover overflow): the root's checked
        // enclosures, or else every leaf's.
        if (maxFinite is { } mf && ExactWidening.Overflow(exactNet, delta, nodes[0], mf) is not null)
            foreach (int i in leaves)
                if (ExactWidening.Overflow(exactNet, delta, nodes[i], mf) is { } overflow)
                    return CheckReport.Invalid($"leaf {i}: overflow is not excluded: {overflow}", n);
        var leafExact = leaves.Select(i => checkedNodes[i]!.Exact.Select(r => r.ToInterval().Hi).ToArray()).ToArray();
        var sup = new double[claimed.Length];
        foreach (var e in leafExact) for (int j = 0; j < sup.Length; j++) sup[j] = Math.Max(sup[j], e[j]);
        string execution = maxFinite is null ? "" : $"; every {cert.Perturbation["execution"]} evaluation covered (widening recomputed exactly, no overflow)";
        var report = new CheckReport(true, string.Create(CultureInfo.InvariantCulture,
            $"valid: {n} nodes checked, {leaves.Count} leaves cover the box; claimed sup U = {claimed.Max():G6}, exact recomputation ≤ {sup.Max():G6}{execution}"), n, sup, claimed)
        { LeafExact = leafExact };
        if (queries.Count > 0) report = SmtClaims.Decide(report, queries, new ExactNetwork(network), delta, nodes, cvc5, smtLimit);
        if (cert.TopOne is not { } top) return report;
        report = TopOneCheck.Margins(report, top, nodes, leaves);
        return pair ? TopOneEquivalenceCheck.Agreement(report, top, nodes, leaves) : report;
    }

    private static CheckReport CheckWitness(CertificateInput cert, WitnessInput w, Network network, ExactParameters delta, string netPath)
    {
        if (w.Output < 0 || w.Output >= network.OutputSize) return CheckReport.Invalid($"witness: output {w.Output} does not exist");
        var (perturbed, inadmissible) = WitnessAdmission.Check(cert, w, network, delta);
        if (perturbed is null) return CheckReport.Invalid(inadmissible!);
        var x = w.X.Select(Rational.FromDouble).ToArray();
        var value = Rational.Abs(perturbed.EvaluateExact(x)[w.Output] - network.EvaluateExact(x)[w.Output]);
        if (value < Rational.FromDouble(w.Value))
            return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture, $"witness: the exact deviation {value.ToDouble():R} is below the claimed {w.Value:R}"));
        if (cert.Threshold is { } t && !(value > Rational.FromDouble(t)))
            return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture, $"witness: the exact deviation {value.ToDouble():R} does not exceed the threshold {t:R}"));
        return new CheckReport(true, string.Create(CultureInfo.InvariantCulture,
            $"valid: the witness replays exactly: |Δf_{w.Output}| = {value.ToDouble():G6}{(cert.Threshold is { } th ? $" > threshold {th:R}" : "")} ({netPath})"), 0, null, null);
    }
}
