using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Io;
using Verify.Io.Onnx;
using Verify.Model;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>`verify info`: what a network file holds, and optionally what an input box gives at the outputs.</summary>
public sealed class InfoVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var json = CommonOptions.Json();
        var box = new BoxOptions();
        var cmd = new Command("info", "Show format, widths, parameter and neuron counts, activations and weight ranges; with a box, the box and sound interval output ranges.") { net, format, json };
        box.AddTo(cmd);
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(json), box, p)));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string? jsonPath, BoxOptions boxOptions, ParseResult parse)
    {
        var (network, format, _) = NetworkFiles.ReadWithFormat(path, formatName);
        var box = boxOptions.Resolve(parse, network.InputSize, network.OutputSize, required: false);
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
        var notes = network.Extras.TryGetValue(OnnxNetworkFormat.ImportNotesKey, out var nn) && nn is JsonArray na
            ? na.Select(x => x?.GetValue<string>() ?? "").ToList() : [];
        foreach (var note in notes) Console.WriteLine("note: " + note);

        var result = new JsonObject
        {
            ["file"] = path,
            ["format"] = format.Name,
            ["widths"] = JsonOutput.Array(network.Widths),
            ["parameters"] = network.ParameterCount,
            ["neurons"] = network.NeuronCount,
            ["activations"] = JsonOutput.Array(network.Layers.Select(l => l.Activation.Name)),
            ["layers"] = layersJson,
            ["normalization"] = network.Normalization is not null,
            ["notes"] = JsonOutput.Array(notes),
        };
        if (box is not null) result["box"] = DescribeBox(network, box);
        JsonOutput.Write(jsonPath, result);
        return 0;
    }

    private static JsonObject DescribeBox(Network network, InputBox box)
    {
        Console.WriteLine($"input box:   {box.Box} (from {box.Source})");
        var o = new JsonObject
        {
            ["source"] = box.Source,
            ["lo"] = JsonOutput.Array(box.Box.Lower),
            ["hi"] = JsonOutput.Array(box.Box.Upper),
        };
        if (box.Spec is { } spec)
        {
            if (spec.BoxWasWidened)
                Console.WriteLine("             (bounds that are not doubles were widened outward to the nearest doubles)");
            Console.WriteLine($"vnnlib output property ({spec.Output.ConstraintCount} constraints; VNN-COMP convention: outputs satisfying it are counterexamples):");
            Console.WriteLine("  " + spec.Output);
            o["outputProperty"] = spec.Output.ToString();
        }
        var y = OutputEnclosure(network, box.Box);
        Console.WriteLine("output ranges over the box (plain interval arithmetic, outward-rounded: sound but loose):");
        for (int j = 0; j < y.Length; j++) Console.WriteLine($"  y[{j}] in {y[j]}");
        o["outputLo"] = JsonOutput.Array(y.Select(i => i.Lo));
        o["outputHi"] = JsonOutput.Array(y.Select(i => i.Hi));
        return o;
    }

    /// <summary>Interval propagation through the raw network: every operation rounds outward.</summary>
    private static Interval[] OutputEnclosure(Network network, Box box) => Bounds.IntervalPropagation.Run(network, box).Outputs;
}
