using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// The mean-value form (docs/meanvalue.md) against exact replay: random and adversarial (x, δ) — vertices of the δ-box,
/// random points, and δ aligned with the sign of ∂f_j/∂θ at x (the first-order worst case) — on random networks, boxes
/// and fixed-x boxes, absolute, relative, per-layer and masked models and norm balls. Seeds are fixed.
/// </summary>
public class MeanValueBounderTests
{
    private static readonly MeanValueBounder Alone = new() { CombineWithLinear = false };
    private static readonly MeanValueBounder IntervalOnly = new() { CombineWithLinear = false, SymbolicGradient = false };
    private static readonly MeanValueBounder Combined = new();

    private static readonly int[][] Architectures = [[2, 3, 1], [2, 4, 2], [3, 5, 4, 2], [3, 8, 8, 2], [1, 6, 6, 6, 1], [2, 6, 3]];

    private static PerturbationModel RandomModel(Random rng, int depth)
    {
        double[] epsChoices = [0, 1.0 / 4096, 1.0 / 1024, 0.01, 1.0 / 16];
        double Eps() => epsChoices[1 + rng.Next(epsChoices.Length - 1)];
        return rng.Next(5) switch
        {
            0 => PerturbationModel.Absolute(Eps()),
            1 => PerturbationModel.Relative(Eps()),
            2 => new PerturbationModel { Eps = Enumerable.Range(0, depth).Select(_ => epsChoices[rng.Next(epsChoices.Length)]).ToArray() },
            3 => new PerturbationModel { Eps = [Eps()], LayerMask = new HashSet<int> { 1 + rng.Next(depth) } },
            _ => new PerturbationModel { Eps = [Eps()], WeightsOnly = rng.Next(2) == 0, BiasesOnly = false },
        };
    }

    private static Activation RandomHidden(Random rng) => rng.Next(5) switch
    {
        0 => Activation.Leaky(0.125),
        1 => Activation.Identity,
        _ => Activation.Relu,
    };

    [Test]
    public void RandomNetworksAndBoxesNeverExceedTheMeanValueBound()
    {
        int samples = 0;
        for (int seed = 0; seed < 48; seed++)
        {
            var rng = new Random(1000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, RandomHidden(rng));
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            if (seed % 3 == 0) box = PointBox(DeviationOracle.SampleX(rng, box, corner: false)); // a fixed x
            var delta = RandomModel(rng, net.Depth).ToBox(net);
            samples += CheckAgainstReplay(rng, net, box, delta, $"seed {seed}", 30);
        }
        Assert.That(samples, Is.GreaterThanOrEqualTo(48 * 30));
    }

