using Verify.Model;

namespace Verify.Tests.Sensitivity;

internal static class TestNetworks
{
    /// <summary>f(x) = W x + b with identity activation: Δf = η x exactly for noise η on W.</summary>
    public static Network Linear(int outputs, int inputs, int seed)
    {
        var r = new Random(seed);
        var rows = Enumerable.Range(0, outputs).Select(_ => Enumerable.Range(0, inputs).Select(_ => Dyadic(r)).ToArray()).ToArray();
        return new Network([DenseLayer.FromRows(rows, Enumerable.Range(0, outputs).Select(_ => Dyadic(r)).ToArray(), Activation.Identity)]);
    }

    /// <summary>A small ReLU network with dyadic weights (exact in binary, so rational replay is cheap).</summary>
    public static Network Relu(int[] widths, int seed)
    {
        var r = new Random(seed);
        var layers = new List<DenseLayer>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            var rows = Enumerable.Range(0, widths[l + 1]).Select(_ => Enumerable.Range(0, widths[l]).Select(_ => Dyadic(r)).ToArray()).ToArray();
            var bias = Enumerable.Range(0, widths[l + 1]).Select(_ => Dyadic(r) / 4).ToArray();
            layers.Add(DenseLayer.FromRows(rows, bias, l + 2 == widths.Length ? Activation.Identity : Activation.Relu));
        }
        return new Network(layers);
    }

    public static double Dyadic(Random r) => Math.Round((r.NextDouble() * 2 - 1) * 256) / 256;

    public static double Norm2(IEnumerable<double> v) => Math.Sqrt(v.Sum(a => a * a));
}
