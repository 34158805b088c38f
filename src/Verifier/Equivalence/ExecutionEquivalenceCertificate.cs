using Verify.Certificates;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// The certificate of an `equiv --eps E --execution F` answer (docs/certificates.md). The engine's bound is the sum
/// |f2′ − f1′| ≤ |f2 − f1| + m1 + m2 of three claims, so the certificate carries three checkable parts: the real-valued
/// pair's own certificate (<see cref="EquivalenceCertificate"/>, its tree bounding |f2 − f1|), and per network a
/// certify `--execution F` certificate with no user perturbation (its tree bounding |f_i′ − f_i|, the checker
/// re-derives the widening), embedded so that one file checks. The claim per output is their sum, rounded up.
/// Verified: the pair's tree and both margin trees. Falsified: the pair's replayed witness with the threshold raised to
/// ε + m1_j + m2_j (rounded up), so that a deviation above it leaves every pair of F-evaluations more than ε apart.
/// Unknown, or an overflow the margins cannot exclude: none.
/// </summary>
public static class ExecutionEquivalenceCertificate
{
    public static (Certificate? Certificate, string? WhyNone) Build(EquivalenceQuery q, ExecutionFormat format, EquivalenceResult r,
        Certificate? pair, string? whyNoPair, Certificate? first, Certificate? second)
    {
        if (r.Verdict is Verdict.Unknown or Verdict.Timeout) return (null, $"the answer is {r.Verdict.ToJsonName()}, which proves nothing");
        if (r.Execution?.Overflow is { } overflow) return (null, "a floating-point evaluation may overflow: " + overflow);
        if (first is null || second is null) return (null, "a network's floating-point margin has no finite certified bound");
        if (pair is null) return (null, whyNoPair ?? "the real-valued pair has no certificate");
        var m1 = first.Upper!; var m2 = second.Upper!;
        if (r.Verdict == Verdict.Falsified)
        {
            if (r.Witness is not { Output: { } j, Difference: { } d } || pair.Witness is null)
                return (null, "the falsified answer has no replayed output difference");
            // The checker replays |f2_j − f1_j| > threshold and finds threshold ≥ ε + m1_j + m2_j from the two margin parts.
            double threshold = Rounding.AddUp(Rounding.AddUp(q.Eps, m1[j]), m2[j]);
            if (!(Rational.Abs(d) > Rational.FromDouble(threshold)))
                return (null, "the witness exceeds ε plus the margins by less than a rounding of their sum");
            return (pair with { Eps = q.Eps, Threshold = threshold, PairExecution = new PairExecutionRecord(format.Name, null, first, second) }, null);
        }
        var real = pair.Upper!;
        var total = real.Select((u, j) => Rounding.AddUp(Rounding.AddUp(u, m1[j]), m2[j])).ToArray();
        return (pair with { Eps = q.Eps, PairExecution = new PairExecutionRecord(format.Name, total, first, second) }, null);
    }

    /// <summary>
    /// One network against its own F-evaluations: the certify `--execution F` certificate of its margin run (no user
    /// perturbation: the model is ε = 0 with the format), the run's leaves rebuilt into the split tree and re-bounded over
    /// the widened box <paramref name="delta"/>; the claim per output is the larger of the run's bound and every leaf's.
    /// </summary>
    public static Certificate Margin(Network n, string path, string sha, Box box, PerturbationModel model, ParameterBox delta,
                                     Bounds.SplitRecord leaves, double[] engineUpper)
    {
        var format = model.Execution!;
        var (nodes, records) = CertificateBuilder.RecordTree(n, box, delta, leaves);
        var upper = (double[])engineUpper.Clone();
        foreach (var leaf in records)
            for (int j = 0; j < upper.Length; j++) upper[j] = Math.Max(upper[j], leaf.Bound[j]);
        return new Certificate(path, sha, box.Lower, box.Upper, model, BoundMethods.Auto.Name)
        {
            Execution = new ExecutionRecord(format.Name, Enumerable.Range(0, n.Depth).Select(l => ExecutionWidening.Of(n, l, format)).ToArray()),
            Nodes = nodes, Upper = upper, EngineUpper = engineUpper,
        };
    }
}
