using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Verify.Io.Onnx.Proto;
using Verify.Model;

namespace Verify.Io.Onnx;

/// <summary>
/// A network run by ONNX Runtime's CPU provider (the runtime VNN-COMP checks counterexamples with): the project's
/// ONNX writer (a Gemm/Relu chain), in float64 as written or, with <paramref name="float32"/>, with every tensor and
/// value turned into FLOAT (parameters rounded to nearest) — the model a float32 deployment runs.
/// </summary>
public sealed class OnnxRuntimeSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _inputs;
    private readonly bool _float32;

    public OnnxRuntimeSession(Network net, bool float32)
    {
        _inputs = net.InputSize;
        _float32 = float32;
        var model = ModelProto.Parser.ParseFrom(new OnnxNetworkFormat().Write(net));
        if (float32)
        {
            foreach (var t in model.Graph.Initializer) ToFloat(t);
            foreach (var v in model.Graph.Input.Concat(model.Graph.Output))
                v.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
        }
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model.ToByteArray(), options);
    }

    public string Precision => _float32 ? "float32" : "float64";

    /// <summary>Outputs for a batch of points (one Gemm per layer over the whole batch, as a deployment batches).</summary>
    public double[][] Run(IReadOnlyList<double[]> points)
    {
        string name = _session.InputMetadata.Keys.Single();
        if (_float32)
        {
            var data = new float[points.Count * _inputs];
            for (int p = 0; p < points.Count; p++)
                for (int j = 0; j < _inputs; j++) data[p * _inputs + j] = (float)points[p][j];
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, [points.Count, _inputs]))]);
            var output = results.Single().AsTensor<float>();
            return Rows(points.Count, output.Dimensions[1], (p, j) => output[p, j]);
        }
        else
        {
            var data = new double[points.Count * _inputs];
            for (int p = 0; p < points.Count; p++) points[p].CopyTo(data, p * _inputs);
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(data, [points.Count, _inputs]))]);
            var output = results.Single().AsTensor<double>();
            return Rows(points.Count, output.Dimensions[1], (p, j) => output[p, j]);
        }
    }

    private static double[][] Rows(int n, int m, Func<int, int, double> at) =>
        Enumerable.Range(0, n).Select(p => Enumerable.Range(0, m).Select(j => at(p, j)).ToArray()).ToArray();

    private static void ToFloat(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Double) return;
        var raw = t.RawData.Span;
        var bytes = new byte[raw.Length / 2];
        for (int i = 0; i < raw.Length / 8; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]));
        t.DataType = (int)TensorProto.Types.DataType.Float;
        t.RawData = ByteString.CopyFrom(bytes);
    }

    public void Dispose() => _session.Dispose();
}
