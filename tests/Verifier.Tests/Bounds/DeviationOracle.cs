using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Random networks, admissible perturbed networks and exact-arithmetic deviations: the oracle every certified bound is
/// checked against. A sampled deviation above a certified U_j is a soundness bug.
/// </summary>
internal static class DeviationOracle
{
    public static Network RandomNetwork(Random rng, int[] widths, bool dyadic, Activation hidden)
    {
        var layers = new DenseLayer[widths.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            int nIn = widths[l], nOut = widths[l + 1];
            var w = new double[nIn * nOut];
            var b = new double[nOut];
            double scale = Math.Sqrt(2.0 / nIn);
            for (int k = 0; k < w.Length; k++) w[k] = Value(rng, scale, dyadic);
            for (int k = 0; k < b.Length; k++) b[k] = Value(rng, 0.3, dyadic);
            layers[l] = new DenseLayer(nOut, nIn, w, b, l == layers.Length - 1 ? Activation.Identity : hidden);
        }
        return new Network(layers);
    }

    private static double Value(Random rng, double scale, bool dyadic)
    {
        double v = (2 * rng.NextDouble() - 1) * 1.7 * scale;
        return dyadic ? Math.Round(v * 64) / 64 : v;
    }

    public static Box RandomBox(Random rng, int d)
    {
        var lo = new double[d]; var hi = new double[d];
        for (int i = 0; i < d; i++)
        {
            double c = Math.Round((2 * rng.NextDouble() - 1) * 8) / 8, r = Math.Round(rng.NextDouble() * 16 + 1) / 16;
            if (rng.Next(4) == 0) r = 0; // degenerate dimensions happen
            lo[i] = c - r; hi[i] = c + r;
        }
        return Box.FromBounds(lo, hi);
    }

    /// <summary>A point of the box: a corner, or a random point with few mantissa bits (cheap exact arithmetic).</summary>
    public static double[] SampleX(Random rng, Box box, bool corner)
    {
        var x = new double[box.Dimension];
        for (int i = 0; i < x.Length; i++)
        {
            var iv = box[i];
            if (corner) x[i] = rng.Next(2) == 0 ? iv.Lo : iv.Hi;
            else
            {
                double t = Math.Round(rng.NextDouble() * 1024) / 1024;
                x[i] = Math.Clamp(iv.Lo + t * (iv.Hi - iv.Lo), iv.Lo, iv.Hi);
            }
        }
        return x;
    }

