using Verify.Certify;
using Verify.Results;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// `equiv --top1 --execution F`: does every F-evaluation of the first network and every F-evaluation of the second
/// pick the same top class at every x of the box? Composed of `certify --top1 --execution F` with no user perturbation,
/// run once per network: each certifies that one class c_i is the unique top class of every F-evaluation of network i
/// (any order, FMA or not: they are exact evaluations of networks in the widened box) on the whole box.
/// Verified when both certify the same class. Both certified with different classes is a falsification of every pair
/// of F-evaluations at every point (the box centre is reported). Otherwise unknown, naming the side that failed.
/// Each network runs on its own widened box around its own parameters, which for the second is tighter than A's box
/// with δ = θ_B − θ_A widened (the widening grows with |θ_A| + |δ| ≥ |θ_B|) and needs no common architecture.
/// </summary>
public static class TopOneExecutionEquivalence
{
    public static EquivalenceResult Check(EquivalenceQuery q, ExecutionFormat format) => Run(q, format, certify: false).Result;

    /// <summary>As <see cref="Check"/>, and the certificate: the first network's top-1 execution certificate with the
    /// second's embedded (<see cref="TopOneExecutionCertificate"/>); none for an unknown answer.</summary>
    public static (EquivalenceResult Result, Certificates.Certificate? Certificate, string? WhyNone) CheckWithCertificate(
        EquivalenceQuery q, ExecutionFormat format)
    {
        var (result, first, second) = Run(q, format, certify: true);
        var (cert, why) = TopOneExecutionCertificate.Build(result, format, first, second);
        return (result, cert, why);
    }

    /// <summary>Without a --timeout each side gets this long.</summary>
    private static readonly TimeSpan DefaultSideTime = TimeSpan.FromSeconds(60);

    private static (EquivalenceResult Result, Certificates.Certificate? First, Certificates.Certificate? Second) Run(
        EquivalenceQuery q, ExecutionFormat format, bool certify)
    {
        q.Validate();
        if (!q.TopOne) throw new InvalidOperationException("a top-1 execution query needs TopOne");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var side = q.Timeout is { } t ? t / 2 : DefaultSideTime;
        var model = new PerturbationModel { Execution = format };
        (TopOneResult, Certificates.Certificate?) Side(Model.Network n, string path, string sha) =>
            TopOneEngine.RunWithCertificate(new TopOneQuery(n, q.Input, model, BoundMethods.Auto, side)
            {
                NetworkPath = path, NetworkSha256 = sha, Seed = q.Seed, Certificate = certify,
            });
        var (first, firstCert) = Side(q.First, q.FirstPath, q.FirstSha256);
        var (second, secondCert) = Side(q.Second, q.SecondPath, q.SecondSha256);
        var (verdict, reason) = Decide(first, second, format);
        int m = q.First.OutputSize;
        // The sides bound margins, not |f2 − f1|: no deviation bound is claimed.
        var result = new EquivalenceResult(verdict, Enumerable.Repeat(double.PositiveInfinity, m).ToArray(), new double[m],
            verdict == Verdict.Falsified ? new EquivalenceWitness(q.Input.Center, null, null, first.Class, second.Class) : null,
            first.Splits + second.Splits, clock.Elapsed.TotalSeconds, ["top1-execution " + first.Method], ExactCopy: false, OpenParts: 0)
        {
            TopOneExecution = new TopOneExecutionSides(format.Name, first, second, reason),
        };
        return (result, firstCert, secondCert);
    }

    /// <summary>The verdict from the two sides, and for an unknown one which side failed and why.</summary>
    public static (Verdict Verdict, string? Reason) Decide(TopOneResult first, TopOneResult second, ExecutionFormat format)
    {
        string? Failed(TopOneResult r, string name) => r.Verdict == Verdict.Verified ? null
            : r.Verdict == Verdict.Falsified
                ? $"the {name} network's top class is not constant on the box ({(r.Flip?.NominalFlip == true ? "its exact evaluation" : "a " + format.Name + " evaluation")} "
                  + $"changes class {r.Class} to {r.Flip?.Rival})"
                : $"the {name} network's margins are not certified positive for its {format.Name} evaluations ({r.Reason ?? "worst margin bound " + r.WorstMarginLower.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)})";
        var why = new[] { Failed(first, "first"), Failed(second, "second") }.Where(s => s is not null).ToArray();
        if (why.Length > 0) return (Verdict.Unknown, string.Join("; ", why));
        return first.Class == second.Class ? (Verdict.Verified, null) : (Verdict.Falsified, null);
    }
}