    [Test]
    public void BenchmarkNetworkAtAFixedInputNeverExceedsTheBound()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = PointBox([0.3, -0.2, 0.5, 0.1, -0.4]);
        foreach (var model in new[] { PerturbationModel.Absolute(1e-4), PerturbationModel.Relative(1e-3) })
            CheckAgainstReplay(new Random(3), net, box, model.ToBox(net), model.Kind.ToString(), 4);
    }

    [Test]
    public void NormBallsNeverExceedTheBound()
    {
        int admitted = 0;
        for (int seed = 0; seed < 16; seed++)
        {
            var rng = new Random(2000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = seed % 2 == 0 ? PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, arch[0]), false))
                : DeviationOracle.RandomBox(rng, arch[0]);
            var model = new PerturbationModel
            {
                Kind = PerturbationKind.NormBall, NormLayer = 1 + rng.Next(net.Depth),
                Norm = seed % 4 < 2 ? MatrixNorm.Frobenius : MatrixNorm.Spectral, Ratio = rng.Next(2) == 0 ? 0.01 : 0.2,
            };
            var delta = model.ToBox(net);
            var upper = Alone.Bound(net, box, delta).Upper;
            var interval = IntervalOnly.Bound(net, box, delta).Upper;
            for (int s = 0; s < 30; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 2 == 0);
                var perturbed = DeviationOracle.SampleBallPerturbation(rng, net, delta.Ball!, s % 3 == 0 ? 0.999 : rng.NextDouble());
                if (perturbed is null || !delta.Admits(net, perturbed)) continue;
                admitted++;
                DeviationOracle.AssertWithin(DeviationOracle.Exact(net, x), DeviationOracle.Exact(perturbed, x), upper, $"ball seed {seed}");
                DeviationOracle.AssertWithin(DeviationOracle.Exact(net, x), DeviationOracle.Exact(perturbed, x), interval, $"ball seed {seed} interval");
            }
        }
        Assert.That(admitted, Is.GreaterThan(200));
    }

    [Test]
    public void NoPerturbationGivesExactlyZero()
    {
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(3000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, RandomHidden(rng));
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var zero = (seed % 2 == 0 ? PerturbationModel.Absolute(0) : PerturbationModel.Relative(0)).ToBox(net);
            Assert.That(Alone.Bound(net, box, zero).Upper, Is.All.EqualTo(0.0), $"seed {seed}");
            Assert.That(IntervalOnly.Bound(net, box, zero).Upper, Is.All.EqualTo(0.0), $"seed {seed} interval");
        }
    }

    [Test]
    public void CombinedIsNeverLooserThanTheLinearPass()
    {
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(4000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var delta = RandomModel(rng, net.Depth).ToBox(net);
            var linear = new LinearDifferenceBounder().Bound(net, box, delta).Upper;
            var both = Combined.Bound(net, box, delta);
            var alone = Alone.Bound(net, box, delta).Upper;
            for (int j = 0; j < linear.Length; j++)
            {
                Assert.That(both.Upper[j], Is.EqualTo(Math.Min(linear[j], alone[j])), $"seed {seed} output {j}");
                Assert.That(both.DeltaLower![j], Is.LessThanOrEqualTo(both.DeltaUpper![j]), $"seed {seed} output {j}");
            }
        }
    }

    /// <summary>The enclosures of ∂f_j/∂z_k hold the exact gradient (rational arithmetic) at sampled admissible (x, θ′),
    /// symbolic and interval: the test of the backward pass itself, which the deviation bound's slack would hide.</summary>
    [Test]
    public void GradientEnclosuresHoldTheExactGradients()
    {
        int checkedPoints = 0;
        for (int seed = 0; seed < 36; seed++)
        {
            var rng = new Random(6000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, RandomHidden(rng));
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            if (seed % 3 == 0) box = PointBox(DeviationOracle.SampleX(rng, box, corner: false));
            var delta = RandomModel(rng, net.Depth).ToBox(net);
            int j = seed % net.OutputSize;
            var symbolic = Alone.GradientEnclosures(net, box, delta, j);
            var interval = IntervalOnly.GradientEnclosures(net, box, delta, j);
            for (int s = 0; s < 20; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
                var perturbed = s % 4 == 0 ? Aligned(net, delta, ParameterGradient(net, x, j), s % 8 == 0 ? 1 : -1)
                    : DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: s % 4 != 3);
                if (ExactGradient(perturbed, x, j) is not { } g) continue;
                for (int k = 0; k < g.Length; k++)
                for (int i = 0; i < g[k].Length; i++)
                {
                    foreach (var (name, e) in new[] { ("symbolic", symbolic), ("interval", interval) })
                        Assert.That(g[k][i] >= Rational.FromDouble(e[k][i].Lo) && g[k][i] <= Rational.FromDouble(e[k][i].Hi), Is.True,
                            $"seed {seed} sample {s} {name}: ∂f/∂z[{k}][{i}] = {g[k][i].ToDouble():R} outside [{e[k][i].Lo:R}, {e[k][i].Hi:R}]");
                }
                checkedPoints++;
            }
        }
        Assert.That(checkedPoints, Is.GreaterThan(500));
    }

    /// <summary>∂f_j/∂z_k of <paramref name="net"/> at x in rational arithmetic; null when a pre-activation is exactly 0.</summary>
    private static Rational[][]? ExactGradient(Network net, double[] x, int j)
    {
        var pre = new Rational[net.Depth][];
        net.ForwardExact(x.Select(Rational.FromDouble).ToArray(), (k, z) => pre[k] = z.ToArray());
        var slope = new Rational[net.Depth][];
        for (int k = 0; k < net.Depth; k++)
        {
            var kink = net.Layers[k].Activation.Operator.Kink;
            slope[k] = new Rational[pre[k].Length];
            for (int i = 0; i < pre[k].Length; i++)
            {
                if (pre[k][i].IsZero && kink.P != kink.N) return null;
                slope[k][i] = Rational.FromDouble(pre[k][i].Sign > 0 ? kink.P : kink.N);
            }
        }
        var g = new Rational[net.Depth][];
        g[^1] = Enumerable.Repeat(Rational.Zero, net.OutputSize).ToArray();
        g[^1][j] = slope[^1][j];
        for (int k = net.Depth - 1; k > 0; k--)
        {
            var L = net.Layers[k];
            g[k - 1] = new Rational[L.Inputs];
            for (int l = 0; l < L.Inputs; l++)
            {
                var sum = Rational.Zero;
                for (int i = 0; i < L.Outputs; i++)
                    if (!g[k][i].IsZero) sum += Rational.FromDouble(L.W(i, l)) * g[k][i];
                g[k - 1][l] = sum * slope[k - 1][l];
            }
        }
        return g;
    }

    /// <summary>The symbolic backward pass only intersects the interval one's enclosures, so it is never looser; on the
    /// benchmark network at a fixed x it is much tighter (measured 3.6 against 47 at ε = 1e-3), and the work cap
    /// falls back to intervals.</summary>
    [Test]
    public void SymbolicGradientIsNeverLooserAndTheWorkCapFallsBackToIntervals()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = PointBox([0.3, -0.2, 0.5, 0.1, -0.4]);
        var delta = PerturbationModel.Absolute(1e-3).ToBox(net);
        var symbolic = Alone.Bound(net, box, delta).Upper;
        var interval = IntervalOnly.Bound(net, box, delta).Upper;
        var capped = new MeanValueBounder { CombineWithLinear = false, MaxSymbolicWork = 0 }.Bound(net, box, delta).Upper;
        Assert.That(capped, Is.EqualTo(interval));
        for (int j = 0; j < symbolic.Length; j++) Assert.That(symbolic[j], Is.LessThan(interval[j] / 4), $"output {j}");
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(5000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var n = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var b = DeviationOracle.RandomBox(rng, arch[0]);
            var d = RandomModel(rng, n.Depth).ToBox(n);
            var s = Alone.Bound(n, b, d).Upper; var i = IntervalOnly.Bound(n, b, d).Upper;
            for (int j = 0; j < s.Length; j++) Assert.That(s[j], Is.LessThanOrEqualTo(i[j]), $"seed {seed} output {j}");
        }
    }

    /// <summary>At a fixed x whose neurons are far from their kinks and a tiny ε, the form is the first-order worst
    /// case ε·‖∂f_j/∂θ‖₁ up to O(ε²): tightness, so that a looser rewrite fails.</summary>
    [Test]
    public void AtAFixedInputWithTinyEpsilonTheFormIsFirstOrderTight()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0, -0.5], [0.25, 2.0], [-1.5, 1.0]], [0.5, -0.25, 0.125], Activation.Relu),
            DenseLayer.FromRows([[1.0, -2.0, 0.5], [0.75, 1.0, -1.0]], [0.0, 0.5], Activation.Relu),
            DenseLayer.FromRows([[2.0, -1.0]], [0.25], Activation.Identity),
        ]);
        double[] x = [1.0, 0.5];
        const double eps = 1e-7;
        var upper = Alone.Bound(net, PointBox(x), PerturbationModel.Absolute(eps).ToBox(net)).Upper[0];
        double firstOrder = eps * ParameterGradient(net, x, 0).Sum(g => g.Sum(Math.Abs));
        Assert.That(firstOrder, Is.GreaterThan(0));
        Assert.That(upper, Is.GreaterThanOrEqualTo(firstOrder).And.LessThanOrEqualTo(firstOrder * (1 + 1e-5)));
    }

    private static Box PointBox(double[] x) => Box.FromBounds(x, x);

    /// <summary>Samples (x, θ′) and asserts the mean-value bound and the combined bound hold exactly; returns the count.</summary>
    private static int CheckAgainstReplay(Random rng, Network net, Box box, ParameterBox delta, string context, int points)
    {
        var alone = Alone.Bound(net, box, delta).Upper;
        var interval = IntervalOnly.Bound(net, box, delta).Upper;
        var both = Combined.Bound(net, box, delta).Upper;
        int n = 0;
        for (int s = 0; s < points; s++)
        {
            var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
            var y0 = DeviationOracle.Exact(net, x);
            var candidates = new List<Network> { DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: s % 4 != 3) };
            int j = s % net.OutputSize;
            var grad = ParameterGradient(net, x, j);
            candidates.Add(Aligned(net, delta, grad, +1));
            candidates.Add(Aligned(net, delta, grad, -1));
            foreach (var perturbed in candidates)
            {
                Assert.That(delta.Admits(net, perturbed), Is.True, $"{context}: inadmissible θ′");
                var y1 = DeviationOracle.Exact(perturbed, x);
                DeviationOracle.AssertWithin(y0, y1, alone, $"{context} meanvalue alone x=[{string.Join(", ", x)}]");
                DeviationOracle.AssertWithin(y0, y1, interval, $"{context} meanvalue interval x=[{string.Join(", ", x)}]");
                DeviationOracle.AssertWithin(y0, y1, both, $"{context} meanvalue x=[{string.Join(", ", x)}]");
            }
            n++;
        }
        return n;
    }

    /// <summary>∂f_j/∂θ at (x, θ) in double arithmetic, per layer: weights row-major, then biases.</summary>
    private static double[][] ParameterGradient(Network net, double[] x, int j)
    {
        var inputs = new List<double[]> { x };
        var pre = new List<double[]>();
        var h = x;
        foreach (var L in net.Layers)
        {
            var z = new double[L.Outputs];
            L.PreActivation(h, z);
            pre.Add(z);
            h = z.Select(v => L.Activation.Operator.Apply(v)).ToArray();
            inputs.Add(h);
        }
        var grads = new double[net.Depth][];
        var g = new double[net.OutputSize];
        g[j] = net.Layers[^1].Activation.Operator.Derivative(pre[^1][j]);
        for (int k = net.Depth - 1; k >= 0; k--)
        {
            var L = net.Layers[k];
            var hk = inputs[k];
            var gr = new double[L.ParameterCount];
            for (int i = 0; i < L.Outputs; i++)
            {
                for (int l = 0; l < L.Inputs; l++) gr[i * L.Inputs + l] = g[i] * hk[l];
                gr[L.Outputs * L.Inputs + i] = g[i];
            }
            grads[k] = gr;
            if (k == 0) break;
            var next = new double[L.Inputs];
            for (int l = 0; l < L.Inputs; l++)
            {
                double s = 0;
                for (int i = 0; i < L.Outputs; i++) s += L.W(i, l) * g[i];
                next[l] = s * net.Layers[k - 1].Activation.Operator.Derivative(pre[k - 1][l]);
            }
            g = next;
        }
        return grads;
    }

    /// <summary>θ′ = θ + δ with every δ_p at the end of its (inner) interval that the sign of sign·∂f/∂θ_p points to,
    /// moved back towards θ until θ′ − θ is admissible exactly.</summary>
    private static Network Aligned(Network net, ParameterBox delta, double[][] grad, int sign)
    {
        var layers = new DenseLayer[net.Depth];
        for (int k = 0; k < net.Depth; k++)
        {
            var L = net.Layers[k]; var d = delta.Inner[k];
            var w = L.Weights.ToArray(); var b = L.Bias.ToArray();
            for (int q = 0; q < w.Length; q++) w[q] = Toward(w[q], sign * grad[k][q] >= 0 ? d.WeightHi[q] : d.WeightLo[q], d.WeightLo[q], d.WeightHi[q]);
            for (int i = 0; i < b.Length; i++) b[i] = Toward(b[i], sign * grad[k][w.Length + i] >= 0 ? d.BiasHi[i] : d.BiasLo[i], d.BiasLo[i], d.BiasHi[i]);
            layers[k] = L.With(w, b);
        }
        return net.WithLayers(layers);
    }

    private static double Toward(double theta, double offset, double lo, double hi)
    {
        if (offset == 0) return theta;
        var rt = Rational.FromDouble(theta); var rl = Rational.FromDouble(lo); var rh = Rational.FromDouble(hi);
        double t = theta + offset;
        for (int step = 0; step < 64; step++)
        {
            var diff = Rational.FromDouble(t) - rt;
            if (diff >= rl && diff <= rh) return t;
            t = t > theta ? Math.BitDecrement(t) : Math.BitIncrement(t);
        }
        return theta;
    }
}
