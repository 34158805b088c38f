using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;
using Verify.Model;
using Verify.Results;

namespace Verify.Cli;

/// <summary>
/// `verify realization-distance`: certified distances between the functions two networks realise on a box, in the sup
/// norm sup‖f1 − f2‖∞ and in the W^{1,∞} semi-norm sup‖D(f1 − f2)‖ (operator ∞-norm), each as [lower, upper] with a
/// witness, exact where the computation completes.
/// </summary>
public sealed class RealizationDistanceVerb : IVerb
{
    public const double DefaultTimeoutSeconds = 120;

    public Command Build()
    {
        var net = CommonOptions.Net("--net", "first network f1 (.json, .nnet, .onnx)");
        var net2 = CommonOptions.Net("--net2", "second network f2");
        var format = CommonOptions.Format();
        var box = new BoxOptions();
        var norm = new Option<string>("--norm")
        {
            Description = "sup: sup_x ‖f1(x) − f2(x)‖∞; sobolev: sup_x ‖D(f1 − f2)(x)‖ (max row sum of |J1 − J2|); both",
            DefaultValueFactory = _ => "both",
        };
        norm.AcceptOnlyFromAmong("sup", "sobolev", "both");
        var timeout = CommonOptions.Timeout();
        timeout.Description = $"wall-clock limit in seconds for each norm (default {DefaultTimeoutSeconds})";
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var cmd = new Command("realization-distance",
            "Certified distance between the functions two networks realise on a box: sup norm and/or W^{1,∞} semi-norm.")
            { net, net2, format, norm, timeout, seed, json };
        box.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            string path1 = p.GetValue(net)!, path2 = p.GetValue(net2)!;
            var first = NetworkFiles.Read(path1, p.GetValue(format));
            var second = NetworkFiles.Read(path2, p.GetValue(format));
            if (second.InputSize != first.InputSize)
                throw new BadInputException(path2, $"takes {second.InputSize} inputs, {path1} takes {first.InputSize}");
            if (second.OutputSize != first.OutputSize)
                throw new BadInputException(path2, $"has {second.OutputSize} outputs, {path1} has {first.OutputSize}");
            var input = box.Resolve(p, first.InputSize, first.OutputSize)!;
            var limit = CommonOptions.ToTimeSpan(p.GetValue(timeout) ?? DefaultTimeoutSeconds)!.Value;
            return Execute(first, second, input.Box, p.GetValue(norm)!, limit, p.GetValue(seed), p.GetValue(json));
        }));
        return cmd;
    }

    private static int Execute(Network first, Network second, Box box, string norm, TimeSpan limit, int seed, string? jsonPath)
    {
        SupDistanceResult? sup = null;
        RegionDistanceResult? semi = null;
        if (norm is "sup" or "both")
        {
            sup = new SupDistance { Timeout = limit, Seed = seed }.Compute(first, second, box);
            PrintSup(sup);
        }
        if (norm is "sobolev" or "both")
        {
            semi = new JacobianDistance { Timeout = limit }.Compute(first, second, box);
            PrintSemi(semi);
        }
        JsonNode result = norm switch
        {
            "sup" => sup!.ToJson(),
            "sobolev" => semi!.ToJson(),
            _ => SupDistanceResult.Both(sup!, semi!),
        };
        JsonOutput.Write(jsonPath, result);
        bool settled = (sup is null || sup.IsExact || sup.Upper - sup.Lower.ToDouble() <= 1e-6 * sup.Upper) && (semi is null || semi.IsExact);
        return (int)(settled ? ExitCode.Success : ExitCode.Unknown);
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string R(double v) => v.ToString("R", Inv);

    /// <summary>A rational as written when short, else its nearest double (the exact text is in --json).</summary>
    private static string Short(Rational v) => v.ToString() is { Length: <= 40 } t ? t : $"{R(v.ToDouble())}… (exact rational in --json)";

    private static void PrintSup(SupDistanceResult r)
    {
        Console.WriteLine($"sup ‖f1 − f2‖∞ ∈ [{R(r.Lower.ToInterval().Lo)}, {R(r.Upper)}]{(r.IsExact ? $"  exact: {Short(r.Lower)}" : "")}");
        if (r.Witness is { } x)
            Console.WriteLine($"  witness x = {Point(x)}  output {r.Output}: |f1 − f2| = {Short(r.Lower)} (exact replay)");
        string how = r.Regions is { } g ? string.Create(Inv, $", region search: {g.Regions} regions reached, {g.Pruned} pruned, {g.Checks} Z3 calls, {g.Seconds:F2} s{(g.IsExact ? ", complete" : "")}") : "";
        Console.WriteLine(string.Create(Inv, $"  {r.Queries} equivalence queries{how}, {r.Seconds:F2} s (upper: certified)"));
    }

    private static void PrintSemi(RegionDistanceResult r)
    {
        Console.WriteLine($"sup ‖D(f1 − f2)‖ ∈ [{R(r.Lower.ToInterval().Lo)}, {R(r.Upper)}]{(r.IsExact ? $"  exact: {Short(r.Lower)}" : "")}  (operator ∞-norm: max row sum of |J1 − J2|)");
        if (r.Witness is { } x)
            Console.WriteLine("  witness x = " + (r.WitnessDoubles is { } d ? string.Join(", ", d.Select(R)) : Point(x)) +
                              "  (inside the region, Jacobians replayed exactly)");
        if (r.ExactCopy) Console.WriteLine("  the second network is an exact permuted/rescaled copy of the first");
        string state = r.IsExact ? "enumeration complete" : r.TimedOut ? "stopped by the time limit" : "some regions undecided by Z3";
        Console.WriteLine(string.Create(Inv,
            $"  {r.Regions} regions reached, {r.Pruned} subtrees pruned by bounds, {r.Checks} Z3 checks, {r.Seconds:F2} s, {state}"));
    }

    /// <summary>A point as doubles when it is one, else as exact rationals.</summary>
    private static string Point(Rational[] x) =>
        x.All(v => Rational.FromDouble(v.ToDouble()) == v) ? string.Join(", ", x.Select(v => R(v.ToDouble()))) : string.Join(", ", x.Select(v => v.ToString()));
}
