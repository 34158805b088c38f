using System.CommandLine;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;
using Verify.Results;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>`verify inverse-stability fiber`: certified bounds of the distance from Γ to the fiber of R(Θ).</summary>
public static class InverseStabilityFiberCommand
{
    public static Command Build()
    {
        var net = CommonOptions.Net("--net", "Γ: ReLU network (hidden ReLU layers, identity output)");
        var net2 = CommonOptions.Net("--net2", "Θ: the network whose realization defines the fiber");
        var format = CommonOptions.Format();
        var lo = new Option<string>("--lo") { Description = "lower corner of U, comma-separated rationals (e.g. -1 or -1,0)", Required = true };
        var hi = new Option<string>("--hi") { Description = "upper corner of U, comma-separated rationals", Required = true };
        var fiber = new FiberCliOptions();
        var biasFree = new Option<bool>("--bias-free") { Description = "parameter space without biases (x ↦ Cρ(Ax)); needs a bias-free Γ" };
        var json = CommonOptions.Json();
        var cmd = new Command("fiber",
            "Bounds of d(Γ, fiber(Θ)) = min{‖Φ − Γ‖∞ : R(Φ) = R(Θ) on U}. Lower bound certified by Z3 (nonlinear real arithmetic): " +
            "no Φ within s agrees with Θ at the sample points (values and one-sided derivatives). Upper bound from verified members " +
            "of the fiber (permutation + scaling, merges, SAT models that realise R(Θ) exactly).")
        { net, net2, format, lo, hi, biasFree, json };
        foreach (var o in fiber.All) cmd.Options.Add(o);
        cmd.SetAction(p => VerbRunner.Run(() => Run(p.GetValue(net)!, p.GetValue(net2)!, p.GetValue(format), p.GetValue(lo)!, p.GetValue(hi)!,
            fiber.Read(p), p.GetValue(biasFree), p.GetValue(json))));
        return cmd;
    }

    private static int Run(string gammaPath, string thetaPath, string? format, string loText, string hiText, FiberOptions options,
                           bool biasFree, string? jsonPath)
    {
        var gamma = ExactNet.FromNetwork(NetworkFiles.Read(gammaPath, format), gammaPath);
        var theta = ExactNet.FromNetwork(NetworkFiles.Read(thetaPath, format), thetaPath);
        if (gamma.Parameters().Count() > FiberDistance.MaxParameters)
            throw new BadInputException(gammaPath, $"{gamma.Parameters().Count()} parameters: the fiber distance is for small networks (≤ {FiberDistance.MaxParameters})");
        if (theta.InputSize != gamma.InputSize || theta.OutputSize != gamma.OutputSize)
            throw new BadInputException(thetaPath, $"Θ maps {theta.InputSize} → {theta.OutputSize}, Γ ({gammaPath}) maps {gamma.InputSize} → {gamma.OutputSize}");
        var domain = new FiberDomain(ParseRationals(loText, "--lo"), ParseRationals(hiText, "--hi"));
        if (domain.Lo.Length != gamma.InputSize || domain.Hi.Length != gamma.InputSize)
            throw new UsageException($"--lo and --hi need {gamma.InputSize} entries each (the input size)");
        if (Enumerable.Range(0, domain.Dimension).Any(i => !(domain.Lo[i] < domain.Hi[i]))) throw new UsageException("--lo must be below --hi in every input");
        if (biasFree && !gamma.BiasFree) throw new BadInputException(gammaPath, "--bias-free needs a network without biases");
        var problem = new FiberProblem(gamma, theta, domain, biasFree);
        var report = FiberDistance.Report(problem, options);
        Print(report);
        JsonOutput.Write(jsonPath, report.ToJson());
        return 0;
    }

    internal static Rational[] ParseRationals(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new UsageException($"{option} needs a comma-separated list of numbers");
        return parts.Select(s => Rational.TryParse(s, out var r) ? r : throw new UsageException($"{option}: '{s}' is not a number")).ToArray();
    }

    private static void Print(FiberResult r)
    {
        var u = r.Domain;
        Console.WriteLine($"d(Γ, fiber(Θ)) on U = [{string.Join(", ", u.Lo)}] .. [{string.Join(", ", u.Hi)}], ℓ∞ over all weights{(r.BiasFree ? " (bias-free space)" : " and biases")}");
        Console.WriteLine($"  certified lower bound: {r.Lower} ≈ {r.Lower.ToDouble():G6}" +
                          (r.Lower.IsZero ? "  (no level proven UNSAT)" : "  (largest s proven UNSAT at the points below)"));
        Console.WriteLine(r.Upper is null
            ? "  upper bound: none (no verified member of the fiber found)"
            : $"  upper bound: {Short(r.Upper.Distance)}  ({r.Upper.Source}; {r.Upper.Verification})");
        Console.WriteLine($"  points ({r.Points.Count}):");
        foreach (var p in r.Points)
            Console.WriteLine($"    x = ({string.Join(", ", p.X)})  derivatives along {(p.Directions.Count == 0 ? "none" : string.Join(" ", p.Directions.Select(v => "(" + string.Join(", ", v) + ")")))}  [{p.Why}]");
        Console.WriteLine($"  checks ({r.Checks.Count}):");
        foreach (var c in r.Checks)
            Console.WriteLine($"    s = {c.S,-10} {c.Status,-8} {c.Seconds,7:F3} s{(c.Detail.Length > 0 ? "  " + c.Detail : "")}" +
                              (c.IsSat ? (c.ExactModel is null ? "  model irrational (enclosure only)" : "") : ""));
        foreach (var s in r.UnverifiedModelLevels)
            Console.WriteLine($"  SAT model at s = {s} matches Θ at the points only (not a verified member of the fiber)");
    }

    private static string Short(Rational q) => q.Denominator < 1_000_000 ? q.ToString() : $"≈ {q.ToDouble():R} (exact rational in --json)";
}
