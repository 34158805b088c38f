using System.Globalization;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io.Onnx.Proto;
using Verify.Model;

namespace Verify.Io.Onnx;

/// <summary>
/// Turns an ONNX graph of a fully connected network into a <see cref="Network"/>. It follows the data from the
/// single graph input through the nodes (never the order of the initializers, which exporters shuffle) and
/// accepts Gemm, MatMul(+Add), Relu, LeakyRelu, Flatten, Reshape, Identity, and a leading Sub/Div input
/// normalisation by constants, which is folded into the first layer. Anything else is reported by name.
/// </summary>
internal sealed class OnnxGraphReader
{
    private readonly string _path;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _constProtos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstTensor> _consts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(NodeProto Node, int Index)>> _consumers = new(StringComparer.Ordinal);
    private readonly List<DenseLayer> _layers = [];
    private readonly List<string> _notes = [];
    private PendingLayer? _pending;
    private double[]? _inputShift;   // x − m, from a leading Sub
    private double[]? _inputScale;   // ÷ s, from a leading Div

    public IReadOnlyList<string> Notes => _notes;

    private OnnxGraphReader(string path, GraphProto graph)
    {
        _path = path;
        _graph = graph;
    }

    public static (IReadOnlyList<DenseLayer> Layers, IReadOnlyList<string> Notes) Read(string path, GraphProto graph)
    {
        var reader = new OnnxGraphReader(path, graph);
        reader.Run();
        return (reader._layers, reader._notes);
    }

    private void Run()
    {
        foreach (var t in _graph.Initializer) _constProtos[t.Name] = t;
        int constantNodes = 0;
        for (int k = 0; k < _graph.Node.Count; k++)
        {
            var node = _graph.Node[k];
            if (node.OpType == "Constant")
            {
                constantNodes++;
                var value = node.Attribute.FirstOrDefault(a => a.Name == "value" && a.T is not null)
                            ?? throw Bad($"Constant node {Label(node, k)} has no tensor 'value' attribute (only that form is supported)");
                var t = value.T.Clone();
                t.Name = node.Output[0];
                _constProtos[node.Output[0]] = t;
                continue;
            }
            foreach (var input in node.Input)
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                if (!list.Any(c => c.Index == k)) list.Add((node, k));
            }
        }

        var inputs = _graph.Input.Where(i => !_constProtos.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Bad($"graph has {inputs.Count} non-constant inputs ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))}); expected exactly one");
        if (_graph.Output.Count != 1)
            throw Bad($"graph has {_graph.Output.Count} outputs; expected exactly one");
        string output = _graph.Output[0].Name;

        string current = inputs[0].Name;
        int visited = 0;
        while (true)
        {
            _consumers.TryGetValue(current, out var next);
            if (next is null || next.Count == 0)
            {
                if (current == output) break;
                throw Bad($"value '{current}' is not used by any node and is not the graph output '{output}'");
            }
            if (next.Count > 1)
                throw Bad($"value '{current}' feeds {next.Count} nodes ({string.Join(", ", next.Select(n => Label(n.Node, n.Index)))}); only a chain of layers is supported");
            var (node, index) = next[0];
            if (node.Output.Count < 1) throw Bad($"node {Label(node, index)} has no output");
            Apply(node, index, current);
            visited++;
            current = node.Output[0];
        }
        if (visited + constantNodes != _graph.Node.Count)
            throw Bad($"graph has {_graph.Node.Count - visited - constantNodes} node(s) off the path from the input to the output; only a chain of layers is supported");
        FinishPending();
        if (_layers.Count == 0) throw Bad("graph has no Gemm or MatMul layer");
        CheckInputShape(inputs[0]);
    }

