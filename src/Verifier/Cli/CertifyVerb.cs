using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Verify.Bounds;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>
/// `verify certify`: certified upper bounds U_j ≥ sup_{x∈X, δ∈Δ} |f_j(x;θ+δ) − f_j(x;θ)| for every output. The analytic
/// baseline always runs; --method picks the strongest method to run (ibp, linear, auto = linear with input splitting),
/// and every cheaper one runs too. The reported U_j is the element-wise minimum, since every method is sound. z3 runs
/// analytic, ibp, linear and the attack, maximises |Δf_j| exactly with Z3 where an encoding applies (half the time),
/// and runs auto with the time left when an output stays open (docs/smt.md).
/// </summary>
public sealed class CertifyVerb : IVerb
{
    private static readonly string[] MethodOrder = ["analytic", "ibp", "linear", "auto", "z3"];
    private const int Z3Rank = 4;

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
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var cmd = new Command("certify", "Certified upper bounds on the output change under bounded weight perturbations.")
        {
            net, format, method, timeout, maxSplits, threshold, json, seed, attackRestarts, witnessOut, gap, trace, optimizeSlopes, optimizeHidden, slopeIterations,
        };
        box.AddTo(cmd);
        pert.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            var (network, _, bytes) = NetworkFiles.ReadWithFormat(p.GetValue(net)!, p.GetValue(format));
            var options = new CertifyOptions(
                Path: p.GetValue(net)!,
                Box: box.Resolve(p, network.InputSize, network.OutputSize)!.Box,
                Perturbation: pert.Resolve(p),
                Method: p.GetValue(method)!,
                Timeout: CommonOptions.ToTimeSpan(p.GetValue(timeout)) ?? TimeSpan.FromSeconds(10),
                MaxSplits: p.GetValue(maxSplits),
                Threshold: p.GetValue(threshold),
                AttackRestarts: p.GetValue(attackRestarts),
                WitnessOut: p.GetValue(witnessOut),
                Gap: p.GetValue(gap),
                TracePath: p.GetValue(trace),
                Seed: p.GetValue(seed),
                OptimizeSlopes: p.GetValue(optimizeSlopes),
                OptimizeHidden: p.GetValue(optimizeHidden),
                SlopeIterations: p.GetValue(slopeIterations));
            var result = Certify(network, bytes, options, showProgress: !Console.IsErrorRedirected);
            Print(network, result);
            JsonOutput.Write(p.GetValue(json), result.ToJson());
            return result.Verdict is { } v ? (int)v.ToExitCode() : 0;
        }));
        return cmd;
    }

    public sealed record CertifyOptions(string Path, Box Box, PerturbationModel Perturbation, string Method, TimeSpan Timeout,
                                        int? MaxSplits, double? Threshold, int AttackRestarts = 8, string? WitnessOut = null,
                                        double? Gap = null, string? TracePath = null, int Seed = 1,
                                        bool OptimizeSlopes = false, int? OptimizeHidden = null, int SlopeIterations = 20);

    /// <summary>Runs the methods up to the requested one and combines their bounds.</summary>
    public static CertifyResult Certify(Network network, byte[] fileBytes, CertifyOptions o, bool showProgress = false)
    {
        string method = o.Method.ToLowerInvariant();
        int rank = Array.IndexOf(MethodOrder, method);
        if (rank < 0) throw new UsageException($"--method: '{o.Method}' is not one of {string.Join(", ", MethodOrder)}");
        if (o.MaxSplits is < 0) throw new UsageException("--max-splits must be ≥ 0");
        if (o.Threshold is { } t && !(t >= 0 && double.IsFinite(t))) throw new UsageException("--threshold must be a finite number ≥ 0");
        if (o.OptimizeSlopes && rank < 2) throw new UsageException("--optimize-slopes applies to --method linear or auto");
        if (o.OptimizeHidden is < 0) throw new UsageException("--optimize-hidden must be ≥ 0");
        if (o.SlopeIterations < 1) throw new UsageException("--slope-iterations must be ≥ 1");
        var delta = o.Perturbation.ToBox(network);
        // --execution: the bounders get the widened box, the attack the user's own (its witnesses must be admissible).
        var witnessDelta = delta.RealArithmetic;
        if (o.Perturbation.Execution is not null && (rank == Z3Rank || o.Gap is not null || o.TracePath is not null))
            throw new UsageException("--execution does not combine with --method z3, --gap or --trace yet: their answers are for the real-valued network only (docs/execution.md)");
        string? overflow = o.Perturbation.Execution is { } fmt ? ExecutionOverflow.Check(network, o.Box, delta, fmt) : null;
        var total = Stopwatch.StartNew();
        var methods = new List<MethodBound>();
        Z3Summary? z3 = null;
        int splits = 0;
        IReadOnlyList<SplitProgress> history = [];
        IDeviationBounder[] bounders = [new AnalyticBounder(), new IntervalDifferenceBounder(), new LinearDifferenceBounder
        {
            OptimizeSlopes = o.OptimizeSlopes,
            OptimizedHiddenLayers = o.OptimizeHidden ?? network.Depth,
            SlopeIterations = o.SlopeIterations,
        }];
        for (int r = 0; r <= Math.Min(rank, 2); r++)
        {
            var sw = Stopwatch.StartNew();
            var b = bounders[r].Bound(network, o.Box, delta);
            methods.Add(new MethodBound(bounders[r].Name, b.Upper, sw.Elapsed.TotalSeconds));
        }
        // --timeout is the budget of the whole run. The search (attack, or branch and bound with --gap/--trace) runs
        // first where more methods follow, so that z3 starts from its witnesses and auto can stop once its bound
        // meets the replayed lower bound; z3 gets half of what is left, auto the rest.
        TimeSpan Remaining() => o.Timeout - total.Elapsed > TimeSpan.Zero ? o.Timeout - total.Elapsed : TimeSpan.Zero;
        AnytimeSearch.Outcome RunSearch(TimeSpan budget) => AnytimeSearch.Run(network, o.Box, witnessDelta, method,
            new AnytimeSearch.Settings(o.AttackRestarts, o.Seed, o.Gap, o.TracePath, budget, o.MaxSplits, o.Threshold));
        AnytimeSearch.Outcome? search = null;
        bool branchAndBound = o.Gap is not null || o.TracePath is not null;
        if (rank >= 3) search = RunSearch(Remaining() * (branchAndBound ? 0.5 : 0.25));
        if (rank == Z3Rank)
        {
            var sw = Stopwatch.StartNew();
            var known = CurrentUpper(search!.Upper is { } su ? [.. methods, new MethodBound("search", su, search.Seconds)] : methods);
            var exact = Smt.DeviationMaximizer.MaximizeAll(network, o.Box, delta, known, search.Lower, Remaining() / 2);
            z3 = new Z3Summary(exact, sw.Elapsed.TotalSeconds);
            methods.Add(new MethodBound("z3", exact.Select(e => e.UpperDouble).ToArray(), z3.Seconds));
        }
        bool z3Open = z3 is null || z3.Outputs.Any(e => e.Status is Smt.MaximizeStatus.Unknown or Smt.MaximizeStatus.WithinTolerance);
        // Auto stops once sup U ≤ (1 + gap)·sup L (without --gap: equal up to the outward rounding, a relative 1e-9):
        // the answer cannot get better.
        double supLower = search?.Lower?.Max(l => l?.Value ?? 0) ?? 0;
        if (z3 is not null) supLower = Math.Max(supLower, z3.Outputs.Max(e => e.Witness?.Value ?? 0));
        double target = supLower * (1 + (o.Gap ?? RoundingGap));
        bool alreadyThere = supLower > 0 && CurrentUpper(search?.Upper is { } su2 ? [.. methods, new MethodBound("search", su2, search.Seconds)] : methods).Max() <= target;
        if ((rank == 3 || rank == Z3Rank && z3Open) && Remaining() > TimeSpan.Zero && !alreadyThere)
        {
            var progress = showProgress ? new ProgressLine() : null;
            var auto = new InputSplittingBounder
            {
                Timeout = Remaining(),
                MaxSplits = o.MaxSplits ?? int.MaxValue,
                Parallelism = Math.Max(1, Environment.ProcessorCount),
                Leaf = (LinearDifferenceBounder)bounders[2],
                Progress = progress is null ? null : progress.Report,
                StopAtSupUpper = supLower > 0 ? target : null,
            };
            var sw = Stopwatch.StartNew();
            var outcome = auto.Run(network, o.Box, delta);
            progress?.Clear();
            methods.Add(new MethodBound("auto", outcome.Bound.Upper, sw.Elapsed.TotalSeconds));
            splits = outcome.Splits;
            history = outcome.History;
        }
        search ??= RunSearch(Remaining());
        if (search.Upper is { } searchUpper) methods.Add(new MethodBound("search", searchUpper, search.Seconds));
        var upper = CurrentUpper(methods);
        if (overflow is not null) Array.Fill(upper, double.PositiveInfinity); // a float evaluation may overflow: nothing is certified
        var lower = search.Lower;
        if (z3 is not null)
        {
            var merged = new LowerBound?[upper.Length];
            for (int j = 0; j < upper.Length; j++)
            {
                var a = lower?[j]; var b = z3.Outputs[j].Witness;
                merged[j] = a is null ? b : b is null ? a : b.Exact > a.Exact ? b : a;
            }
            lower = merged;
        }
        var result = new CertifyResult(upper, method, total.Elapsed.TotalSeconds, splits, o.Perturbation, o.Box.Lower, o.Box.Upper,
            o.Path, Convert.ToHexStringLower(SHA256.HashData(fileBytes)), methods, history, o.Threshold)
        { Lower = lower, Nominal = network, Search = search.Search, Z3 = z3, ExecutionOverflow = overflow };
        CheckConsistent(result);
        if (o.WitnessOut is { } witnessPath)
            WitnessJson.WriteNetwork((result.SupLower ?? throw new UsageException("--witness-out needs the attack (--attack-restarts ≥ 1)")).Witness, witnessPath);
        return result;
    }

    /// <summary>The relative gap below which U and L count as equal for stopping (outward rounding keeps U above L).</summary>
    private const double RoundingGap = 1e-9;

    /// <summary>The element-wise minimum of the methods' bounds (all sound).</summary>
    private static double[] CurrentUpper(IReadOnlyList<MethodBound> methods)
    {
        var u = (double[])methods[0].Upper.Clone();
        foreach (var m in methods)
            for (int j = 0; j < u.Length; j++) u[j] = Math.Min(u[j], m.Upper[j]);
        return u;
    }

    /// <summary>A replayed witness above a certified bound means a bug in a bounder: never report such a result.</summary>
    private static void CheckConsistent(CertifyResult r)
    {
        if (r.Lower is null) return;
        for (int j = 0; j < r.Upper.Length; j++)
            if (r.Lower[j] is { } l && l.Value > r.Upper[j])
                throw new InvalidOperationException($"unsound bound: output {j} has certified U = {r.Upper[j]:R} below a replayed witness {l.Value:R}");
    }

    private static void Print(Network network, CertifyResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"network:      {r.NetworkPath} ({string.Join("-", network.Widths)})");
        Console.WriteLine($"perturbation: {r.Perturbation.ToJson().ToJsonString()}");
        Console.WriteLine("box:          " + string.Join(" × ", r.BoxLo.Select((lo, i) => string.Format(inv, "[{0:G6}, {1:G6}]", lo, r.BoxHi[i]))));
        Console.WriteLine();
        Console.Write("output  ");
        foreach (var m in r.Methods) Console.Write($"{m.Name,14}");
        Console.WriteLine($"{"certified U",14}");
        for (int j = 0; j < r.Upper.Length; j++)
        {
            Console.Write($"y[{j}]".PadRight(8));
            foreach (var m in r.Methods) Console.Write(m.Upper[j].ToString("G6", inv).PadLeft(14));
            Console.WriteLine(r.Upper[j].ToString("G6", inv).PadLeft(14));
        }
        Console.Write("time (s)");
        foreach (var m in r.Methods) Console.Write(m.Seconds.ToString("F3", inv).PadLeft(14));
        Console.WriteLine(r.Seconds.ToString("F3", inv).PadLeft(14));
        if (r.Splits > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"input splitting: {r.Splits} bisections; sup U over time: " +
                string.Join(" → ", DistinctSteps(r.History.Select(h => string.Format(inv, "{0:G4} ({1:F2}s)", h.SupUpper, h.Seconds)))));
        }
        Console.WriteLine();
        Console.WriteLine(string.Format(inv, "certified sup_j U_j = {0:G6}", r.SupUpper));
        if (r.SupLower is { } best)
        {
            Console.WriteLine("replayed lower L_j:   " + string.Join("  ", r.Lower!.Select(l => l is null ? "-" : l.Value.ToString("G6", inv))));
            Console.WriteLine(string.Format(inv, "replayed sup_j L_j = {0:G6} (output {1}, x = [{2}]); U/L = {3:G4}", best.Value, best.Output,
                string.Join(", ", best.Witness.X.Select(v => v.ToString("G6", inv))), r.SupUpper / best.Value));
        }
        if (r.Search is { } s)
            Console.WriteLine(string.Format(inv, "search: {0} splits, {1} open, {2} pruned, {3} frozen parts; stopped by {4} after {5:F2}s",
                s.Splits, s.OpenParts, s.PrunedParts, s.FrozenParts, SearchResult.ReasonName(s.Reason), s.Elapsed.TotalSeconds));
        if (r.Z3 is { } z)
            foreach (var e in z.Outputs)
                Console.WriteLine(string.Format(inv, "z3 y[{0}]: {1}, {2}, {3} checks, {4:F2}s{5}", e.Output, e.Mode, Z3Summary.StatusName(e.Status),
                    e.Checks, e.Elapsed.TotalSeconds, e.SkipReason is { } why ? " (" + why + ")" : e.Status == Smt.MaximizeStatus.Unknown ? " (" + e.Reason + ")" : ""));
        if (r.Perturbation.Execution is { } f)
            Console.WriteLine(r.ExecutionOverflow is { } why
                ? $"execution: {f.Name}: NOT certified, a float evaluation may overflow ({why})"
                : $"execution: U covers every {f.Name} evaluation (any summation order, FMA or not); L is a real-arithmetic lower bound");
        if (r.Verdict is { } v)
            Console.WriteLine(string.Format(inv, "verdict: {0} (threshold {1:G6})", v.ToJsonName(), r.Threshold));
    }

    /// <summary>A single self-overwriting progress line on stderr, only when stderr is a terminal.</summary>
    private sealed class ProgressLine
    {
        public void Report(SplitProgress p) =>
            Console.Error.Write(string.Format(CultureInfo.InvariantCulture, "\r  splits {0,8}  sup U {1,12:G6}  {2,6:F1}s ", p.Splits, p.SupUpper, p.Seconds));

        public void Clear() => Console.Error.Write("\r" + new string(' ', 60) + "\r");
    }

    /// <summary>Keeps a history entry only when its printed bound differs from the previous one (and always the last),
    /// so a long plateau prints once.</summary>
    private static IEnumerable<string> DistinctSteps(IEnumerable<string> entries)
    {
        string? previousValue = null, last = null;
        bool lastPrinted = false;
        foreach (var e in entries)
        {
            string value = e[..e.IndexOf(' ')];
            last = e;
            lastPrinted = value != previousValue;
            if (lastPrinted) yield return e;
            previousValue = value;
        }
        if (last is not null && !lastPrinted) yield return last;
    }

}
