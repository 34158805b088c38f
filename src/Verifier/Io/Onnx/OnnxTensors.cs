using System.Buffers.Binary;
using Google.Protobuf;
using Verify.Errors;
using Verify.Io.Onnx.Proto;

namespace Verify.Io.Onnx;

/// <summary>A constant tensor as doubles, with its shape. Float32 values convert to double exactly.</summary>
internal sealed record ConstTensor(string Name, long[] Dims, double[] Values)
{
    public long Count => Values.Length;

    /// <summary>Dimensions other than leading/trailing 1s, so [1,5], [5] and [5,1] all read as a vector of 5.</summary>
    public long[] SqueezedDims => Dims.Where(d => d != 1).ToArray();
}

internal static class OnnxTensors
{
    public static ConstTensor ToDoubles(string path, TensorProto t)
    {
        string name = t.Name;
        if (t.HasDataLocation && t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new BadInputException(path, $"tensor '{name}' keeps its data in an external file, which is not supported");
        long expected = 1;
        foreach (var d in t.Dims)
        {
            if (d < 0) throw new BadInputException(path, $"tensor '{name}' has a negative dimension {d}");
            expected = checked(expected * d);
        }
        var type = (TensorProto.Types.DataType)t.DataType;
        double[] values = type switch
        {
            TensorProto.Types.DataType.Float => t.HasRawData
                ? Raw(path, name, t.RawData, 4, s => BinaryPrimitives.ReadSingleLittleEndian(s))
                : t.FloatData.Select(f => (double)f).ToArray(),
            TensorProto.Types.DataType.Double => t.HasRawData
                ? Raw(path, name, t.RawData, 8, s => BinaryPrimitives.ReadDoubleLittleEndian(s))
                : t.DoubleData.ToArray(),
            TensorProto.Types.DataType.Int64 => t.HasRawData
                ? Raw(path, name, t.RawData, 8, s => (double)BinaryPrimitives.ReadInt64LittleEndian(s))
                : t.Int64Data.Select(v => (double)v).ToArray(),
            TensorProto.Types.DataType.Int32 => t.HasRawData
                ? Raw(path, name, t.RawData, 4, s => (double)BinaryPrimitives.ReadInt32LittleEndian(s))
                : t.Int32Data.Select(v => (double)v).ToArray(),
            _ => throw new BadInputException(path, $"tensor '{name}' has data type {type}; only FLOAT, DOUBLE, INT32 and INT64 are supported"),
        };
        if (values.Length != expected)
            throw new BadInputException(path, $"tensor '{name}' has {values.Length} values but its shape [{string.Join(",", t.Dims)}] needs {expected}");
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new BadInputException(path, $"tensor '{name}' entry {i} is {values[i]} (not a finite number)");
        return new ConstTensor(name, t.Dims.ToArray(), values);
    }

    private delegate double Decode(ReadOnlySpan<byte> bytes);

    private static double[] Raw(string path, string name, ByteString raw, int width, Decode decode)
    {
        var span = raw.Span;
        if (span.Length % width != 0)
            throw new BadInputException(path, $"tensor '{name}' raw_data has {span.Length} bytes, not a multiple of {width}");
        var r = new double[span.Length / width];
        for (int i = 0; i < r.Length; i++) r[i] = decode(span.Slice(i * width, width));
        return r;
    }

    /// <summary>A DOUBLE tensor stored little-endian in raw_data: the compact form that keeps every bit.</summary>
    public static TensorProto FromDoubles(string name, long[] dims, ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }
}
