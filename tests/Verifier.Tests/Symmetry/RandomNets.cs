using Verify.Model;

namespace Verify.Tests.Symmetry;

/// <summary>Random networks and random symmetry images of them for the symmetry tests.</summary>
internal static class RandomNets
{
    public static Network Create(Random rng, params int[] widths) => Create(rng, Activation.Relu, widths);

    public static Network Create(Random rng, Activation hidden, params int[] widths)
    {
        var layers = new DenseLayer[widths.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            int o = widths[l + 1], n = widths[l];
            var w = Enumerable.Range(0, o * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var b = Enumerable.Range(0, o).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            layers[l] = new DenseLayer(o, n, w, b, l == layers.Length - 1 ? Activation.Identity : hidden);
        }
        return new Network(layers);
    }

    public static int[] Permutation(Random rng, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(p);
        return p;
    }

    /// <summary>A random permutation and random per-neuron scaling (powers of two in [2^-6, 2^6] when pow2, else in [1/8, 8]).</summary>
    public static Network PermutedScaledCopy(Random rng, Network net, bool pow2)
    {
        var e = new Verify.Symmetry.EditableNetwork(net);
        for (int l = 0; l < e.HiddenLayerCount; l++)
        {
            e.Permute(l, Permutation(rng, e.Width(l)));
            for (int i = 0; i < e.Width(l); i++)
            {
                double c = pow2 ? Math.ScaleB(1.0, rng.Next(-6, 7)) : Math.Exp((rng.NextDouble() * 2 - 1) * Math.Log(8));
                e.Scale(l, i, c);
            }
        }
        return e.ToNetwork();
    }

    public static Network Permuted(Random rng, Network net)
    {
        var e = new Verify.Symmetry.EditableNetwork(net);
        for (int l = 0; l < e.HiddenLayerCount; l++) e.Permute(l, Permutation(rng, e.Width(l)));
        return e.ToNetwork();
    }

    /// <summary>Every parameter moved by a uniform amount in [−η, η].</summary>
    public static Network Noised(Random rng, Network net, double eta) =>
        net.WithParameters(net.Flatten().Select(x => x + (rng.NextDouble() * 2 - 1) * eta).ToArray());

    public static IEnumerable<int[]> AllPermutations(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        return Heap(p, n);
        static IEnumerable<int[]> Heap(int[] a, int k)
        {
            if (k <= 1) { yield return (int[])a.Clone(); yield break; }
            for (int i = 0; i < k; i++)
            {
                foreach (var r in Heap(a, k - 1)) yield return r;
                int j = k % 2 == 0 ? i : 0;
                (a[j], a[k - 1]) = (a[k - 1], a[j]);
            }
        }
    }
}
