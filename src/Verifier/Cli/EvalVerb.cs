using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;

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
        var cmd = new Command("eval", "Evaluate a network at one input.") { net, format, x, exact, normalize, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(x)!,
            p.GetValue(exact), p.GetValue(normalize), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string xText, bool exact, bool normalize, string? jsonPath)
    {
        var network = NetworkFiles.Read(path, formatName);
        var x = CommonOptions.ParseList(xText, "--x");
        if (x.Length != network.InputSize)
            throw new UsageException($"--x has {x.Length} values but {path} expects {network.InputSize} inputs");
        var norm = network.Normalization;
        if (normalize && norm is null)
            throw new UsageException($"--normalize: {path} carries no normalisation data");
        var inv = CultureInfo.InvariantCulture;
        var result = new JsonObject();
        if (exact)
        {
            var xr = x.Select(Rational.FromDouble).ToArray();
            if (normalize) xr = norm!.NormalizeInput(xr);
            var y = network.EvaluateExact(xr);
            if (normalize) y = y.Select(norm!.DenormalizeOutput).ToArray();
            var doubles = y.Select(r => r.ToDouble()).ToArray();
            for (int j = 0; j < y.Length; j++)
                Console.WriteLine($"y[{j}] = {y[j]}  (≈ {doubles[j].ToString("R", inv)})");
            result["outputs"] = JsonOutput.Array(doubles);
            result["exact"] = JsonOutput.Array(y.Select(r => r.ToString()));
        }
        else
        {
            var xin = normalize ? norm!.NormalizeInput(x) : x;
            var y = network.Evaluate(xin);
            if (normalize) y = y.Select(norm!.DenormalizeOutput).ToArray();
            for (int j = 0; j < y.Length; j++) Console.WriteLine($"y[{j}] = {y[j].ToString("R", inv)}");
            result["outputs"] = JsonOutput.Array(y);
        }
        JsonOutput.Write(jsonPath, result);
        return 0;
    }
}
