using System.CommandLine;
using System.Globalization;
using Verify.Certificates;
using Verify.Certify;
using Verify.Errors;
using Verify.Io;
using Verify.Results;

namespace Verify.Cli;

/// <summary>
/// `verify certify`: certified upper bounds U_j ≥ sup_{x∈X, δ∈Δ} |f_j(x;θ+δ) − f_j(x;θ)| for every output, with
/// replayed lower bounds. Parses, asks <see cref="CertifyEngine"/> once, prints, writes the JSON and the witness.
/// The methods and the budget rule live in src/Verifier/Certify (docs/certify.md).
/// </summary>
public sealed class CertifyVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var box = new BoxOptions();
        var pert = new PerturbationArguments();
        var method = new Option<string>("--method") { Description = "analytic, ibp, linear, auto (default) or z3 (exact answers with Z3 on small queries; see docs/smt.md)", DefaultValueFactory = _ => "auto" };
        var timeout = CommonOptions.Timeout();
        var maxSplits = new Option<int?>("--max-splits") { Description = "auto: stop after this many bisections" };
        var threshold = new Option<double?>("--threshold") { Description = "verdict: falsified (exit 1) if a replayed witness exceeds T, verified (exit 0) if every U_j ≤ T, else unknown (exit 2)" };
        var attackRestarts = new Option<int>("--attack-restarts") { Description = "lower bounds: attack restarts per output and sign (0: no attack)", DefaultValueFactory = _ => 8 };
        var witnessOut = new Option<string?>("--witness-out") { Description = "write the perturbed network θ' of the best witness here (native JSON; re-check with verify eval)" };
        var gap = new Option<double?>("--gap") { Description = "anytime search: branch and bound until U ≤ (1+G)·L or the timeout" };
        var trace = new Option<string?>("--trace") { Description = "anytime search: write (seconds, U, L) rows to this CSV file" };
        var optimizeSlopes = new Option<bool>("--optimize-slopes") { Description = "linear, auto: optimise the relaxation slopes per bound (α-CROWN style; never looser than without)" };
        var optimizeHidden = new Option<int?>("--optimize-hidden") { Description = "with --optimize-slopes: also optimise the bounds of the last N hidden layers (default: all; 0: outputs only)" };
        var slopeIterations = new Option<int>("--slope-iterations") { Description = "with --optimize-slopes: gradient steps per bound", DefaultValueFactory = _ => 20 };
        var top1 = new Option<bool>("--top1") { Description = "certify that the top class at x (or at the box centre) stays the unique top class for every x in the box and every admissible δ: verified (exit 0), falsified by an exactly replayed flip (exit 1), unknown (exit 2); --method linear or auto" };
        var point = new Option<string?>("--x") { Description = "a fixed input a,b,c instead of a box (the box lo = hi = x)" };
        var certificate = new Option<string?>("--certificate") { Description = "write a checkable certificate of the answer here (methods analytic, ibp, linear, auto, z3; re-check with verify check; docs/certificates.md)" };
        var smt2Out = new Option<string?>("--smt2-out") { Description = "--method z3: write each Z3 answer used in the certified bound as a self-contained SMT-LIB2 decision query (expected unsat) to this folder, with manifest.json (docs/certificates.md)" };
        var split = new Option<string>("--split") { Description = "auto: what branch and bound splits: input (bisect the box), phase (ReLU phases with β multipliers, docs/phases.md), hybrid (bisect, and branch on the phases of boxes where bisection stalls) or auto (input, switched to phase when bisection stalls: docs/phases.md)", DefaultValueFactory = _ => "auto" };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var cmd = new Command("certify", "Certified upper bounds on the output change under bounded weight perturbations.")
        {
            net, format, method, timeout, maxSplits, threshold, json, seed, attackRestarts, witnessOut, gap, trace, optimizeSlopes, optimizeHidden, slopeIterations, top1, point, certificate, smt2Out, split,
        };
        box.AddTo(cmd);
        pert.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            var (network, _, bytes) = NetworkFiles.ReadWithFormat(p.GetValue(net)!, p.GetValue(format));
            var inputBox = ResolveBox(p, box, point, network);
            if (p.GetValue(top1))
            {
                foreach (var (given, name) in new[] { (p.GetValue(threshold) is not null, "--threshold"), (p.GetValue(smt2Out) is not null, "--smt2-out"), (p.GetValue(gap) is not null, "--gap"),
                             (p.GetValue(trace) is not null, "--trace"),
                             // --top1 branches on its own rule (docs/top1.md); a --split asked for would be ignored silently.
                             (SplitChoice.Parse(p.GetValue(split)!) != SplitKind.Auto, "--split") })
                    if (given) throw new UsageException($"--top1 does not take {name}");
                var topQuery = new TopOneQuery(network, inputBox, pert.Resolve(p), BoundMethods.Parse(p.GetValue(method)!),
                    CommonOptions.ToTimeSpan(p.GetValue(timeout)) ?? CertifyBudget.DefaultTimeout)
                {
                    NetworkPath = p.GetValue(net)!,
                    NetworkSha256 = CertifyQuery.Sha256Of(bytes),
                    MaxSplits = p.GetValue(maxSplits),
                    AttackRestarts = p.GetValue(attackRestarts),
                    Seed = p.GetValue(seed),
                    OptimizeSlopes = p.GetValue(optimizeSlopes),
                    SlopeIterations = p.GetValue(slopeIterations),
                    Certificate = p.GetValue(certificate) is not null,
                };
                var (answer, topCert) = TopOneEngine.RunWithCertificate(topQuery);
                if (p.GetValue(witnessOut) is { } flipPath)
                    WitnessFile.Write((answer.Flip ?? throw new UsageException($"--witness-out: no flip to write (the verdict is {answer.Verdict.ToJsonName()})")).AsWitness(), flipPath);
                TopOneReport.Print(answer);
                JsonOutput.Write(p.GetValue(json), answer.ToJson());
                if (p.GetValue(certificate) is { } certPath)
                {
                    if (topCert is not null) CertificateFile.Write(topCert, certPath);
                    else Console.Error.WriteLine("certificate: none written (an unknown answer proves nothing)");
                }
                return (int)answer.Verdict.ToExitCode();
            }
            var query = new CertifyQuery(network, inputBox, pert.Resolve(p),
                BoundMethods.Parse(p.GetValue(method)!), CommonOptions.ToTimeSpan(p.GetValue(timeout)) ?? CertifyBudget.DefaultTimeout)
            {
                NetworkPath = p.GetValue(net)!,
                NetworkSha256 = CertifyQuery.Sha256Of(bytes),
                MaxSplits = p.GetValue(maxSplits),
                Threshold = p.GetValue(threshold),
                AttackRestarts = p.GetValue(attackRestarts),
                Gap = p.GetValue(gap),
                TracePath = p.GetValue(trace),
                Seed = p.GetValue(seed),
                OptimizeSlopes = p.GetValue(optimizeSlopes),
                OptimizeHidden = p.GetValue(optimizeHidden),
                SlopeIterations = p.GetValue(slopeIterations),
                Certificate = p.GetValue(certificate) is not null || p.GetValue(smt2Out) is not null,
                Split = SplitChoice.Parse(p.GetValue(split)!),
            };
            if (p.GetValue(smt2Out) is not null && !query.Method.Exact) throw new UsageException("--smt2-out applies to --method z3 (the answers it writes are Z3's)");
            var (result, cert) = Run(query, showProgress: !Console.IsErrorRedirected);
            if (p.GetValue(witnessOut) is { } witnessPath) WitnessFile.WriteBest(result, witnessPath);
            CertifyReport.Print(network, result);
            JsonOutput.Write(p.GetValue(json), result.ToJson());
            if (cert is not null && p.GetValue(certificate) is { } certificatePath) CertificateFile.Write(cert, certificatePath);
            else if (p.GetValue(certificate) is not null) Console.Error.WriteLine("certificate: none written (a float evaluation may overflow: nothing is certified)");
            if (cert is not null && p.GetValue(smt2Out) is { } smt2Dir) CertificateFile.WriteSmt2(cert, smt2Dir);
            return result.Verdict is { } v ? (int)v.ToExitCode() : 0;
        }));
        return cmd;
    }

    /// <summary>The box options, or --x as the degenerate box lo = hi = x.</summary>
    private static Intervals.Box ResolveBox(ParseResult p, BoxOptions box, Option<string?> point, Model.Network network)
    {
        if (p.GetValue(point) is not { } x) return box.Resolve(p, network.InputSize, network.OutputSize)!.Box;
        if (box.IsGiven(p)) throw new UsageException("give either --x or an input box (--lo/--hi, --box-file, --vnnlib), not both");
        var xs = CommonOptions.ParseList(x, "--x");
        if (xs.Length != network.InputSize) throw new UsageException($"--x has {xs.Length} values but the network has {network.InputSize} inputs");
        return Specs.InputBoxSource.FromBounds(xs, xs, network.InputSize, "--x", "--x").Box;
    }

    /// <summary>The engine, with a self-overwriting progress line on stderr while input splitting runs (terminals only).</summary>
    private static (CertifyResult, Certificate?) Run(CertifyQuery query, bool showProgress)
    {
        if (!showProgress) return CertifyEngine.RunWithCertificate(query);
        bool drawn = false;
        void Report(SplitProgress s)
        {
            Console.Error.Write(string.Format(CultureInfo.InvariantCulture, "\r  splits {0,8}  sup U {1,12:G6}  {2,6:F1}s ", s.Splits, s.SupUpper, s.Seconds));
            drawn = true;
        }
        try { return CertifyEngine.RunWithCertificate(query, Report); }
        finally { if (drawn) Console.Error.Write("\r" + new string(' ', 60) + "\r"); }
    }
}
