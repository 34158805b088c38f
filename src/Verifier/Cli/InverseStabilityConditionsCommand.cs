using System.CommandLine;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;
using Verify.Results;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>
/// `verify inverse-stability conditions`: the conditions of Section 3 (C.1 with its β, C.2, C.3(a)/(b), balancedness,
/// N*) for bias-free shallow networks and, with a second network, both distances against Theorems 3.1 and 3.3
/// (<see cref="TheoremCheck"/>).
/// </summary>
public static class InverseStabilityConditionsCommand
{
    public static Command Build()
    {
        var net = CommonOptions.Net("--net", "Γ: bias-free one-hidden-layer ReLU network");
        var net2 = new Option<string?>("--net2") { Description = "Θ, a parametrization of g: C.1 (which depends on |g − R(Γ)|) and C.3 need it; then compared with the theorems' guarantees" };
        var format = CommonOptions.Format();
        var lo = new Option<string?>("--lo") { Description = "lower corner of U for the theorem check, comma-separated rationals (default −1 in every input)" };
        var hi = new Option<string?>("--hi") { Description = "upper corner of U (default 1 in every input)" };
        var fiber = new FiberCliOptions();
        var noTheorem = new Option<bool>("--no-theorem") { Description = "with --net2: check the conditions only, skip the distances (and so C.1)" };
        var json = CommonOptions.Json();
        var cmd = new Command("conditions",
            "Check the conditions of Section 3 of the paper: balancedness |c_i| = ‖a_i‖∞ (N′), C.1 with the least β (neurons with " +
            "‖c_i a_i‖∞ ≤ 2|g − R(Γ)|), C.2 no redundant directions, C.3(a) no opposite directions within Γ and Θ, C.3(b) none across, " +
            "and membership in N* (37). With --net2 also certify the fiber distance from below and |R(Θ) − R(Γ)|_{W^{1,∞}} exactly and " +
            "compare with Theorem 3.1 (β + 2r^{1/2}) and Theorem 3.3 (4r^{1/2} on N*). Exit 0 when all conditions hold, 2 when one " +
            "fails, 1 when a certified violation of a guarantee is found.")
        { net, net2, format, lo, hi, noTheorem, json };
        foreach (var o in fiber.All) cmd.Options.Add(o);
        cmd.SetAction(p => VerbRunner.Run(() => Run(p.GetValue(net)!, p.GetValue(net2), p.GetValue(format), p.GetValue(lo), p.GetValue(hi),
            fiber.Read(p), p.GetValue(noTheorem), p.GetValue(json))));
        return cmd;
    }

    private static ExactNet ReadShallow(string path, string? format)
    {
        var n = ExactNet.FromNetwork(NetworkFiles.Read(path, format), path);
        if (n.Depth != 2) throw new BadInputException(path, "the conditions apply to one-hidden-layer ReLU networks");
        for (int i = 0; i < n.Layers[0].Outputs; i++)
            if (!n.Layers[0].B[i].IsZero) throw new BadInputException(path, $"hidden bias {i} is nonzero; the conditions are for bias-free networks (fold biases into a constant input)");
        if (!n.Layers[1].B.All(b => b.IsZero)) throw new BadInputException(path, "the output bias is nonzero; the paper's networks have no biases");
        return n;
    }

    private static int Run(string path, string? path2, string? format, string? loText, string? hiText, FiberOptions options,
                           bool noTheorem, string? jsonPath)
    {
        var gamma = ReadShallow(path, format);
        var theta = path2 is null ? null : ReadShallow(path2, format);
        if (theta is not null && (theta.OutputSize != gamma.OutputSize || theta.InputSize != gamma.InputSize || theta.Layers[0].Outputs != gamma.Layers[0].Outputs))
            throw new BadInputException(path2, $"Θ must have Γ's architecture ({path}: {gamma.InputSize},{gamma.Layers[0].Outputs},{gamma.OutputSize})");
        if ((loText is not null || hiText is not null) && (theta is null || noTheorem))
            throw new UsageException("--lo/--hi set the domain of the theorem check, which needs --net2");
        if (theta is not null && !noTheorem && theta.OutputSize != 1)
            throw new BadInputException(path, "Theorem 3.1 is stated for scalar output; use --no-theorem for the conditions alone");
        var domain = theta is not null && !noTheorem ? Domain(gamma.InputSize, loText, hiText) : null;
        var result = PaperConditions.Report(gamma, theta, domain, options);
        if (result.TheoremSkipped is { } why) Console.WriteLine($"Theorem check skipped: {why}.");
        PrintConditions(result.Conditions, theta is not null);
        if (result.Theorem is { } theorem) Print(theorem);
        JsonOutput.Write(jsonPath, result.ToJson());
        if (result.TheoremViolated)
        {
            Console.Error.WriteLine($"verify: THEOREM VIOLATION: {result.Theorem!.Reason} — a bug in this tool or in the statement; please report it with both networks");
            return (int)ExitCode.Falsified;
        }
        return result.Conditions.AllHold ? 0 : (int)ExitCode.Unknown;
    }

