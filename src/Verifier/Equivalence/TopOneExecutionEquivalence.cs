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
/// of F-evaluations at every point (the box centre is reported). Otherwise a short search for a point where the two
/// networks' sequential F-evaluations (<see cref="SequentialFloatEvaluation"/>, one concrete order emulated exactly)
/// have disjoint argmax sets falsifies; failing that, unknown, naming the side that failed.
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

    /// <summary>Without a --timeout each side gets this long, and the search for a disagreement this long.</summary>
    private static readonly TimeSpan DefaultSideTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DefaultSearchTime = TimeSpan.FromSeconds(10);

    /// <summary>Shares of --timeout: each side, and the search for a disagreement of sequential evaluations.</summary>
    public const double SideShare = 0.45, SearchShare = 0.1;

    /// <summary>
    /// A point of the box where the sequential F-evaluations of the two networks have disjoint argmax sets (compared
    /// exactly: the emulated outputs are F values held exactly in doubles), among the sides' flips, the box centre and
    /// the real-valued disagreement search's candidates; null when none is found in <paramref name="time"/>.
    /// </summary>
    private static EquivalenceWitness? SequentialDisagreement(EquivalenceQuery q, ExecutionFormat format, double[]?[] seeds, TimeSpan time)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var search = new WitnessSearch(q.First, q.Second, q.Input, q.Seed);
        var candidates = seeds.Where(x => x is not null).Append(q.Input.Center)
            .Concat(search.TopOneCandidates(starts: 256, steps: 30, () => clock.Elapsed > time));
        foreach (var x in candidates)
        {
            if (clock.Elapsed > time) break;
            if (!q.Input.Contains(x!)) continue;
            if (SequentialFloatEvaluation.Evaluate(q.First, x!, format) is not { } y1
                || SequentialFloatEvaluation.Evaluate(q.Second, x!, format) is not { } y2) continue;
            var (s1, s2) = (TopOne.ArgmaxSet(y1), TopOne.ArgmaxSet(y2));
            if (!s1.Intersect(s2).Any()) return new EquivalenceWitness(x!, null, null, s1[0], s2[0]);
        }
        return null;
    }

    private static (EquivalenceResult Result, Certificates.Certificate? First, Certificates.Certificate? Second) Run(
        EquivalenceQuery q, ExecutionFormat format, bool certify)
    {
        q.Validate();
        if (!q.TopOne) throw new InvalidOperationException("a top-1 execution query needs TopOne");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var side = q.Timeout is { } t ? t * SideShare : DefaultSideTime;
        var model = new PerturbationModel { Execution = format };
        (TopOneResult, Certificates.Certificate?) Side(Model.Network n, string path, string sha) =>
            TopOneEngine.RunWithCertificate(new TopOneQuery(n, q.Input, model, BoundMethods.Auto, side)
            {
                NetworkPath = path, NetworkSha256 = sha, Seed = q.Seed, Certificate = certify,
            });
        var (first, firstCert) = Side(q.First, q.FirstPath, q.FirstSha256);
        var (second, secondCert) = Side(q.Second, q.SecondPath, q.SecondSha256);
        var (verdict, reason) = Decide(first, second, format);
        var witness = verdict == Verdict.Falsified ? new EquivalenceWitness(q.Input.Center, null, null, first.Class, second.Class) : null;
        if (verdict == Verdict.Unknown
            && SequentialDisagreement(q, format, [first.Flip?.X, second.Flip?.X], q.Timeout is { } all ? all * SearchShare : DefaultSearchTime) is { } found)
        {
            (verdict, witness) = (Verdict.Falsified, found);
            reason = $"at x the sequential {format.Name} evaluations (left to right, every operation rounded to nearest) give class {found.FirstClass} "
                     + $"(first) and {found.SecondClass} (second), argmax sets disjoint; " + reason;
        }
        int m = q.First.OutputSize;
        // The sides bound margins, not |f2 − f1|: no deviation bound is claimed.
        var result = new EquivalenceResult(verdict, Enumerable.Repeat(double.PositiveInfinity, m).ToArray(), new double[m], witness,
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
