using System.Buffers.Binary;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Verify.Io.Onnx;
using Verify.Io.Onnx.Proto;
using Verify.Model;

namespace Verify.Tests.Execution;

/// <summary>
/// A network as the float32 model a deployment would run: the project's ONNX writer (Gemm/Relu with float64
/// tensors) with every tensor and value type turned into FLOAT (parameters rounded to nearest), evaluated by ONNX
/// Runtime's CPU provider, the runtime VNN-COMP checks counterexamples with.
/// </summary>
public sealed class OnnxRuntimeFloat32 : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _inputs;

    public OnnxRuntimeFloat32(Network net)
    {
        _inputs = net.InputSize;
        var model = ModelProto.Parser.ParseFrom(new OnnxNetworkFormat().Write(net));
        foreach (var t in model.Graph.Initializer) ToFloat(t);
        foreach (var v in model.Graph.Input.Concat(model.Graph.Output))
            v.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>Outputs for a batch of points (one Gemm per layer over the whole batch, as a deployment batches).</summary>
    public float[][] Run(IReadOnlyList<double[]> points)
    {
        var data = new float[points.Count * _inputs];
        for (int p = 0; p < points.Count; p++)
            for (int j = 0; j < _inputs; j++) data[p * _inputs + j] = (float)points[p][j];
        var input = new DenseTensor<float>(data, [points.Count, _inputs]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_session.InputMetadata.Keys.Single(), input)]);
        var output = results.Single().AsTensor<float>();
        int m = output.Dimensions[1];
        return Enumerable.Range(0, points.Count).Select(p => Enumerable.Range(0, m).Select(j => output[p, j]).ToArray()).ToArray();
    }

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
