using System.CommandLine;
using System.Globalization;
using Verify.Equivalence;
using Verify.Io;

namespace Verify.Cli;

/// <summary>`verify round`: a copy of a network with every parameter rounded to float16, bfloat16 or int8.</summary>
public sealed class RoundVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var to = new Option<string>("--to") { Description = "target format: float16, bfloat16 or int8 (symmetric per-tensor, dequantised)", Required = true };
        var output = new Option<string>("--out") { Description = "where to write the rounded network (format from its extension)", Required = true };
        var outFormat = new Option<string?>("--out-format") { Description = "format of --out, overriding its extension" };
        var json = CommonOptions.Json();
        var cmd = new Command("round", "Write a copy of a network with its parameters rounded to a narrower format.") { net, format, to, output, outFormat, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(to)!,
            p.GetValue(output)!, p.GetValue(outFormat), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string toName, string outPath, string? outFormat, string? jsonPath)
    {
        var target = RoundingTargets.Parse(toName);
        var network = NetworkFiles.Read(path, formatName);
        var result = ParameterRounding.Round(network, target);
        NetworkFiles.Write(result.Rounded, outPath, outFormat);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"rounded {network.ParameterCount} parameters of {path} to {target.Name()}: " +
                          $"{result.ChangedParameters} changed, max |change| = {result.MaxAbsChange.ToString("R", inv)}");
        Console.WriteLine($"wrote {outPath}");
        JsonOutput.Write(jsonPath, result.ToJson(path, outPath, target.Name()));
        return 0;
    }
}