    private void Apply(NodeProto node, int index, string current)
    {
        string label = Label(node, index);
        if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
            throw Bad($"unsupported operator {node.Domain}.{node.OpType} at node {label}");
        switch (node.OpType)
        {
            case "Gemm": Gemm(node, label, current); break;
            case "MatMul": MatMul(node, label, current); break;
            case "Add": Add(node, label, current); break;
            case "Sub": Sub(node, label, current); break;
            case "Div": Div(node, label, current); break;
            case "Relu": Activate(node.OpType, label, Activation.Relu); break;
            case "LeakyRelu":
                double alpha = FloatAttr(node, "alpha", 0.01f);
                if (!(alpha >= 0)) throw Bad($"LeakyRelu at node {label} has alpha {alpha}; only alpha ≥ 0 is supported");
                Activate(node.OpType, label, Activation.Leaky(alpha));
                break;
            case "Flatten":
            case "Reshape":
            case "Identity":
                // Shape-only on a single batch row of a fully connected network.
                if (node.Input.Count == 0 || node.Input[0] != current)
                    throw Bad($"{node.OpType} at node {label} does not take '{current}' as its data input");
                break;
            default:
                throw Bad($"unsupported operator {node.OpType} at node {label}");
        }
    }

    private void Gemm(NodeProto node, string label, string current)
    {
        if (node.Input.Count < 2 || node.Input[0] != current)
            throw Bad($"Gemm at node {label} must take '{current}' as its first input and a constant weight matrix as its second");
        if (IntAttr(node, "transA", 0) != 0) throw Bad($"Gemm at node {label} has transA = 1, which is not supported");
        bool transB = IntAttr(node, "transB", 0) != 0;
        double alpha = FloatAttr(node, "alpha", 1f), beta = FloatAttr(node, "beta", 1f);
        var b = Const(node.Input[1], label);
        var (outputs, inputs, w) = Matrix(b, transposed: !transB, label);
        if (alpha != 1) w = Scale(w, alpha, $"Gemm alpha = {alpha.ToString("R", CultureInfo.InvariantCulture)} at node {label}");
        double[]? bias = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            bias = Vector(Const(node.Input[2], label), outputs, label);
            if (beta != 1) bias = Scale(bias, beta, $"Gemm beta = {beta.ToString("R", CultureInfo.InvariantCulture)} at node {label}");
        }
        StartLayer(new PendingLayer(outputs, inputs, w, bias, label));
    }

    private void MatMul(NodeProto node, string label, string current)
    {
        if (node.Input.Count != 2 || node.Input[0] != current || !IsConst(node.Input[1]))
            throw Bad($"MatMul at node {label} must compute '{current}' × constant [in,out] matrix (a constant first operand is not supported)");
        var (outputs, inputs, w) = Matrix(Const(node.Input[1], label), transposed: true, label);
        StartLayer(new PendingLayer(outputs, inputs, w, null, label));
    }

    /// <summary>The bias of a MatMul layer; the constant may be either operand.</summary>
    private void Add(NodeProto node, string label, string current)
    {
        string? other = OtherOperand(node, current, label);
        if (_pending is null || _pending.Activation is not null)
            throw Bad($"Add at node {label} does not follow a MatMul or Gemm layer (only a layer's bias is supported)");
        if (_pending.Bias is not null)
            throw Bad($"Add at node {label} adds a second bias to the layer of node {_pending.Label}, which is not supported");
        _pending.Bias = Vector(Const(other, label), _pending.Outputs, label);
    }

    private void Sub(NodeProto node, string label, string current)
    {
        if (node.Input.Count != 2 || node.Input[0] != current || !IsConst(node.Input[1]))
            throw Bad($"Sub at node {label} must compute '{current}' − constant");
        RequireLeading("Sub", label);
        if (_inputShift is not null || _inputScale is not null)
            throw Bad($"Sub at node {label}: only one Sub followed by at most one Div is supported as input normalisation");
        _inputShift = Const(node.Input[1], label).Values;
    }

    private void Div(NodeProto node, string label, string current)
    {
        if (node.Input.Count != 2 || node.Input[0] != current || !IsConst(node.Input[1]))
            throw Bad($"Div at node {label} must compute '{current}' ÷ constant");
        RequireLeading("Div", label);
        if (_inputScale is not null) throw Bad($"Div at node {label}: only one Div is supported as input normalisation");
        var s = Const(node.Input[1], label).Values;
        if (s.Any(v => v == 0)) throw Bad($"Div at node {label} divides by zero");
        _inputScale = s;
    }

    private void RequireLeading(string op, string label)
    {
        if (_layers.Count > 0 || _pending is not null)
            throw Bad($"{op} at node {label} comes after a layer; only a leading input normalisation (Sub/Div by constants) is supported");
    }

    private void Activate(string op, string label, Activation activation)
    {
        if (_pending is null || _pending.Activation is not null)
            throw Bad($"{op} at node {label} does not follow a Gemm or MatMul layer");
        _pending.Activation = activation;
    }

    private void StartLayer(PendingLayer layer)
    {
        FinishPending();
        _pending = layer;
    }

    private void FinishPending()
    {
        if (_pending is null) return;
        var p = _pending;
        _pending = null;
        var w = p.Weights;
        var b = p.Bias ?? new double[p.Outputs];
        if (_layers.Count == 0 && (_inputShift is not null || _inputScale is not null))
            (w, b) = FoldInputNormalisation(p, w, b);
        try
        {
            var layer = new DenseLayer(p.Outputs, p.Inputs, w, b, p.Activation ?? Activation.Identity);
            if (_layers.Count > 0 && _layers[^1].Outputs != layer.Inputs)
                throw Bad($"layer of node {p.Label} expects {layer.Inputs} inputs but the previous layer has {_layers[^1].Outputs} outputs");
            _layers.Add(layer);
        }
        catch (ModelException e) { throw Bad($"layer of node {p.Label}: {e.Problem}"); }
    }

    /// <summary>
    /// W((x − m)/s) + b = (W/s)x + (b − W(m/s)). Each new parameter is the nearest double to its exact value
    /// (IEEE division for W/s, exact rational arithmetic then one rounding for the bias). Zeros and ones change
    /// nothing, so the usual exporters' "Sub 0" keeps the network bit for bit; otherwise a note says how many
    /// parameters were rounded, because the folded network then differs from the file by those roundings.
    /// </summary>
    private (double[] W, double[] B) FoldInputNormalisation(PendingLayer p, double[] w, double[] b)
    {
        int n = p.Inputs;
        double[] m = Broadcast(_inputShift ?? [0.0], n, "Sub");
        double[] s = Broadcast(_inputScale ?? [1.0], n, "Div");
        _inputShift = _inputScale = null;
        if (m.All(v => v == 0) && s.All(v => v == 1))
        {
            _notes.Add("leading input normalisation subtracts 0 and divides by 1: dropped (exact)");
            return (w, b);
        }
        var w2 = new double[w.Length];
        var b2 = new double[b.Length];
        int rounded = 0;
        for (int i = 0; i < p.Outputs; i++)
        {
            Rational exactBias = Rational.FromDouble(b[i]);
            for (int j = 0; j < n; j++)
            {
                double wij = w[i * n + j];
                double q = wij / s[j];
                if (!IsExactProduct(q, s[j], wij)) rounded++;
                w2[i * n + j] = q;
                if (m[j] != 0 && wij != 0)
                    exactBias -= Rational.FromDouble(wij) * Rational.FromDouble(m[j]) / Rational.FromDouble(s[j]);
            }
            b2[i] = exactBias.ToDouble();
            if (Rational.FromDouble(b2[i]) != exactBias) rounded++;
        }
        _notes.Add(rounded == 0
            ? "leading input normalisation (x − m)/s folded into layer 1 exactly"
            : $"leading input normalisation (x − m)/s folded into layer 1: {rounded} of {w.Length + b.Length} parameters rounded to the nearest double (the network differs from the file by these roundings)");
        return (w2, b2);
    }

    private double[] Broadcast(double[] v, int n, string op)
    {
        if (v.Length == n) return v;
        if (v.Length == 1) return Enumerable.Repeat(v[0], n).ToArray();
        throw Bad($"the leading {op} constant has {v.Length} entries but the first layer has {n} inputs");
    }

    private double[] Scale(double[] v, double factor, string what)
    {
        var r = new double[v.Length];
        int rounded = 0;
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = v[i] * factor;
            if (!IsExactProduct(v[i], factor, r[i])) rounded++;
        }
        _notes.Add(rounded == 0 ? $"{what} applied exactly" : $"{what} applied: {rounded} of {v.Length} products rounded to the nearest double");
        return r;
    }

    /// <summary>Whether a·b = c exactly, decided in rational arithmetic (a fused residual can underflow to 0).</summary>
    private static bool IsExactProduct(double a, double b, double c) =>
        Rational.FromDouble(a) * Rational.FromDouble(b) == Rational.FromDouble(c);

    private string OtherOperand(NodeProto node, string current, string label)
    {
        if (node.Input.Count != 2) throw Bad($"{node.OpType} at node {label} must have two inputs");
        if (node.Input[0] == current && IsConst(node.Input[1])) return node.Input[1];
        if (node.Input[1] == current && IsConst(node.Input[0])) return node.Input[0];
        throw Bad($"{node.OpType} at node {label} must combine '{current}' with a constant");
    }

    /// <summary>A 2-D weight tensor as row-major [out,in]. ONNX MatMul and Gemm without transB store [in,out].</summary>
    private (int Outputs, int Inputs, double[] W) Matrix(ConstTensor t, bool transposed, string label)
    {
        if (t.Dims.Length != 2) throw Bad($"weight tensor '{t.Name}' at node {label} has shape [{string.Join(",", t.Dims)}]; expected a matrix");
        int rows = checked((int)t.Dims[0]), cols = checked((int)t.Dims[1]);
        if (!transposed) return (rows, cols, t.Values);
        var w = new double[t.Values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                w[c * rows + r] = t.Values[r * cols + c];
        return (cols, rows, w);
    }

    private double[] Vector(ConstTensor t, int length, string label)
    {
        if (t.SqueezedDims.Length > 1) throw Bad($"bias tensor '{t.Name}' at node {label} has shape [{string.Join(",", t.Dims)}]; expected a vector");
        if (t.Values.Length == length) return t.Values;
        if (t.Values.Length == 1) return Enumerable.Repeat(t.Values[0], length).ToArray();
        throw Bad($"bias tensor '{t.Name}' at node {label} has {t.Values.Length} entries; the layer has {length} outputs");
    }

    private bool IsConst(string name) => _constProtos.ContainsKey(name);

    private ConstTensor Const(string name, string label)
    {
        if (_consts.TryGetValue(name, out var c)) return c;
        if (!_constProtos.TryGetValue(name, out var proto))
            throw Bad($"node {label} needs '{name}' to be a constant (initializer or Constant node), but it is computed");
        return _consts[name] = OnnxTensors.ToDoubles(_path, proto);
    }

    private void CheckInputShape(ValueInfoProto input)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0) return;
        long product = 1;
        foreach (var d in dims)
        {
            if (d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue <= 0) continue; // symbolic batch
            product *= d.DimValue;
        }
        int expected = _layers[0].Inputs;
        if (product != expected && product != 1)
            throw Bad($"graph input '{input.Name}' has {product} values per sample but the first layer takes {expected}");
    }

    private double FloatAttr(NodeProto node, string name, float fallback)
    {
        var a = node.Attribute.FirstOrDefault(x => x.Name == name);
        return a is null ? fallback : a.F;
    }

    private static long IntAttr(NodeProto node, string name, long fallback)
    {
        var a = node.Attribute.FirstOrDefault(x => x.Name == name);
        return a is null ? fallback : a.I;
    }

    private static string Label(NodeProto node, int index) =>
        !string.IsNullOrEmpty(node.Name) ? $"'{node.Name}'"
        : node.Output.Count > 0 ? $"#{index} (output '{node.Output[0]}')" : $"#{index}";

    private BadInputException Bad(string problem) => new(_path, problem);

    private sealed class PendingLayer(int outputs, int inputs, double[] weights, double[]? bias, string label)
    {
        public int Outputs { get; } = outputs;
        public int Inputs { get; } = inputs;
        public double[] Weights { get; } = weights;
        public double[]? Bias { get; set; } = bias;
        public Activation? Activation { get; set; }
        public string Label { get; } = label;
    }
}
