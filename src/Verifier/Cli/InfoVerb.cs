using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Io;
using Verify.Io.Onnx;
using Verify.Model;
using Verify.Results;
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
        var cmd = new Command("info", "Show what a network file holds; with a box, sound interval output ranges.\n" +
            "Show format, widths, parameter and neuron counts, activations and weight ranges; with a box, the box and sound interval output ranges.") { net, format, json };
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
        var notes = network.Extras.TryGetValue(OnnxNetworkFormat.ImportNotesKey, out var nn) && nn is JsonArray na
            ? na.Select(x => x?.GetValue<string>() ?? "").ToList() : [];
        var info = NetworkInfo.Of(path, format.Name, network, notes);
        for (int l = 0; l < info.Layers.Count; l++)
        {
            var L = info.Layers[l];
            Console.WriteLine(string.Format(inv, "  layer {0}: {1}x{2} {3,-10} W in [{4:G6}, {5:G6}]  b in [{6:G6}, {7:G6}]",
                l + 1, L.Outputs, L.Inputs, L.Activation, L.WeightMin, L.WeightMax, L.BiasMin, L.BiasMax));
        }
        if (network.Normalization is { } n)
            Console.WriteLine(string.Format(inv, "normalisation: input means/ranges present; output mean {0:R}, range {1:R} (not applied unless --normalize)",
                n.OutputMean, n.OutputRange));
        foreach (var note in notes) Console.WriteLine("note: " + note);

        if (box is not null) info = info with { Box = DescribeBox(network, box) };
        JsonOutput.Write(jsonPath, info.ToJson());
        return 0;
    }

    /// <summary>Boxes up to this dimension are printed in full; larger ones (an MNIST box has 784) are summarised.</summary>

    /// <summary>Longer output properties are cut on the terminal (the JSON keeps them whole).</summary>
    private const int FullPropertyLength = 400;

    private static BoxOutputRanges DescribeBox(Network network, InputBox box)
    {
        Console.WriteLine($"input box:   {BoxSummary(box.Box, box.Source)}");
        if (box.Spec is { } spec)
        {
            if (spec.BoxWasWidened)
                Console.WriteLine("             (bounds that are not doubles were widened outward to the nearest doubles)");
            Console.WriteLine($"vnnlib output property ({spec.Output.ConstraintCount} constraints; VNN-COMP convention: outputs satisfying it are counterexamples):");
            string property = spec.Output.ToString();
            Console.WriteLine("  " + (property.Length <= FullPropertyLength ? property
                : property[..FullPropertyLength] + $" … ({property.Length} characters; the whole property is in --json)"));
        }
        var y = Bounds.IntervalPropagation.Run(network, box.Box).Outputs;
        Console.WriteLine("output ranges over the box (plain interval arithmetic, outward-rounded: sound but loose):");
        for (int j = 0; j < y.Length; j++) Console.WriteLine($"  y[{j}] in {y[j]}");
        return new BoxOutputRanges(box, y);
    }

    /// <summary>The box itself when small; otherwise its dimension and the ranges of its widths and bounds.</summary>
    private static string BoxSummary(Box box, string source) =>
        box.Dimension <= BoxText.FullDimension ? $"{box} (from {source})"
            : $"{BoxText.Of(box.Lower, box.Upper)}, from {source}";
}
