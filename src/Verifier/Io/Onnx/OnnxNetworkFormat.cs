using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Verify.Errors;
using Verify.Io.Onnx.Proto;
using Verify.Model;

namespace Verify.Io.Onnx;

/// <summary>
/// ONNX models of fully connected networks. Reading accepts FLOAT and DOUBLE tensors (float32 converts to double
/// exactly). Writing emits a Gemm(transB = 1) [+ Relu | LeakyRelu] chain with DOUBLE tensors in raw_data, so
/// JSON → ONNX → JSON keeps every parameter bit. Extra JSON fields and .nnet normalisation data travel in
/// metadata_props, which other tools ignore.
/// </summary>
public sealed class OnnxNetworkFormat : INetworkFormat
{
    /// <summary>metadata_props key holding the network's extra top-level JSON fields.</summary>
    public const string ExtrasKey = "verify.extras";

    /// <summary>metadata_props key holding .nnet normalisation data (never applied by ONNX runtimes).</summary>
    public const string NormalizationKey = "verify.normalization";

    /// <summary>Extras key under which notes about the import (folded normalisation, rounding) are kept.</summary>
    public const string ImportNotesKey = "import_notes";

    public string Name => "onnx";
    public IReadOnlyList<string> Extensions => [".onnx"];
    public bool CanWrite => true;

    public Network Read(string path, byte[] content)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(content); }
        catch (InvalidProtocolBufferException e)
        {
            throw new BadInputException(path, "not a valid ONNX (protobuf) file: " + e.Message.ReplaceLineEndings(" "));
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new BadInputException(path, "not an ONNX model with a graph (no nodes found)");
        var (layers, notes) = OnnxGraphReader.Read(path, model.Graph);

        var extras = new Dictionary<string, JsonNode?>();
        Normalization? norm = null;
        foreach (var kv in model.MetadataProps)
        {
            if (kv.Key == ExtrasKey) foreach (var e in ParseObject(path, kv.Value, kv.Key)) extras[e.Key] = e.Value?.DeepClone();
            if (kv.Key == NormalizationKey) norm = NormalizationJson.FromJson(path, ParseObject(path, kv.Value, kv.Key));
        }
        if (notes.Count > 0) extras[ImportNotesKey] = new JsonArray(notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        try { return new Network(layers, norm, extras); }
        catch (ModelException e) { throw new BadInputException(path, e.Problem); }
    }

    private static JsonObject ParseObject(string path, string text, string key)
    {
        return JsonInput.ParseNode(path, text, $"metadata '{key}'") as JsonObject
               ?? throw new BadInputException(path, $"metadata '{key}' is not a JSON object");
    }

    public byte[] Write(Network network) => OnnxWriter.Build(network).ToByteArray();
}

/// <summary>Builds the ONNX model for a network: Gemm(transB = 1) with DOUBLE weights, then the activation.</summary>
internal static class OnnxWriter
{
    public static ModelProto Build(Network network)
    {
        var graph = new GraphProto { Name = network.Name ?? "verify_network" };
        graph.Input.Add(Value("input", network.InputSize));
        string current = "input";
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string w = $"W{l + 1}", b = $"b{l + 1}", z = $"z{l + 1}";
            graph.Initializer.Add(OnnxTensors.FromDoubles(w, [layer.Outputs, layer.Inputs], layer.Weights));
            graph.Initializer.Add(OnnxTensors.FromDoubles(b, [layer.Outputs], layer.Bias));
            var gemm = new NodeProto { Name = $"gemm{l + 1}", OpType = "Gemm" };
            gemm.Input.Add([current, w, b]);
            gemm.Output.Add(z);
            gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(gemm);
            current = z;
            var act = layer.Activation;
            if (act.Kind == ActivationKind.Identity) continue;
            string h = $"h{l + 1}";
            var node = new NodeProto { Name = $"{act.Name}{l + 1}", OpType = act.Kind == ActivationKind.Relu ? "Relu" : "LeakyRelu" };
            node.Input.Add(current);
            node.Output.Add(h);
            if (act.Kind == ActivationKind.LeakyRelu)
            {
                // ONNX stores alpha as float32; refuse a slope that would change.
                float alpha = (float)act.Slope;
                if (alpha != act.Slope)
                    throw new BadInputException(null, $"cannot write ONNX: layer {l + 1} leaky ReLU slope {act.Slope:R} is not a float32 value, and ONNX keeps alpha as float32");
                node.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = alpha });
            }
            graph.Node.Add(node);
            current = h;
        }
        // Rename the last value to "output" so the graph's output has a stable name.
        graph.Node[^1].Output[0] = "output";
        graph.Output.Add(Value("output", network.OutputSize));

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "verify",
            ProducerVersion = typeof(OnnxWriter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        if (network.Extras.Count > 0)
        {
            var extras = new JsonObject();
            foreach (var kv in network.Extras) extras[kv.Key] = kv.Value?.DeepClone();
            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxNetworkFormat.ExtrasKey, Value = extras.ToJsonString() });
        }
        if (network.Normalization is { } n)
            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxNetworkFormat.NormalizationKey, Value = NormalizationJson.ToJson(n).ToJsonString() });
        return model;
    }

    /// <summary>A DOUBLE tensor [batch, size] with a symbolic batch dimension.</summary>
    private static ValueInfoProto Value(string name, int size)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Double, Shape = shape } },
        };
    }
}