    /// <summary>θ' with θ' − θ admissible (in the parameter box's inner box, which is the model's set up to rounding the
    /// relative radius down): at a vertex of the δ-box (each entry at lo or hi) or random inside.</summary>
    public static Network SampleBoxPerturbation(Random rng, Network net, ParameterBox delta, bool vertex)
    {
        var layers = new DenseLayer[net.Depth];
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l]; var d = delta.Inner[l];
            var w = L.Weights.ToArray(); var b = L.Bias.ToArray();
            for (int k = 0; k < w.Length; k++) w[k] = Move(rng, w[k], d.WeightLo[k], d.WeightHi[k], vertex);
            for (int k = 0; k < b.Length; k++) b[k] = Move(rng, b[k], d.BiasLo[k], d.BiasHi[k], vertex);
            layers[l] = L.With(w, b);
        }
        return net.WithLayers(layers);
    }

    /// <summary>A double θ' with exact θ' − θ ∈ [lo, hi], as close to the chosen target offset as rounding allows.</summary>
    private static double Move(Random rng, double theta, double lo, double hi, bool vertex)
    {
        if (lo == 0 && hi == 0) return theta;
        double v = vertex ? (rng.Next(2) == 0 ? lo : hi) : lo + rng.NextDouble() * (hi - lo);
        double t = theta + v;
        // Fast path: by Sterbenz's lemma t − θ is exact when t and θ have the same sign and are within a factor 2.
        if (theta != 0 && Math.Sign(t) == Math.Sign(theta) && Math.Abs(t) <= 2 * Math.Abs(theta) && Math.Abs(theta) <= 2 * Math.Abs(t))
        {
            double d = t - theta;
            if (d >= lo && d <= hi) return t;
        }
        var rl = Rational.FromDouble(lo); var rh = Rational.FromDouble(hi); var rt = Rational.FromDouble(theta);
        for (int step = 0; step < 8; step++)
        {
            var diff = Rational.FromDouble(t) - rt;
            if (diff >= rl && diff <= rh) return t;
            t = t > theta ? Math.BitDecrement(t) : Math.BitIncrement(t);
        }
        return theta;
    }

    /// <summary>θ' in the norm ball: a random direction on the ball's layer scaled to a fraction of the radius.</summary>
    public static Network? SampleBallPerturbation(Random rng, Network net, NormBall ball, double fraction)
    {
        var L = net.Layers[ball.Layer];
        var dir = new double[L.Weights.Length];
        double n2 = 0;
        for (int k = 0; k < dir.Length; k++)
        {
            dir[k] = rng.Next(3) == 0 ? 0 : 2 * rng.NextDouble() - 1;
            if (rng.Next(5) == 0) dir[k] = Math.Sign(dir[k]);
            n2 += dir[k] * dir[k];
        }
        if (n2 == 0) return null;
        double norm = ball.Norm == MatrixNorm.Frobenius
            ? Math.Sqrt(L.Weights.ToArray().Sum(x => x * x))
            : LowerSpectral(L);
        double scale = fraction * ball.Ratio * norm / Math.Sqrt(n2);
        var w = L.Weights.ToArray();
        for (int k = 0; k < w.Length; k++) w[k] += scale * dir[k];
        var layers = net.Layers.ToArray();
        layers[ball.Layer] = L.With(w);
        return net.WithLayers(layers);
    }

    private static double LowerSpectral(DenseLayer w)
    {
        var v = SpectralNorm.TopRightSingularVector(w);
        double vv = v.Sum(x => x * x), s = 0;
        for (int i = 0; i < w.Outputs; i++)
        {
            double r = 0; var row = w.Row(i);
            for (int j = 0; j < row.Length; j++) r += row[j] * v[j];
            s += r * r;
        }
        return Math.Sqrt(s / vv);
    }

    public static Rational[] Exact(Network net, double[] x) => net.EvaluateExact(x.Select(Rational.FromDouble).ToArray());

    /// <summary>
    /// A splitter's soundness over random instances: for 30 seeds from <paramref name="firstSeed"/>, a random network
    /// of <see cref="PhaseDomainTests.Architectures"/> (dyadic on even seeds, leaky ReLU on every fourth), a random box,
    /// an absolute or relative δ-box; <paramref name="bound"/> (given the seed) certifies U, and 50 sampled x (corners
    /// on even samples) each with a δ-box vertex and a random δ are replayed exactly against it. Returns the replays.
    /// </summary>
    public static int AssertSplitterSound(int firstSeed, Func<int, Network, Box, ParameterBox, double[]> bound)
    {
        int samples = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(firstSeed + seed);
            var arch = PhaseDomainTests.Architectures[seed % PhaseDomainTests.Architectures.Length];
            var net = RandomNetwork(rng, arch, dyadic: seed % 2 == 0, seed % 4 == 3 ? Activation.Leaky(0.3) : Activation.Relu);
            var box = RandomBox(rng, arch[0]);
            var delta = (seed % 3 == 0 ? PerturbationModel.Absolute(1.0 / 16) : PerturbationModel.Relative(0.3)).ToBox(net);
            var upper = bound(seed, net, box, delta);
            for (int s = 0; s < 50; s++)
            {
                var x = SampleX(rng, box, corner: s % 2 == 0);
                var y0 = Exact(net, x);
                for (int v = 0; v < 2; v++)
                {
                    AssertWithin(y0, Exact(SampleBoxPerturbation(rng, net, delta, vertex: v == 0), x), upper, $"seed {seed}");
                    samples++;
                }
            }
        }
        return samples;
    }

    /// <summary>
    /// A splitter's bound never rises with more splits (children are capped by their parents): for 6 seeds from
    /// <paramref name="firstSeed"/> (a random ReLU network, a random box, every parameter ±10 %), the search with no
    /// split equals <paramref name="root"/>, and with each of <paramref name="splitCounts"/> in turn every output's
    /// bound is at most the previous one.
    /// </summary>
    public static void AssertMonotoneInSplits(int firstSeed, int[] splitCounts, Func<Network, Box, ParameterBox, double[]> root,
                                              Func<int, int, Network, Box, ParameterBox, double[]> search)
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var rng = new Random(firstSeed + seed);
            var arch = PhaseDomainTests.Architectures[seed % PhaseDomainTests.Architectures.Length];
            var net = RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = RandomBox(rng, arch[0]);
            var delta = PerturbationModel.Relative(0.1).ToBox(net);
            double[] previous = root(net, box, delta);
            Assert.That(search(seed, 0, net, box, delta), Is.EqualTo(previous), $"seed {seed}: no split");
            foreach (int splits in splitCounts)
            {
                var upper = search(seed, splits, net, box, delta);
                for (int j = 0; j < upper.Length; j++)
                    Assert.That(upper[j], Is.LessThanOrEqualTo(previous[j]), $"seed {seed}, {splits} splits, output {j}");
                previous = upper;
            }
        }
    }

    /// <summary>Two hidden neurons that cannot be active together (z₁ = x, z₂ = −x − 0.5 on [−1, 1]): a phase search
    /// must find the empty domain.</summary>
    public static Network DisjointNeurons() => new([
        new DenseLayer(3, 1, [1, -1, 1], [0, -0.5, 2], Activation.Relu),
        new DenseLayer(2, 3, [1, 1, 0, 0, 0, 1], [0, -2.2], Activation.Relu),
        new DenseLayer(1, 2, [1, 1], [0], Activation.Identity),
    ]);

    /// <summary>Replays <paramref name="count"/> sampled x (corners on even samples), each with a δ-box vertex, exactly
    /// against <paramref name="upper"/>.</summary>
    public static void AssertVerticesWithin(Network net, Box box, ParameterBox delta, double[] upper, int count, int seed)
    {
        var rng = new Random(seed);
        for (int s = 0; s < count; s++)
        {
            var x = SampleX(rng, box, corner: s % 2 == 0);
            AssertWithin(Exact(net, x), Exact(SampleBoxPerturbation(rng, net, delta, vertex: true), x), upper, "sample " + s);
        }
    }

    /// <summary>Asserts |f_j(x;θ') − f_j(x;θ)| ≤ U_j exactly for every output.</summary>
    public static void AssertWithin(Rational[] nominal, Rational[] perturbed, double[] upper, string context)
    {
        for (int j = 0; j < upper.Length; j++)
        {
            var dev = Rational.Abs(perturbed[j] - nominal[j]);
            if (dev > Rational.FromDouble(upper[j]))
                Assert.Fail($"{context}: output {j} deviation {dev.ToDouble():R} exceeds certified U = {upper[j]:R}");
        }
    }
}
