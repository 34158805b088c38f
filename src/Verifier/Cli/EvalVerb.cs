using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Results;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>`verify eval`: outputs at one input, in double or exact rational arithmetic.</summary>
public sealed class EvalVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var x = new Option<string>("--x") { Description = "input point, comma-separated", Required = true };
        var exact = new Option<bool>("--exact") { Description = "evaluate in exact rational arithmetic" };
        var normalize = new Option<bool>("--normalize") { Description = "apply the file's input/output normalisation (.nnet)" };
        var json = CommonOptions.Json();
        var box = new BoxOptions();
        var cmd = new Command("eval", "Evaluate a network at one input, in doubles or exactly; optionally check a box and property.\n" +
            "Evaluate a network at one input; with a box, also say whether the input lies in it (and, for --vnnlib, whether the output satisfies the property).") { net, format, x, exact, normalize, json };
        box.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(x)!,
            p.GetValue(exact), p.GetValue(normalize), p.GetValue(json), box, p)));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string xText, bool exact, bool normalize, string? jsonPath,
                               BoxOptions boxOptions, ParseResult parse)
    {
        var network = NetworkFiles.Read(path, formatName);
        var x = CommonOptions.ParseList(xText, "--x");
        if (x.Length != network.InputSize)
            throw new UsageException($"--x has {x.Length} values but {path} expects {network.InputSize} inputs");
        var norm = network.Normalization;
        if (normalize && norm is null)
            throw new UsageException($"--normalize: {path} carries no normalisation data");
        if (normalize && Array.IndexOf(norm!.InputRange, 0.0) is var zero and >= 0)
            throw new BadInputException(path, $"--normalize: the normalisation range of input {zero} is 0");
        var box = boxOptions.Resolve(parse, network.InputSize, network.OutputSize, required: false);
        if (box is not null && normalize)
            throw new UsageException("--normalize cannot be combined with an input box: boxes are in the raw network's coordinates");
        var inv = CultureInfo.InvariantCulture;
        EvaluationResult result;
        if (exact)
        {
            var xr = x.Select(Rational.FromDouble).ToArray();
            if (normalize) xr = norm!.NormalizeInput(xr);
            var y = network.EvaluateExact(xr);
            if (normalize) y = y.Select(norm!.DenormalizeOutput).ToArray();
            var doubles = y.Select(r => r.ToDouble()).ToArray();
            for (int j = 0; j < y.Length; j++)
                Console.WriteLine($"y[{j}] = {y[j]}  (≈ {doubles[j].ToString("R", inv)})");
            result = new EvaluationResult(doubles, y);
        }
        else
        {
            var xin = normalize ? norm!.NormalizeInput(x) : x;
            var y = network.Evaluate(xin);
            if (normalize) y = y.Select(norm!.DenormalizeOutput).ToArray();
            for (int j = 0; j < y.Length; j++) Console.WriteLine($"y[{j}] = {y[j].ToString("R", inv)}");
            result = new EvaluationResult(y, null);
        }
        if (box is not null) result = result with { Box = CheckBox(network, box, x) };
        JsonOutput.Write(jsonPath, result.ToJson());
        return 0;
    }

    private static BoxMembership CheckBox(Verify.Model.Network network, InputBox box, double[] x)
    {
        // A VNNLIB box is judged against its exact bounds: the double box around them may be one ulp wider.
        bool inside = box.Spec is { } exactSpec
            ? x.Select(Rational.FromDouble).Select((r, i) => exactSpec.ExactLower[i] <= r && r <= exactSpec.ExactUpper[i]).All(b => b)
            : box.Box.Contains(x);
        Console.WriteLine($"x in the input box ({box.Source}): {(inside ? "yes" : "no")}");
        bool? holds = null;
        if (box.Spec is { } spec && !spec.Output.IsEmpty)
        {
            // Decided exactly: the outputs are evaluated in rationals, the constraints compared in rationals.
            var y = network.EvaluateExact(x.Select(Rational.FromDouble).ToArray());
            holds = spec.Output.HoldsAt(y);
            Console.WriteLine($"output satisfies the vnnlib output property (exactly): {(holds.Value ? "yes" : "no")}" +
                              (holds.Value && inside ? " — x is a counterexample in the VNN-COMP convention" : ""));
        }
        return new BoxMembership(box.Source, inside, holds);
    }
}
