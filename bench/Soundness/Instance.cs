using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Soundness;

/// <summary>One campaign instance: a network, an input box and a perturbation model (with its enclosing δ-box).</summary>
public sealed record Instance(int Seed, string NetworkName, Network Network, Box Box, PerturbationModel Model, ParameterBox Delta)
{
    public override string ToString() =>
        $"seed {Seed}, network {NetworkName} (widths {string.Join("-", Network.Widths)}), box {Box}, perturbation {Model.ToJson().ToJsonString()}";
}

/// <summary>
/// Draws instances from a seed: random networks (small, with zero, duplicated, huge and tiny weights mixed in) or
/// the bundled networks, random boxes, and every perturbation model certify accepts.
/// </summary>
public sealed class InstanceGenerator(IReadOnlyList<(string Name, Network Network)> bundled)
{
    private static readonly int[][] Architectures =
        [[1, 3, 1], [2, 3, 1], [2, 4, 2], [3, 5, 4, 2], [2, 6, 6, 1], [1, 6, 6, 6, 1], [4, 8, 3], [3, 8, 8, 2]];

    public Instance Create(int seed)
    {
        var rng = new Random(seed);
        // about one instance in eight uses a bundled network (their exact replays cost much more)
        bool useBundled = bundled.Count > 0 && rng.Next(8) == 0;
        var (name, net) = useBundled ? bundled[rng.Next(bundled.Count)] : RandomNetwork(rng);
        var box = useBundled ? SymmetricBox(rng, net.InputSize) : RandomBox(rng, net.InputSize);
        var model = RandomModel(rng, net);
        // Half of the norm-ball instances at a point (the box's centre), where certify reduces the ball exactly to an
        // ℓ2 ball on the layer's pre-activations; drawn from a second stream so every other instance stays as it was.
        if (model.Kind == PerturbationKind.NormBall && new Random(seed ^ 0x5bd1e995).Next(2) == 0)
        {
            var centre = box.Dimensions.ToArray().Select(i => 0.5 * i.Lo + 0.5 * i.Hi).ToArray();
            box = Box.FromBounds(centre, centre);
        }
        return new Instance(seed, name, net, box, model, model.ToBox(net));
    }

    private static (string, Network) RandomNetwork(Random rng)
    {
        var widths = Architectures[rng.Next(Architectures.Length)];
        bool dyadic = rng.Next(2) == 0;
        var hidden = rng.Next(6) switch
        {
            0 => Activation.Leaky(0.125), 1 => Activation.Identity, 2 => Activation.Leaky(0.3), _ => Activation.Relu,
        };
        var layers = new DenseLayer[widths.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            int nIn = widths[l], nOut = widths[l + 1];
            var w = new double[nIn * nOut]; var b = new double[nOut];
            double scale = Math.Sqrt(2.0 / nIn);
            for (int k = 0; k < w.Length; k++) w[k] = Value(rng, scale, dyadic);
            for (int k = 0; k < b.Length; k++) b[k] = Value(rng, 0.3, dyadic);
            // adversarial rows: a duplicated neuron, so the kinks of two neurons coincide
            if (nOut > 1 && rng.Next(4) == 0) Array.Copy(w, 0, w, nIn, nIn);
            layers[l] = new DenseLayer(nOut, nIn, w, b, l == layers.Length - 1 ? Activation.Identity : hidden);
        }
        return ($"random {string.Join("-", widths)}{(dyadic ? " dyadic" : "")} {hidden}", new Network(layers));
    }

    private static double Value(Random rng, double scale, bool dyadic) => rng.Next(40) switch
    {
        0 => 0.0,                                      // exact zeros (relative ε moves nothing)
        1 => (rng.Next(2) * 2 - 1) * 1e3,              // huge
        2 => (rng.Next(2) * 2 - 1) * 1e-12,            // tiny
        3 => (rng.Next(2) * 2 - 1) * double.Epsilon * (1 + rng.Next(1000)), // subnormal
        _ => dyadic ? Math.Round((2 * rng.NextDouble() - 1) * 1.7 * scale * 64) / 64 : (2 * rng.NextDouble() - 1) * 1.7 * scale,
    };

    private static Box RandomBox(Random rng, int d)
    {
        var lo = new double[d]; var hi = new double[d];
        for (int i = 0; i < d; i++)
        {
            double c = Math.Round((2 * rng.NextDouble() - 1) * 8) / 8, r = rng.Next(3) == 0 ? rng.NextDouble() : Math.Round(rng.NextDouble() * 16 + 1) / 16;
            if (rng.Next(5) == 0) r = 0; // degenerate dimensions
            lo[i] = c - r; hi[i] = c + r;
        }
        return Box.FromBounds(lo, hi);
    }

    private static Box SymmetricBox(Random rng, int d)
    {
        double r = new[] { 1.0, 0.1, 0.01 }[rng.Next(3)];
        return Box.FromBounds(Enumerable.Repeat(-r, d).ToArray(), Enumerable.Repeat(r, d).ToArray());
    }

    private static PerturbationModel RandomModel(Random rng, Network net)
    {
        int depth = net.Depth;
        double[] epsChoices = [0, 1e-6, 1.0 / 1024, 1e-3, 0.01, 0.1, 0.3];
        double Eps() => epsChoices[rng.Next(epsChoices.Length)];
        var m = rng.Next(7) switch
        {
            0 => PerturbationModel.Absolute(Eps()),
            1 => PerturbationModel.Relative(Eps()),
            2 => new PerturbationModel { Eps = Enumerable.Range(0, depth).Select(_ => Eps()).ToArray(), Kind = rng.Next(2) == 0 ? PerturbationKind.Relative : PerturbationKind.Absolute },
            3 => new PerturbationModel { Eps = [Eps()], LayerMask = Enumerable.Range(1, depth).Where(_ => rng.Next(2) == 0).DefaultIfEmpty(depth).ToHashSet() },
            4 => new PerturbationModel { Eps = [Eps()], WeightsOnly = true, Kind = rng.Next(2) == 0 ? PerturbationKind.Relative : PerturbationKind.Absolute },
            5 => new PerturbationModel { Eps = [Eps()], BiasesOnly = true },
            _ => new PerturbationModel
            {
                Kind = PerturbationKind.NormBall, NormLayer = 1 + rng.Next(depth),
                Norm = rng.Next(2) == 0 ? MatrixNorm.Frobenius : MatrixNorm.Spectral, Ratio = new[] { 0.001, 0.05, 0.5 }[rng.Next(3)],
            },
        };
        return m;
    }
}
