using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Io;

namespace Verify.Cli;

/// <summary>`verify info`: what a network file holds.</summary>
public sealed class InfoVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var json = CommonOptions.Json();
        var cmd = new Command("info", "Show format, widths, parameter and neuron counts, activations and weight ranges.") { net, format, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string? jsonPath)
    {
        var (network, format, _) = NetworkFiles.ReadWithFormat(path, formatName);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"file:        {path}");
        Console.WriteLine($"format:      {format.Name}");
        Console.WriteLine($"widths:      {string.Join("-", network.Widths)}");
        Console.WriteLine($"parameters:  {network.ParameterCount}");
        Console.WriteLine($"neurons:     {network.NeuronCount} hidden");
        Console.WriteLine($"activations: {string.Join(", ", network.Layers.Select(l => l.Activation.ToString()))}");
        var layersJson = new JsonArray();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var L = network.Layers[l];
            double wmin = double.PositiveInfinity, wmax = double.NegativeInfinity, bmin = double.PositiveInfinity, bmax = double.NegativeInfinity;
            foreach (var w in L.Weights) { wmin = Math.Min(wmin, w); wmax = Math.Max(wmax, w); }
            foreach (var b in L.Bias) { bmin = Math.Min(bmin, b); bmax = Math.Max(bmax, b); }
            Console.WriteLine(string.Format(inv, "  layer {0}: {1}x{2} {3,-10} W in [{4:G6}, {5:G6}]  b in [{6:G6}, {7:G6}]",
                l + 1, L.Outputs, L.Inputs, L.Activation, wmin, wmax, bmin, bmax));
            layersJson.Add(new JsonObject
            {
                ["outputs"] = L.Outputs, ["inputs"] = L.Inputs, ["activation"] = L.Activation.Name,
                ["weightMin"] = wmin, ["weightMax"] = wmax, ["biasMin"] = bmin, ["biasMax"] = bmax,
            });
        }
        if (network.Normalization is { } n)
            Console.WriteLine(string.Format(inv, "normalisation: input means/ranges present; output mean {0:R}, range {1:R} (not applied unless --normalize)",
                n.OutputMean, n.OutputRange));
        JsonOutput.Write(jsonPath, new JsonObject
        {
            ["file"] = path,
            ["format"] = format.Name,
            ["widths"] = JsonOutput.Array(network.Widths),
            ["parameters"] = network.ParameterCount,
            ["neurons"] = network.NeuronCount,
            ["activations"] = JsonOutput.Array(network.Layers.Select(l => l.Activation.Name)),
            ["layers"] = layersJson,
            ["normalization"] = network.Normalization is not null,
        });
        return 0;
    }
}
