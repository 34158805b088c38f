using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>Small networks and perturbation sets for the search tests.</summary>
internal static class SearchTestNets
{
    /// <summary>A random ReLU network with dyadic weights (multiples of 1/64), so exact arithmetic stays cheap.</summary>
    public static Network Random(int seed, bool nonNegativeAfterFirst = false, params int[] widths)
    {
        var rng = new Random(seed);
        var layers = new DenseLayer[widths.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            int n = widths[l + 1], m = widths[l];
            var w = new double[n * m];
            for (int k = 0; k < w.Length; k++)
            {
                double v = rng.Next(-64, 65) / 64.0;
                w[k] = nonNegativeAfterFirst && l > 0 ? Math.Abs(v) : v;
            }
            var b = new double[n];
            for (int k = 0; k < n; k++) b[k] = rng.Next(-16, 17) / 64.0;
            layers[l] = new DenseLayer(n, m, w, b, l == layers.Length - 1 ? Activation.Identity : Activation.Relu);
        }
        return new Network(layers);
    }

    public static Box Cube(int d, double r = 1) =>
        Box.FromBounds(Enumerable.Repeat(-r, d).ToArray(), Enumerable.Repeat(r, d).ToArray());

    /// <summary>|δ| ≤ ε on the last layer only (weights and biases).</summary>
    public static ParameterBox LastLayer(Network net, double eps) =>
        new PerturbationModel { Eps = [eps], LayerMask = new HashSet<int> { net.Depth } }.ToBox(net);

    public static string DataFile(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);
}
