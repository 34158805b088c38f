using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Model;

namespace Verify.Io;

/// <summary>
/// The native format: {"layers":[{"W":[[..],..],"b":[..],"activation":"relu"}, ..]}. W is out×in. The
/// activation defaults to relu for hidden layers and identity for the last; other top-level fields are kept.
/// Numbers are written with the shortest round-trip representation, so a write/read round trip keeps every bit.
/// An optional "normalization" object keeps .nnet normalisation data (see <see cref="NormalizationJson"/>).
/// </summary>
public sealed class JsonNetworkFormat : INetworkFormat
{
    public string Name => "json";
    public IReadOnlyList<string> Extensions => [".json"];
    public bool CanWrite => true;

    public Network Read(string path, byte[] content)
    {
        // JsonNode decodes strings lazily and would throw InvalidOperationException on invalid UTF-8 later on.
        if (!System.Text.Unicode.Utf8.IsValid(content)) throw new BadInputException(path, "not UTF-8 text");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, "malformed JSON: " + FirstSentence(e.Message),
                e.LineNumber is { } ln ? $"{ln + 1}:{(e.BytePositionInLine ?? 0) + 1}" : null);
        }
        return FromNode(path, root);
    }

    public static Network FromNode(string path, JsonNode? root)
    {
        if (root is not JsonObject obj) throw new BadInputException(path, "expected a JSON object with a \"layers\" array");
        if (obj["layers"] is not JsonArray layersNode) throw new BadInputException(path, "missing \"layers\" array");
        if (layersNode.Count == 0) throw new BadInputException(path, "\"layers\" is empty");
        var layers = new List<DenseLayer>();
        for (int l = 0; l < layersNode.Count; l++)
        {
            string where = $"layers[{l}]";
            if (layersNode[l] is not JsonObject lo) throw new BadInputException(path, $"{where} is not an object");
            if (lo["W"] is not JsonArray wNode) throw new BadInputException(path, $"{where}: missing \"W\" matrix");
            if (lo["b"] is not JsonArray bNode) throw new BadInputException(path, $"{where}: missing \"b\" vector");
            var rows = new double[wNode.Count][];
            for (int i = 0; i < wNode.Count; i++)
            {
                if (wNode[i] is not JsonArray row) throw new BadInputException(path, $"{where}.W[{i}] is not an array");
                rows[i] = ReadVector(path, row, $"{where}.W[{i}]");
            }
            var b = ReadVector(path, bNode, $"{where}.b");
            bool last = l == layersNode.Count - 1;
            var act = ParseActivation(path, lo, where, last);
            try
            {
                layers.Add(DenseLayer.FromRows(rows, b, act));
            }
            catch (ModelException e) { throw new BadInputException(path, $"{where}: {e.Problem}"); }
        }
        var extras = new Dictionary<string, JsonNode?>();
        foreach (var kv in obj)
            if (kv.Key != "layers" && kv.Key != "normalization") extras[kv.Key] = kv.Value?.DeepClone();
        Normalization? norm = null;
        if (obj["normalization"] is { } nn)
            norm = nn is JsonObject no ? NormalizationJson.FromJson(path, no)
                 : throw new BadInputException(path, "\"normalization\" must be an object");
        try { return new Network(layers, norm, extras); }
        catch (ModelException e) { throw new BadInputException(path, e.Problem); }
    }

    private static Activation ParseActivation(string path, JsonObject layer, string where, bool last)
    {
        var node = layer["activation"];
        if (node is null) return last ? Activation.Identity : Activation.Relu;
        string name = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : "";
        switch (name.ToLowerInvariant())
        {
            case "relu": return Activation.Relu;
            case "identity": case "linear": case "none": return Activation.Identity;
            case "leaky_relu": case "leakyrelu":
                var s = layer["slope"] ?? layer["alpha"];
                if (s is null || s.GetValueKind() != JsonValueKind.Number)
                    throw new BadInputException(path, $"{where}: leaky_relu needs a numeric \"slope\"");
                double slope = s.GetValue<double>();
                if (!(slope >= 0)) throw new BadInputException(path, $"{where}: leaky_relu slope {slope} must be ≥ 0");
                return Activation.Leaky(slope);
            default:
                throw new BadInputException(path, $"{where}: unknown activation '{node.ToJsonString()}' (relu, identity, leaky_relu)");
        }
    }

    private static double[] ReadVector(string path, JsonArray arr, string where)
    {
        var v = new double[arr.Count];
        for (int i = 0; i < v.Length; i++)
        {
            var n = arr[i];
            if (n is null || n.GetValueKind() != JsonValueKind.Number)
            {
                string shown = n is null ? "null" : n.ToJsonString();
                throw new BadInputException(path, $"{where}[{i}] is {shown}, not a number");
            }
            double d = n.GetValue<double>();
            if (!double.IsFinite(d)) throw new BadInputException(path, $"{where}[{i}] = {d} is not finite");
            v[i] = d;
        }
        return v;
    }

    public byte[] Write(Network network) => Encoding.UTF8.GetBytes(ToJson(network).ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");

    public static JsonObject ToJson(Network network)
    {
        var root = new JsonObject();
        foreach (var kv in network.Extras) root[kv.Key] = kv.Value?.DeepClone();
        var layers = new JsonArray();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var L = network.Layers[l];
            var w = new JsonArray();
            for (int i = 0; i < L.Outputs; i++)
            {
                var row = new JsonArray();
                foreach (var x in L.Row(i)) row.Add(JsonValue.Create(x));
                w.Add(row);
            }
            var b = new JsonArray();
            foreach (var x in L.Bias) b.Add(JsonValue.Create(x));
            var lo = new JsonObject { ["W"] = w, ["b"] = b, ["activation"] = L.Activation.Name };
            if (L.Activation.Kind == ActivationKind.LeakyRelu) lo["slope"] = L.Activation.Slope;
            layers.Add(lo);
        }
        root["layers"] = layers;
        if (network.Normalization is { } n) root["normalization"] = NormalizationJson.ToJson(n);
        return root;
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends " Path: …" and " LineNumber: …"; the position is reported separately.
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0) message = message[..i];
        }
        return message.Trim();
    }
}
