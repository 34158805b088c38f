using System.CommandLine;
using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Io.Onnx;

namespace Verify.Cli;

/// <summary>`verify convert`: rewrites a network in another format (json, nnet, onnx), keeping every parameter bit.</summary>
public sealed class ConvertVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var output = new Option<string>("--out") { Description = "output file; its extension picks the format unless --out-format is given", Required = true };
        var outFormat = new Option<string?>("--out-format") { Description = "output format (json, nnet, onnx), overriding the --out extension" };
        var cmd = new Command("convert", "Convert a network between json, nnet and onnx, keeping every parameter bit.") { net, format, output, outFormat };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(output)!, p.GetValue(outFormat))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string outPath, string? outFormatName)
    {
        var (network, inFormat, _) = NetworkFiles.ReadWithFormat(path, formatName);
        var outFormat = NetworkFiles.ForPath(outPath, outFormatName);
        NetworkFiles.Write(network, outPath, outFormat.Name);
        Console.WriteLine($"wrote {outPath} ({outFormat.Name}) from {path} ({inFormat.Name}): widths {string.Join("-", network.Widths)}, {network.ParameterCount} parameters");
        if (network.Extras.TryGetValue(OnnxNetworkFormat.ImportNotesKey, out var notes) && notes is JsonArray a)
            foreach (var n in a) Console.WriteLine("note: " + n);
        if (outFormat.Name == "nnet" && network.Extras.Keys.Any(k => k != "name"))
            Console.WriteLine($"note: .nnet has no place for the extra fields ({string.Join(", ", network.Extras.Keys.Where(k => k != "name"))}); they are not written");
        if (network.Normalization is not null && outFormat.Name != "nnet")
            Console.WriteLine($"note: the .nnet normalisation data is kept as metadata in the {outFormat.Name} file; like the .nnet file, the network itself is raw");
        return 0;
    }
}
