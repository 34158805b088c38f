using Verify.Certificates;
using Verify.Results;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// The certificate of an `equiv --top1 --execution F` answer (docs/certificates.md): the first network's
/// `certify --top1 --execution F` certificate (no user perturbation) with the second network's embedded under
/// `pairTopOneExecution`. Each part alone proves that its class is the unique top class of every F-evaluation of its
/// network on the whole box; the checker checks both in full and compares their files, format, box and class. Written
/// for a verified answer (one class) and for a falsified one with both certified (different classes); none when unknown
/// or when the falsification is a disagreement of one emulated summation order.
/// </summary>
public static class TopOneExecutionCertificate
{
    public static (Certificate? Certificate, string? WhyNone) Build(EquivalenceResult r, ExecutionFormat format, Certificate? first, Certificate? second)
    {
        if (r.Verdict is Verdict.Unknown or Verdict.Timeout)
            return (null, $"the answer is {r.Verdict.ToJsonName()}, which proves nothing" + (r.TopOneExecution?.Reason is { } why ? $" ({why})" : ""));
        // Falsified with both sides verified is two certified classes; otherwise it is one emulated order's disagreement.
        if (r.TopOneExecution is { } sides && (sides.First.Verdict != Verdict.Verified || sides.Second.Verdict != Verdict.Verified))
            return (null, "a disagreement of one emulated summation order is not certified (the checker does not emulate floating point)");
        if (first?.TopOne is null || second?.TopOne is null)
            return (null, "a network's top-1 execution answer has no certificate");
        return (first with { PairTopOneExecution = new PairTopOneExecutionRecord(format.Name, second) }, null);
    }
}
