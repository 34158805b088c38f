using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Verify.Errors;
using Verify.Io;
using Verify.Io.Onnx;
using Verify.Io.Onnx.Proto;
using Verify.Model;

namespace Verify.Tests.Io;

public class OnnxFormatTests
{
    private static readonly OnnxNetworkFormat Format = new();

    /// <summary>Builds ONNX graphs the way exporters do, with float32 tensors unless told otherwise.</summary>
    private sealed class GraphBuilder
    {
        public GraphProto Graph { get; } = new() { Name = "g" };

        public GraphBuilder(string input = "x", int width = 2)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
            Graph.Input.Add(new ValueInfoProto
            {
                Name = input,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } },
            });
        }

        public GraphBuilder Float(string name, long[] dims, float[] values, bool raw = true)
        {
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            t.Dims.Add(dims);
            if (raw)
            {
                var bytes = new byte[values.Length * 4];
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
                t.RawData = ByteString.CopyFrom(bytes);
            }
            else t.FloatData.Add(values);
            Graph.Initializer.Add(t);
            return this;
        }

        public GraphBuilder Node(string op, string name, string[] inputs, string output, params AttributeProto[] attrs)
        {
            var n = new NodeProto { OpType = op, Name = name };
            n.Input.Add(inputs);
            n.Output.Add(output);
            n.Attribute.Add(attrs);
            Graph.Node.Add(n);
            return this;
        }

        public GraphBuilder Output(string name)
        {
            Graph.Output.Add(new ValueInfoProto { Name = name });
            return this;
        }

        public byte[] Bytes()
        {
            var m = new ModelProto { IrVersion = 7, ProducerName = "test", Graph = Graph };
            m.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
            return m.ToByteArray();
        }

        public Network Read() => Format.Read("m.onnx", Bytes());
    }

    private static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    private static AttributeProto Flt(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    // W1 = [[1.5, -2], [0.25, 3]] (out×in), b1 = [0.5, -1]; W2 = [[2, -1]], b2 = [0.125].
    private static readonly float[] W1OutIn = [1.5f, -2f, 0.25f, 3f];
    private static readonly float[] W1InOut = [1.5f, 0.25f, -2f, 3f];

    private static void AssertIsTheReferenceNetwork(Network net)
    {
        Assert.That(net.Widths, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(net.Flatten(), Is.EqualTo(new[] { 1.5, -2, 0.25, 3, 0.5, -1, 2, -1, 0.125 }));
        Assert.That(net.Layers[0].Activation, Is.EqualTo(Activation.Relu));
        Assert.That(net.Layers[1].Activation, Is.EqualTo(Activation.Identity));
    }

    [Test]
    public void GemmChainWithShuffledInitializersFollowsTheGraph()
    {
        // Initializers in reverse order and with misleading names; only the node inputs say which is which.
        var net = new GraphBuilder()
            .Float("b_second", [1], [0.125f], raw: false)
            .Float("w_second", [2, 1], [2f, -1f])   // transB = 0: [in,out]
            .Float("bias_first", [2], [0.5f, -1f])
            .Float("weight_first", [2, 2], W1OutIn)  // transB = 1: [out,in]
            .Node("Flatten", "flat", ["x"], "f")
            .Node("Gemm", "fc1", ["f", "weight_first", "bias_first"], "z1", Int("transB", 1))
            .Node("Relu", "r1", ["z1"], "h1")
            .Node("Gemm", "fc2", ["h1", "w_second", "b_second"], "y")
            .Output("y").Read();
        AssertIsTheReferenceNetwork(net);
    }

    [Test]
    public void MatMulAddWithTheBiasOnEitherSideAndShapeNoOps()
    {
        var net = new GraphBuilder()
            .Float("W1", [2, 2], W1InOut)
            .Float("B1", [2], [0.5f, -1f])
            .Float("W2", [2, 1], [2f, -1f])
            .Float("B2", [1, 1], [0.125f])
            .Float("shape", [2], [1f, -1f])
            .Node("MatMul", "mm1", ["x", "W1"], "a")
            .Node("Add", "add1", ["B1", "a"], "z1")       // bias first
            .Node("Relu", "r1", ["z1"], "h1")
            .Node("Reshape", "rs", ["h1", "shape"], "h1r")
            .Node("Identity", "id", ["h1r"], "h1i")
            .Node("MatMul", "mm2", ["h1i", "W2"], "b")
            .Node("Add", "add2", ["b", "B2"], "y")        // bias second
            .Output("y").Read();
        AssertIsTheReferenceNetwork(net);
    }

    [Test]
    public void Float32ValuesConvertToDoubleExactly()
    {
        float third = 1f / 3f;
        var net = new GraphBuilder(width: 1)
            .Float("W", [1, 1], [third]).Float("B", [1], [0.1f])
            .Node("Gemm", "fc", ["x", "W", "B"], "y")
            .Output("y").Read();
        Assert.That(net.Layers[0].W(0, 0), Is.EqualTo((double)third));
        Assert.That(net.Layers[0].B(0), Is.EqualTo((double)0.1f).And.Not.EqualTo(0.1));
    }

    [Test]
    public void GemmAlphaBetaAndLeakyRelu()
    {
        var net = new GraphBuilder()
            .Float("W", [2, 2], W1OutIn).Float("B", [2], [0.5f, -1f])
            .Node("Gemm", "fc", ["x", "W", "B"], "z", Int("transB", 1), Flt("alpha", 2f), Flt("beta", 0.5f))
            .Node("LeakyRelu", "lr", ["z"], "y", Flt("alpha", 0.125f))
            .Output("y").Read();
        Assert.That(net.Layers[0].Weights.ToArray(), Is.EqualTo(new[] { 3.0, -4, 0.5, 6 }));
        Assert.That(net.Layers[0].Bias.ToArray(), Is.EqualTo(new[] { 0.25, -0.5 }));
        Assert.That(net.Layers[0].Activation, Is.EqualTo(Activation.Leaky(0.125)));
    }

    [Test]
    public void SubByZerosAndDivByOnesAreDroppedExactly()
    {
        // The VNN-COMP ACAS Xu files start with such a Sub.
        var net = new GraphBuilder()
            .Float("m", [2], [0f, 0f]).Float("s", [1], [1f])
            .Float("W1", [2, 2], W1OutIn).Float("B1", [2], [0.5f, -1f])
            .Float("W2", [1, 2], [2f, -1f]).Float("B2", [1], [0.125f])
            .Node("Sub", "sub", ["x", "m"], "xs")
            .Node("Div", "div", ["xs", "s"], "xn")
            .Node("Gemm", "fc1", ["xn", "W1", "B1"], "z1", Int("transB", 1))
            .Node("Relu", "r1", ["z1"], "h1")
            .Node("Gemm", "fc2", ["h1", "W2", "B2"], "y", Int("transB", 1))
            .Output("y").Read();
        AssertIsTheReferenceNetwork(net);
        Assert.That(Notes(net), Has.Some.Contains("dropped (exact)"));
    }

    [Test]
    public void SubDivNormalisationIsFoldedIntoTheFirstLayer()
    {
        // x ↦ (x − m)/s with m = (1, −2), s = (4, 0.5): exact in binary, so the fold is exact too.
        var net = new GraphBuilder()
            .Float("m", [2], [1f, -2f]).Float("s", [2], [4f, 0.5f])
            .Float("W1", [2, 2], W1OutIn).Float("B1", [2], [0.5f, -1f])
            .Float("W2", [1, 2], [2f, -1f]).Float("B2", [1], [0.125f])
            .Node("Sub", "sub", ["x", "m"], "xs")
            .Node("Div", "div", ["xs", "s"], "xn")
            .Node("Gemm", "fc1", ["xn", "W1", "B1"], "z1", Int("transB", 1))
            .Node("Relu", "r1", ["z1"], "h1")
            .Node("Gemm", "fc2", ["h1", "W2", "B2"], "y", Int("transB", 1))
            .Output("y").Read();
        // W' = W/s = [[0.375, -4], [0.0625, 6]]; b' = b − W'm = [0.5 − 0.375 − 8, −1 − 0.0625 + 12].
        Assert.That(net.Layers[0].Weights.ToArray(), Is.EqualTo(new[] { 0.375, -4, 0.0625, 6 }));
        Assert.That(net.Layers[0].Bias.ToArray(), Is.EqualTo(new[] { -7.875, 10.9375 }));
        Assert.That(Notes(net), Has.Some.Contains("folded into layer 1 exactly"));
        double[] x = [3.0, 1.0];
        double[] xn = [(x[0] - 1) / 4, (x[1] + 2) / 0.5];
        var reference = new Network([
            DenseLayer.FromRows([[1.5, -2], [0.25, 3]], [0.5, -1], Activation.Relu),
            DenseLayer.FromRows([[2, -1]], [0.125], Activation.Identity)]);
        Assert.That(net.Evaluate(x)[0], Is.EqualTo(reference.Evaluate(xn)[0]));
    }

    [Test]
    public void InexactFoldIsReported()
    {
        var net = new GraphBuilder(width: 1)
            .Float("s", [1], [3f]).Float("W", [1, 1], [1f]).Float("B", [1], [0f])
            .Node("Div", "div", ["x", "s"], "xn")
            .Node("Gemm", "fc", ["xn", "W", "B"], "y")
            .Output("y").Read();
        Assert.That(net.Layers[0].W(0, 0), Is.EqualTo(1.0 / 3.0));
        Assert.That(Notes(net), Has.Some.Contains("1 of 2 parameters rounded"));
    }

    private static IEnumerable<string> Notes(Network net) =>
        net.Extras.TryGetValue(OnnxNetworkFormat.ImportNotesKey, out var n) && n is JsonArray a
            ? a.Select(x => x!.GetValue<string>()) : [];

    [Test]
    public void UnsupportedOperatorIsNamedWithItsNode()
    {
        var e = Assert.Throws<BadInputException>(() => new GraphBuilder()
            .Float("K", [1, 1, 1, 1], [1f])
            .Node("Conv", "conv1", ["x", "K"], "y")
            .Output("y").Read())!;
        Assert.That(e.Message, Is.EqualTo("m.onnx: unsupported operator Conv at node 'conv1'"));
    }

    [Test]
    public void BranchingGraphsAndComputedWeightsAreRejected()
    {
        var branch = Assert.Throws<BadInputException>(() => new GraphBuilder()
            .Float("W", [2, 2], W1OutIn)
            .Node("Gemm", "a", ["x", "W"], "y1")
            .Node("Gemm", "b", ["x", "W"], "y2")
            .Output("y1").Read())!;
        Assert.That(branch.Message, Does.Contain("feeds 2 nodes"));

        var computed = Assert.Throws<BadInputException>(() => new GraphBuilder()
            .Node("Relu", "r", ["x"], "h")
            .Output("h").Read())!;
        Assert.That(computed.Message, Does.Contain("Relu at node 'r' does not follow a Gemm or MatMul layer"));
    }

    [Test]
    public void WrongTensorSizesAreReported()
    {
        var e = Assert.Throws<BadInputException>(() => new GraphBuilder()
            .Float("W", [2, 3], W1OutIn)
            .Node("Gemm", "fc", ["x", "W"], "y")
            .Output("y").Read())!;
        Assert.That(e.Message, Does.Contain("tensor 'W' has 4 values but its shape [2,3] needs 6"));
    }

    [Test]
    public void GarbageBytesAreNotAnOnnxModel()
    {
        var e = Assert.Throws<BadInputException>(() => Format.Read("junk.onnx", [0xff, 0xff, 0xff, 0x07, 0x01]))!;
        Assert.That(e.Message, Does.StartWith("junk.onnx: not"));
    }

    [Test]
    public void JsonOnnxJsonRoundTripKeepsEveryBitAndTheExtras()
    {
        var net = NetworkFiles.Read(TestFiles.Data(TestFiles.Net2));
        var back = Format.Read("w.onnx", Format.Write(net));
        Assert.That(TestFiles.SameBits(back.Flatten(), net.Flatten()));
        Assert.That(back.Widths, Is.EqualTo(net.Widths));
        Assert.That(back.Layers.Select(l => l.Activation), Is.EqualTo(net.Layers.Select(l => l.Activation)));
        Assert.That(back.Name, Is.EqualTo("net_2_16_16_1"));
        var json = new JsonNetworkFormat();
        var viaJson = json.Read("w.json", json.Write(back));
        Assert.That(TestFiles.SameBits(viaJson.Flatten(), net.Flatten()));
    }

    [Test]
    public void NnetOnnxNnetRoundTripKeepsEveryBitAndTheNormalisation()
    {
        var net = NetworkFiles.Read(TestFiles.Data(TestFiles.Acas11));
        var viaOnnx = Format.Read("w.onnx", Format.Write(net));
        var nnet = new NnetNetworkFormat();
        var back = nnet.Read("w.nnet", nnet.Write(viaOnnx));
        Assert.That(TestFiles.SameBits(viaOnnx.Flatten(), net.Flatten()));
        Assert.That(TestFiles.SameBits(back.Flatten(), net.Flatten()));
        Assert.That(back.Normalization!.OutputMean, Is.EqualTo(7.5188840201005975));
        Assert.That(TestFiles.SameBits(back.Normalization.InputRange, net.Normalization!.InputRange));
        var json = new JsonNetworkFormat();
        var viaJson = json.Read("w.json", json.Write(net));
        Assert.That(TestFiles.SameBits(viaJson.Flatten(), net.Flatten()));
        Assert.That(viaJson.Normalization!.OutputRange, Is.EqualTo(373.94992));
    }

    [Test]
    public void WrittenModelUsesTheOfficialFieldNumbers()
    {
        // Spot-check the wire tags (field number << 3 | wire type) of the fields an ONNX runtime needs.
        var net = new Network([DenseLayer.FromRows([[1.0]], [2.0], Activation.Identity)]);
        var model = ModelProto.Parser.ParseFrom(Format.Write(net));
        Assert.That(model.Graph.Initializer[0].DataType, Is.EqualTo(11), "DOUBLE");
        var tensor = model.Graph.Initializer[0].ToByteArray();
        Assert.That(tensor[0], Is.EqualTo((1 << 3) | 0), "TensorProto.dims = 1 (varint, unpacked as in proto2)");
        Assert.That(tensor, Does.Contain((byte)((2 << 3) | 0)), "TensorProto.data_type = 2");
        Assert.That(tensor, Does.Contain((byte)((9 << 3) | 2)), "TensorProto.raw_data = 9");
        var top = model.ToByteArray();
        Assert.That(top[0], Is.EqualTo((1 << 3) | 0), "ModelProto.ir_version = 1");
        Assert.That(top, Does.Contain((byte)((7 << 3) | 2)), "ModelProto.graph = 7");
        Assert.That(top, Does.Contain((byte)((8 << 3) | 2)), "ModelProto.opset_import = 8");
        var node = model.Graph.Node[0].ToByteArray();
        Assert.That(node[0], Is.EqualTo((1 << 3) | 2), "NodeProto.input = 1");
        Assert.That(node, Does.Contain((byte)((4 << 3) | 2)), "NodeProto.op_type = 4");
        Assert.That(model.Graph.Node[0].Attribute[0].ToByteArray(), Does.Contain((byte)((20 << 3) | 0) & 0xff), "AttributeProto.type = 20");
    }
}
