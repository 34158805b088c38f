using System.CommandLine;
using System.Globalization;
using Verify.Certify;
using Verify.Equivalence;
using Verify.Errors;
using Verify.Io;
using Verify.Results;

namespace Verify.Cli;

/// <summary>`verify equiv`: is sup_x ‖f2(x) − f1(x)‖∞ ≤ ε on a box, or do two networks agree on the top class everywhere?</summary>
public sealed class EquivVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net("--net", "first network f1 (.json, .nnet, .onnx)");
        var net2 = CommonOptions.Net("--net2", "second network f2");
        var format = CommonOptions.Format();
        var box = new BoxOptions();
        var eps = new Option<double?>("--eps") { Description = "tolerance: verified when |f2_j(x) − f1_j(x)| ≤ ε for every x in the box and output j" };
        var top1 = new Option<bool>("--top1") { Description = "check that the two networks share a top class at every x in the box" };
        var perOutput = new Option<bool>("--per-output") { Description = "print the bounds for every output" };
        var bounder = new Option<string?>("--bounder") { Description = "same-architecture deviation bounders to use, comma-separated: analytic, ibp, linear, auto (default: linear)" };
        var timeout = CommonOptions.Timeout();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var trace = new Option<string?>("--trace") { Description = "write 'seconds upper lower splits' rows while running" };
        var quiet = new Option<bool>("--quiet") { Description = "no progress line on stderr (it is only shown when stderr is a terminal)" };
        var exactParts = new Option<string>("--exact-parts")
        {
            Description = "give small open parts to Z3 (ε queries): auto (only for different architectures, and never with --certificate), on (with --certificate: SMT-LIB2 queries cvc5 re-decides in check), off",
            DefaultValueFactory = _ => "auto",
        };
        var exactMax = new Option<int>("--exact-max-unstable")
        {
            Description = "largest number of unstable neurons (both networks) of a part given to Z3",
            DefaultValueFactory = _ => 24,
        };
        var execution = new Option<string?>("--execution")
        {
            Description = "cover every evaluation of both networks in this floating-point format (float32, float16, bfloat16, -ftz: subnormals may flush), docs/execution.md; with --top1: both networks' certify --top1 --execution answers",
        };
        var certificate = new Option<string?>("--certificate")
        {
            Description = "--eps and --top1 queries (also with --execution): write a checkable certificate of the answer here (re-check with verify check; docs/certificates.md)",
        };
        var cmd = new Command("equiv", "Check two networks for ε-equivalence or top-1 agreement on an input box.")
            { net, net2, format, eps, top1, perOutput, bounder, timeout, seed, json, trace, quiet, exactParts, exactMax, execution, certificate };
        box.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            var (first, _, firstBytes) = NetworkFiles.ReadWithFormat(p.GetValue(net)!, p.GetValue(format));
            var (second, _, secondBytes) = NetworkFiles.ReadWithFormat(p.GetValue(net2)!, p.GetValue(format));
            var input = box.Resolve(p, first.InputSize, first.OutputSize)!;
            foreach (var n in new[] { first, second }) Specs.NumericRange.Check(n, input.Box, Specs.ParameterBox.Zero(n));
            double? e = p.GetValue(eps);
            bool t = p.GetValue(top1);
            if ((e is null) == !t) throw new UsageException("give exactly one of --eps E and --top1");
            var names = p.GetValue(bounder) is { } b ? b.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
            var query = new EquivalenceQuery(first, second, input.Box, e ?? 0, t)
            {
                Timeout = CommonOptions.ToTimeSpan(p.GetValue(timeout) ?? DefaultTimeoutSeconds),
                Seed = p.GetValue(seed),
                // With --certificate, auto (Z3 on merged pairs) means off: a part Z3 closes needs a decision query that only a
                // second solver (cvc5) re-decides in check, which the user asks for with --exact-parts on.
                ExactParts = ParseExactParts(p.GetValue(exactParts)!) is var mode && mode == ExactPartsMode.Auto && p.GetValue(certificate) is not null
                    ? ExactPartsMode.Off : mode,
                ExactMaxUnstable = p.GetValue(exactMax),
                FirstPath = p.GetValue(net)!,
                FirstSha256 = CertifyQuery.Sha256Of(firstBytes),
                SecondPath = p.GetValue(net2)!,
                SecondSha256 = CertifyQuery.Sha256Of(secondBytes),
            };
            var executionFormat = p.GetValue(execution) is { } f ? Specs.ExecutionFormat.Parse(f) : null;
            // --top1 --execution runs each network's own certify --top1 answer: no pair search to trace, bound or hand to Z3.
            if (t && executionFormat is not null)
                foreach (var (option, given) in new[] { ("--trace", p.GetValue(trace) is not null), ("--bounder", names is not null), ("--exact-parts", p.GetResult(exactParts) is { Implicit: false }) })
                    if (given) throw new UsageException($"{option} does not combine with --top1 --execution (each network's own --top1 answer is used; docs/execution.md)");
            string? certPath = p.GetValue(certificate);
            return Execute(query, BoundMethods.CreateBounders(names), executionFormat, p.GetValue(perOutput), p.GetValue(json), p.GetValue(trace), p.GetValue(quiet), certPath);
        }));
        return cmd;
    }

    public const double DefaultTimeoutSeconds = 300;

    private static ExactPartsMode ParseExactParts(string value) => value.ToLowerInvariant() switch
    {
        "auto" => ExactPartsMode.Auto,
        "on" => ExactPartsMode.On,
        "off" => ExactPartsMode.Off,
        _ => throw new UsageException($"--exact-parts must be auto, on or off, got '{value}'"),
    };

    private static int Execute(EquivalenceQuery query, IReadOnlyList<Bounds.IDeviationBounder> bounders, Specs.ExecutionFormat? execution, bool perOutput,
                               string? jsonPath, string? tracePath, bool quiet, string? certPath)
    {
        var inv = CultureInfo.InvariantCulture;
        using var trace = tracePath is null ? null : OpenTrace(tracePath);
        // One self-overwriting line on a terminal; nothing when stderr is redirected (logs, pipes, suite children).
        bool live = !quiet && !Console.IsErrorRedirected;
        bool drawn = false;
        void Observe(TraceRow row)
        {
            trace?.WriteLine(string.Create(inv, $"{row.Seconds:F3} {row.Upper:R} {row.Lower:R} {row.Splits}"));
            if (!live) return;
            Console.Error.Write(string.Create(inv, $"\r  {row.Seconds,7:F1} s  upper {row.Upper,-12:G6} lower {row.Lower,-12:G6} splits {row.Splits,-9} "));
            drawn = true;
        }
        var checker = new EquivalenceChecker(bounders);
        Certificates.Certificate? cert = null;
        string? whyNone = null;
        EquivalenceResult result;
        if (certPath is not null)
            (result, cert, whyNone) = execution is null ? checker.CheckWithCertificate(query, Observe)
                : query.TopOne ? TopOneExecutionEquivalence.CheckWithCertificate(query, execution)
                : ExecutionEquivalence.CheckWithCertificate(checker, query, execution, Observe);
        else result = execution is null ? checker.Check(query, Observe)
                : query.TopOne ? TopOneExecutionEquivalence.Check(query, execution)
                : ExecutionEquivalence.Check(checker, query, execution, Observe);
        if (drawn) Console.Error.Write("\r" + new string(' ', 72) + "\r");
        Print(query, result, perOutput);
        JsonOutput.Write(jsonPath, EquivalenceJson.Of(result, query.TopOne, query.Eps));
        if (cert is not null) CertificateFile.Write(cert, certPath!);
        // CertificateFile's summary describes the file's own (first) part; the embedded second part is half the claim.
        if (cert?.PairTopOneExecution is { } pair)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  with the second network's part embedded (pairTopOneExecution): {pair.Second.Nodes.Count} nodes, class {pair.Second.TopOne?.Class}"));
        else if (certPath is not null && cert is null) Console.Error.WriteLine($"certificate: none written ({whyNone})");
        return (int)result.Verdict.ToExitCode();
    }

    private static StreamWriter OpenTrace(string path)
    {
        try { return new StreamWriter(path) { AutoFlush = true }; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write trace: " + e.Message);
        }
    }

    private static void Print(EquivalenceQuery q, EquivalenceResult r, bool perOutput)
    {
        var inv = CultureInfo.InvariantCulture;
        string what = q.TopOne ? "top-1 agreement" : string.Create(inv, $"sup ‖f2 − f1‖∞ ≤ {q.Eps:R}");
        Console.WriteLine($"{r.Verdict.ToJsonName()}: {what}");
        if (r.TopOneExecution is { } sides)
        {
            PrintSides(sides, r);
            return;
        }
        Console.WriteLine(string.Create(inv, $"  sup ‖f2 − f1‖∞ ∈ [{r.MaxLower:R}, {r.MaxUpper:R}]  (lower: exact replay, upper: certified)"));
        if (perOutput)
            for (int j = 0; j < r.Upper.Length; j++)
                Console.WriteLine(string.Create(inv, $"  output {j}: [{r.Lower[j]:R}, {r.Upper[j]:R}]"));
        if (r.ExactCopy) Console.WriteLine("  the second network is an exact permuted/rescaled copy of the first");
        if (r.Witness is { } w)
        {
            Console.WriteLine("  witness x = " + string.Join(", ", w.X.Select(v => v.ToString("R", inv))));
            if (w.Output is { } j)
                Console.WriteLine(string.Create(inv, $"  output {j}: |f2 − f1| = {w.Difference!.Value.ToDouble():R} (exact {w.Difference})"));
            else
                Console.WriteLine($"  top class of f1: {w.FirstClass}, of f2: {w.SecondClass} (argmax sets disjoint, exact)");
        }
        Console.WriteLine(string.Create(inv, $"  splits {r.Splits}, open parts {r.OpenParts}, {r.Seconds:F2} s, bounds: {string.Join(" + ", r.Methods)}"));
        if (r.Execution is { } e)
            Console.WriteLine(e.Overflow is { } why
                ? $"  execution: {e.Format.Name}: nothing certified, a float evaluation may overflow ({why})"
                : string.Create(inv, $"  execution: {e.Format.Name}: bounds include up to {e.Total.Max():G4} for the floating-point evaluations of the two networks (any order, FMA or not)"));
        if (r.ExactPartsTried > 0)
            Console.WriteLine($"  Z3 decided {r.ExactPartsClosed} of {r.ExactPartsTried} small parts within ε (exact arithmetic)");
    }

    /// <summary>`--top1 --execution`: each network's certified class and worst margin over its F-evaluations.</summary>
    private static void PrintSides(TopOneExecutionSides sides, EquivalenceResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var (name, side) in new[] { ("first", sides.First), ("second", sides.Second) })
            Console.WriteLine(string.Create(inv,
                $"  {name} network, every {sides.Format} evaluation: {side.Verdict.ToJsonName()}, class {side.Class}, worst margin ≥ {side.WorstMarginLower:G6} ({side.Splits} splits)"));
        if (r.Verdict == Verdict.Verified)
            Console.WriteLine($"  class {sides.First.Class} is the unique top class of every {sides.Format} evaluation of both networks on the whole box (any order, FMA or not)");
        bool bothCertified = sides.First.Verdict == Verdict.Verified && sides.Second.Verdict == Verdict.Verified;
        if (r.Verdict == Verdict.Falsified && bothCertified)
            Console.WriteLine($"  every {sides.Format} evaluation of the first network has class {sides.First.Class} and of the second class {sides.Second.Class} on the whole box: they disagree everywhere");
        else if (r.Witness is { } w)
            Console.WriteLine("  witness x = " + string.Join(", ", w.X.Select(v => v.ToString("R", inv))));
        if (sides.Reason is { } why) Console.WriteLine("  " + why);
        Console.WriteLine(string.Create(inv, $"  {r.Seconds:F2} s, bounds: {string.Join(" + ", r.Methods)}"));
    }
}
