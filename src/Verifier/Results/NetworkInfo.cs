using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>One affine layer as `verify info` describes it: shape, activation and the ranges of its parameters.</summary>
public sealed record LayerSummary(int Outputs, int Inputs, Activation Activation, double WeightMin, double WeightMax, double BiasMin, double BiasMax)
{
    public static LayerSummary Of(DenseLayer layer)
    {
        double wmin = double.PositiveInfinity, wmax = double.NegativeInfinity, bmin = double.PositiveInfinity, bmax = double.NegativeInfinity;
        foreach (var w in layer.Weights) { wmin = Math.Min(wmin, w); wmax = Math.Max(wmax, w); }
        foreach (var b in layer.Bias) { bmin = Math.Min(bmin, b); bmax = Math.Max(bmax, b); }
        return new LayerSummary(layer.Outputs, layer.Inputs, layer.Activation, wmin, wmax, bmin, bmax);
    }

    public JsonObject ToJson() => new()
    {
        ["outputs"] = Outputs, ["inputs"] = Inputs, ["activation"] = Activation.Name,
        ["weightMin"] = WeightMin, ["weightMax"] = WeightMax, ["biasMin"] = BiasMin, ["biasMax"] = BiasMax,
    };
}

/// <summary>An input box with the sound interval enclosure of the network's outputs over it.</summary>
public sealed record BoxOutputRanges(InputBox Box, Interval[] Outputs)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["source"] = Box.Source,
            ["lo"] = JsonArrays.Of(Box.Box.Lower),
            ["hi"] = JsonArrays.Of(Box.Box.Upper),
        };
        if (Box.Spec is { } spec) o["outputProperty"] = spec.Output.ToString();
        o["outputLo"] = JsonArrays.Of(Outputs.Select(i => i.Lo));
        o["outputHi"] = JsonArrays.Of(Outputs.Select(i => i.Hi));
        return o;
    }
}

/// <summary>What `verify info` says about a network file (and, with a box, its output ranges).</summary>
public sealed record NetworkInfo(string File, string Format, Network Network, IReadOnlyList<LayerSummary> Layers, IReadOnlyList<string> Notes)
{
    public BoxOutputRanges? Box { get; init; }

    public static NetworkInfo Of(string file, string format, Network network, IReadOnlyList<string> importNotes) =>
        new(file, format, network, network.Layers.Select(LayerSummary.Of).ToArray(), importNotes);

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["file"] = File,
            ["format"] = Format,
            ["widths"] = JsonArrays.Of(Network.Widths),
            ["parameters"] = Network.ParameterCount,
            ["neurons"] = Network.NeuronCount,
            ["activations"] = JsonArrays.Of(Network.Layers.Select(l => l.Activation.Name)),
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)l.ToJson()).ToArray()),
            ["normalization"] = Network.Normalization is not null,
            ["notes"] = JsonArrays.Of(Notes),
        };
        if (Box is not null) o["box"] = Box.ToJson();
        return o;
    }
}