    private static FiberDomain Domain(int d, string? loText, string? hiText)
    {
        var domain = new FiberDomain(loText is null ? Enumerable.Repeat(-Rational.One, d).ToArray() : InverseStabilityFiberCommand.ParseRationals(loText, "--lo"),
                                     hiText is null ? Enumerable.Repeat(Rational.One, d).ToArray() : InverseStabilityFiberCommand.ParseRationals(hiText, "--hi"));
        if (domain.Lo.Length != d || domain.Hi.Length != d) throw new UsageException($"--lo and --hi need {d} entries each (the input size)");
        if (Enumerable.Range(0, d).Any(i => !(domain.Lo[i] < domain.Hi[i]))) throw new UsageException("--lo must be below --hi in every input");
        if (!domain.Interior(new Rational[d].Select(_ => Rational.Zero).ToArray()))
            throw new UsageException("U must contain the origin inside (the paper's semi-norm (21) is then independent of U)");
        return domain;
    }

    private static void PrintConditions(PaperConditionsReport r, bool withTheta)
    {
        Console.WriteLine($"balanced |c_i| = ‖a_i‖∞ (N′):  {Yes(r.Balanced)}");
        Console.WriteLine(r.Beta is { } b
            ? $"C.1 least β:                   {RationalText.Short(b)}  (|g − R(Γ)|_W1,∞ = {RationalText.Short(r.SemiNorm!.Value)}; {(r.C1AtBalancedBeta ? "within" : "ABOVE")} the balanced β = (2|g − R(Γ)|)^1/2)"
            : "C.1:                           needs g (--net2 without --no-theorem)");
        Console.WriteLine($"C.2 no redundant direction:    {Yes(r.C2)}");
        Console.WriteLine($"C.3(a) no opposite within Γ:   {Yes(r.C3aGamma)}");
        if (withTheta)
        {
            Console.WriteLine($"C.3(a) no opposite within Θ:   {Yes(r.C3aTheta)}");
            Console.WriteLine($"C.3(b) no opposite Γ vs Θ:     {Yes(r.C3b)}");
        }
        Console.WriteLine($"N* (37):                       {Yes(r.InNStar)}");
        foreach (var v in r.Violations) Console.WriteLine($"  violation {v.Condition}: {v.Detail}");
    }

    private static void Print(TheoremReport t)
    {
        Console.WriteLine("Theorems 3.1 and 3.3 (bias-free parameter space):");
        Console.WriteLine($"  r = |R(Θ) − R(Γ)|_W1,∞ {(t.Realization.Exact ? "=" : "≤")} {RationalText.Short(t.Realization.Value)}  [{t.Realization.Method}]");
        Console.WriteLine($"  fiber distance d(Γ, fiber(Θ)) ≥ {RationalText.Short(t.FiberLower)} (certified; lemma: {RationalText.Short(t.Lemma.Value)}{(t.Fiber is { } f ? $", Z3: {RationalText.Short(f.Lower)}" : "")})" +
                          (t.Fiber?.Upper is { } up ? $", ≤ {RationalText.Short(up.Distance)} ({up.Source})" : ""));
        Console.WriteLine($"  Theorem 3.1: {(t.Guarantee31 is { } g ? $"Φ within β + 2r^(1/2) ≤ {g:G6}" : "does not apply (C.2 or C.3 fails)")}");
        Console.WriteLine($"  Theorem 3.3: {(t.Guarantee33 is { } n ? $"Φ within 4r^(1/2) ≤ {n:G6}" : "does not apply (Γ or Θ not in N*)")}");
        Console.WriteLine($"  {t.Outcome switch { TheoremOutcome.Violated => "VIOLATION", TheoremOutcome.Consistent => "consistent", _ => "not applicable" }}: {t.Reason}");
    }

    private static string Yes(bool b) => b ? "yes" : "NO";
}
