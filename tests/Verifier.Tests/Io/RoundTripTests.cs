using Verify.Io;
using Verify.Io.Onnx;
using Verify.Model;

namespace Verify.Tests.Io;

/// <summary>Every writer must give back the same bits for arbitrary finite doubles, subnormals and −0 included.</summary>
public class RoundTripTests
{
    private static double RandomFiniteDouble(Random rng)
    {
        while (true)
        {
            double d = rng.Next(4) switch
            {
                0 => BitConverter.Int64BitsToDouble(rng.NextInt64(long.MinValue, long.MaxValue)), // any bit pattern
                1 => BitConverter.Int64BitsToDouble(rng.NextInt64(0, 1L << 52)) * (rng.Next(2) == 0 ? 1 : -1), // subnormals
                2 => rng.NextDouble() * 2 - 1,
                _ => rng.Next(3) - 1.0 + (rng.Next(2) == 0 ? -0.0 : 0.0),
            };
            if (double.IsFinite(d)) return d;
        }
    }

    private static Network RandomNetwork(Random rng)
    {
        int depth = rng.Next(1, 4);
        var widths = Enumerable.Range(0, depth + 1).Select(_ => rng.Next(1, 6)).ToArray();
        var layers = new DenseLayer[depth];
        for (int l = 0; l < depth; l++)
        {
            var w = Enumerable.Range(0, widths[l + 1] * widths[l]).Select(_ => RandomFiniteDouble(rng)).ToArray();
            var b = Enumerable.Range(0, widths[l + 1]).Select(_ => RandomFiniteDouble(rng)).ToArray();
            layers[l] = new DenseLayer(widths[l + 1], widths[l], w, b, l == depth - 1 ? Activation.Identity : Activation.Relu);
        }
        return new Network(layers);
    }

    [Test]
    public void JsonNnetOnnxKeepEveryBitOfRandomNetworks()
    {
        var rng = new Random(20240607);
        INetworkFormat[] formats = [new JsonNetworkFormat(), new NnetNetworkFormat(), new OnnxNetworkFormat()];
        for (int trial = 0; trial < 200; trial++)
        {
            var net = RandomNetwork(rng);
            var theta = net.Flatten();
            foreach (var f in formats)
            {
                var back = f.Read("r." + f.Name, f.Write(net));
                Assert.That(back.Widths, Is.EqualTo(net.Widths), f.Name);
                Assert.That(TestFiles.SameBits(back.Flatten(), theta), $"{f.Name}, trial {trial}");
                Assert.That(back.Layers.Select(l => l.Activation), Is.EqualTo(net.Layers.Select(l => l.Activation)), f.Name);
            }
        }
    }
}
