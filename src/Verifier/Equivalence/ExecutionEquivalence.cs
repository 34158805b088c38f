using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// `equiv --eps E --execution F`: is every pair of floating-point evaluations of the two networks in format F within E
/// of each other on the box? By the triangle inequality |f2′ − f1′| ≤ |f2 − f1| + |f1′ − f1| + |f2′ − f2|, where
/// f′ is any F-evaluation and |f′ − f| ≤ m is certify's execution bound of each network with no other perturbation
/// (docs/execution.md). So: verified when the real-valued pair is verified within E − max_j(m1_j + m2_j); falsified when
/// an exactly replayed real witness exceeds E + m1_j + m2_j (then every F-evaluation differs by more than E); unknown
/// otherwise. The margins are whole-box bounds (one joint linear pass per network), not per part.
/// </summary>
public static class ExecutionEquivalence
{
    public static EquivalenceResult Check(EquivalenceChecker checker, EquivalenceQuery q, ExecutionFormat format,
        Action<TraceRow>? observe = null, CancellationToken cancellation = default) =>
        Run(checker, q, format, observe, cancellation, certify: false).Result;

    /// <summary>
    /// As <see cref="Check"/>, and the three-part certificate of the answer (<see cref="ExecutionEquivalenceCertificate"/>):
    /// the real-valued pair's certificate plus a certify `--execution` certificate of each network's margin, whose
    /// claims are then the margins the answer uses; else none and why.
    /// </summary>
    public static (EquivalenceResult Result, Certificates.Certificate? Certificate, string? WhyNone) CheckWithCertificate(
        EquivalenceChecker checker, EquivalenceQuery q, ExecutionFormat format, Action<TraceRow>? observe = null, CancellationToken cancellation = default)
    {
        var run = Run(checker, q, format, observe, cancellation, certify: true);
        var (cert, why) = ExecutionEquivalenceCertificate.Build(q, format, run.Result, run.Pair, run.WhyNoPair, run.First, run.Second);
        return (run.Result, cert, why);
    }

    private sealed record Outcome(EquivalenceResult Result, Certificates.Certificate? Pair, string? WhyNoPair,
                                  Certificates.Certificate? First, Certificates.Certificate? Second);

    private static Outcome Run(EquivalenceChecker checker, EquivalenceQuery q, ExecutionFormat format,
        Action<TraceRow>? observe, CancellationToken cancellation, bool certify)
    {
        q.Validate();
        if (q.TopOne) throw new UsageException("--execution applies to --eps queries; top-1 agreement under floating-point execution is not supported yet");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var share = q.Timeout is { } limit ? limit * MarginShare : DefaultMarginTime;
        var (margin, firstCert, secondCert) = Margin(q, format, share, cancellation, certify);
        double worst = margin.Total.Max();
        double inner = Rounding.SubDown(q.Eps, worst); // inner + worst ≤ ε exactly
        bool reachable = inner >= 0;
        var rest = q.Timeout is { } all ? (all > clock.Elapsed ? all - clock.Elapsed : TimeSpan.Zero) : (TimeSpan?)null;
        var pairQuery = q with { Eps = reachable ? inner : q.Eps, Timeout = rest };
        EquivalenceResult real;
        Certificates.Certificate? pairCert = null;
        string? whyNoPair = null;
        if (certify) (real, pairCert, whyNoPair) = checker.CheckWithCertificate(pairQuery, observe, cancellation);
        else real = checker.Check(pairQuery, observe, cancellation);
        var total = margin.Total;
        var upper = real.Upper.Select((u, j) => Rounding.AddUp(u, total[j])).ToArray();
        var lower = real.Lower.Select((l, j) => Math.Max(0, Rounding.SubDown(l, total[j]))).ToArray();
        var witness = real.Witness is { Output: { } o, Difference: { } d } w
                      && d > Rational.FromDouble(q.Eps) + Rational.FromDouble(total[o]) ? w : null;
        var verdict = reachable && real.Verdict == Verdict.Verified ? Verdict.Verified
            : witness is not null ? Verdict.Falsified
            : Verdict.Unknown;
        var result = real with { Verdict = verdict, Upper = upper, Lower = lower, Witness = witness, Execution = margin, Seconds = clock.Elapsed.TotalSeconds };
        return new Outcome(result, pairCert, whyNoPair, firstCert, secondCert);
    }

    /// <summary>Share of the query's time each network's margin may take (input splitting stops earlier once the margin
    /// is below <see cref="MarginTarget"/>·ε).</summary>
    public const double MarginShare = 0.15;
    public const double MarginTarget = 0.125;
    private static readonly TimeSpan DefaultMarginTime = TimeSpan.FromSeconds(10);

    /// <summary>With a certificate each margin run stops after this many bisections: every node costs the checker exact
    /// passes, and where rounding dominates the margin stops improving long before the time share ends (net_2_16_16_1
    /// in float16 on [−1, 1]²: 0.037412 after 200 splits, 0.0374115 after 30 000, whose certificate took 396 s to check).</summary>
    public const int CertifiedMarginSplits = 256;

    /// <summary>Each network against its own F-evaluations: certify's execution widening with no user perturbation,
    /// bounded by the joint linear pass refined by input splitting (the linear pass on the whole box is loose on wide
    /// boxes: 2.98 on ACAS Xu's property-1 box in float32).</summary>
    /// <param name="certify">also record each run's split tree and return it as a certify `--execution` certificate
    /// with no user perturbation; the margin is then that certificate's claim (at least the run's bound).</param>
    private static (ExecutionMargin Margin, Certificates.Certificate? First, Certificates.Certificate? Second) Margin(
        EquivalenceQuery q, ExecutionFormat format, TimeSpan time, CancellationToken cancellation, bool certify)
    {
        var model = new PerturbationModel { Execution = format };
        string? overflow = null;
        (double[] Bound, Certificates.Certificate? Certificate) Bound(Network n, string path, string sha)
        {
            var delta = model.ToBox(n);
            NumericRange.Check(n, q.Input, delta);
            overflow ??= ExecutionOverflow.Check(n, q.Input, delta, format);
            var record = certify ? new Bounds.SplitRecord() : null;
            var limits = new Certify.SplitLimits(time, certify ? CertifiedMarginSplits : int.MaxValue, Rounding.MulDown(q.Eps, MarginTarget), null)
            {
                RecordLeaf = record is null ? null : record.Leaf, RecordSplit = record is null ? null : record.Split,
            };
            var splitting = Certify.BoundMethods.InputSplitting(Certify.BounderSettings.Default with { Splitting = limits });
            var upper = splitting.Run(n, q.Input, delta, cancellation).Bound.Upper;
            if (record is null || overflow is not null || !upper.All(double.IsFinite)) return (upper, null);
            var cert = ExecutionEquivalenceCertificate.Margin(n, path, sha, q.Input, model, delta, record, upper);
            return (cert.Upper!, cert);
        }
        var (first, firstCert) = Bound(q.First, q.FirstPath, q.FirstSha256);
        var (second, secondCert) = Bound(q.Second, q.SecondPath, q.SecondSha256);
        return (new ExecutionMargin(format, first, second, overflow), firstCert, secondCert);
    }
}
