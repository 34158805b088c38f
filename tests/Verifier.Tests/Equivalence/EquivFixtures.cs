using Verify.Intervals;
using Verify.Model;

namespace Verify.Tests.Equivalence;

/// <summary>Small seeded networks and their exact or planted variants for the equivalence tests.</summary>
internal static class EquivFixtures
{
    /// <summary>A ReLU network with the given widths; weights are dyadic (multiples of 2^-8) so copies stay exact.</summary>
    public static Network Random(int seed, params int[] widths)
    {
        var rng = new Random(seed);
        var layers = new List<DenseLayer>();
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            int n = widths[l + 1], m = widths[l];
            var w = new double[n * m];
            for (int k = 0; k < w.Length; k++) w[k] = Math.Round((rng.NextDouble() * 2 - 1) * 256 * Math.Sqrt(2.0 / m)) / 256;
            var b = new double[n];
            for (int k = 0; k < n; k++) b[k] = Math.Round((rng.NextDouble() * 2 - 1) * 25.6) / 256;
            layers.Add(new DenseLayer(n, m, w, b, l + 2 == widths.Length ? Activation.Identity : Activation.Relu));
        }
        return new Network(layers);
    }

    /// <summary>
    /// The same function with hidden neurons permuted (reversed, then rotated) and each neuron's incoming weights and bias
    /// scaled by 2^e (e ∈ {−2..2}), its outgoing weights by 2^−e: exact in double.
    /// </summary>
    public static Network SymmetricCopy(Network net, int seed)
    {
        var rng = new Random(seed);
        var layers = net.Layers.ToArray();
        for (int l = 0; l + 1 < layers.Length; l++)
        {
            var L = layers[l]; var next = layers[l + 1];
            int n = L.Outputs;
            var perm = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray(); // new position of neuron i
            var exps = Enumerable.Range(0, n).Select(_ => rng.Next(-2, 3)).ToArray();
            var w = new double[n * L.Inputs]; var b = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < L.Inputs; j++) w[perm[i] * L.Inputs + j] = Math.ScaleB(L.W(i, j), exps[i]);
                b[perm[i]] = Math.ScaleB(L.B(i), exps[i]);
            }
            var wn = new double[next.Outputs * n];
            for (int o = 0; o < next.Outputs; o++)
                for (int i = 0; i < n; i++) wn[o * n + perm[i]] = Math.ScaleB(next.W(o, i), -exps[i]);
            layers[l] = L.With(w, b);
            layers[l + 1] = next.With(wn);
        }
        return net.WithLayers(layers);
    }

    /// <summary>A copy with every parameter moved by a random amount in [−size, size] (rounded to double).</summary>
    public static Network Jitter(Network net, double size, int seed)
    {
        var rng = new Random(seed);
        var theta = net.Flatten();
        for (int k = 0; k < theta.Length; k++) theta[k] += (rng.NextDouble() * 2 - 1) * size;
        return net.WithParameters(theta);
    }

    /// <summary>A copy whose output bias j is moved by <paramref name="shift"/>: |f2_j − f1_j| = |shift| everywhere.</summary>
    public static Network ShiftOutput(Network net, int j, double shift)
    {
        var last = net.Layers[^1];
        var b = last.Bias.ToArray();
        b[j] += shift;
        var layers = net.Layers.ToArray();
        layers[^1] = last.With(bias: b);
        return net.WithLayers(layers);
    }

    public static Box Cube(int d, double r) => Box.FromBounds(Enumerable.Repeat(-r, d).ToArray(), Enumerable.Repeat(r, d).ToArray());
}
