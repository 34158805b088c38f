using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Property-based soundness: for random networks, boxes and perturbation models, no sampled admissible (x, θ'),
/// evaluated in exact rational arithmetic, may exceed any method's certified U_j. Seeds are fixed (reproducible).
/// </summary>
public class SoundnessTests
{
    internal static IDeviationBounder[] Bounders() =>
    [
        new AnalyticBounder(),
        new IntervalDifferenceBounder(),
        new LinearDifferenceBounder(),
        new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 12 },
        // equiv's refiner: optimised hidden z rows only, stopped at stability
        new LinearDifferenceBounder
        {
            OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 12, OptimizeOutputs = false,
            OptimizeHiddenDeltas = false, StopAtStability = true,
        },
        new LinearDifferenceBounder { ZPrimeRows = true, PlaneSpreadWeight = 0 },
        new InputSplittingBounder { MaxSplits = 10, Parallelism = 1, Timeout = TimeSpan.FromSeconds(30) },
        new InputSplittingBounder { MaxSplits = 10, Parallelism = 1, Timeout = TimeSpan.FromSeconds(30), MaxBoxesWithEnclosures = 0 },
        new InputSplittingBounder
        {
            MaxSplits = 6, Parallelism = 1, Timeout = TimeSpan.FromSeconds(30),
            Leaf = new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = 6 },
        },
    ];

    private static readonly int[][] Architectures = [[2, 3, 1], [2, 4, 2], [3, 5, 4, 2], [3, 8, 8, 2], [1, 6, 6, 6, 1], [2, 6, 3]];

    private static PerturbationModel RandomBoxModel(Random rng, int depth)
    {
        double[] epsChoices = [0, 1.0 / 1024, 0.01, 1.0 / 16, 0.3];
        double Eps() => epsChoices[rng.Next(epsChoices.Length)];
        var m = rng.Next(5) switch
        {
            0 => PerturbationModel.Absolute(Eps()),
            1 => PerturbationModel.Relative(Eps()),
            2 => new PerturbationModel { Eps = Enumerable.Range(0, depth).Select(_ => Eps()).ToArray() },
            3 => new PerturbationModel { Eps = [Eps()], LayerMask = new HashSet<int> { 1 + rng.Next(depth) } },
            _ => new PerturbationModel { Eps = [Eps()], WeightsOnly = rng.Next(2) == 0 },
        };
        return rng.Next(4) == 0 && !m.WeightsOnly ? m with { BiasesOnly = true } : m;
    }

    private static Activation RandomHidden(Random rng) => rng.Next(6) switch
    {
        0 => Activation.Leaky(0.125),
        1 => Activation.Identity,
        2 => Activation.Leaky(0.3),
        _ => Activation.Relu,
    };

    [Test]
    public void RandomNetworksBoxModelsNeverExceedTheBounds()
    {
        int samples = 0;
        for (int seed = 0; seed < 48; seed++)
        {
            var rng = new Random(seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, RandomHidden(rng));
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var model = RandomBoxModel(rng, net.Depth);
            var delta = model.ToBox(net);
            var bounds = Bounders().Select(b => (b.Name, b.Bound(net, box, delta).Upper)).ToArray();
            for (int s = 0; s < 60; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
                var perturbed = DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: s % 4 != 3);
                Assert.That(delta.Admits(net, perturbed), Is.True, "sampler produced an inadmissible θ'");
                var y0 = DeviationOracle.Exact(net, x);
                var y1 = DeviationOracle.Exact(perturbed, x);
                foreach (var (name, upper) in bounds)
                    DeviationOracle.AssertWithin(y0, y1, upper, $"seed {seed} {name} x=[{string.Join(", ", x)}]");
                samples++;
            }
        }
        Assert.That(samples, Is.GreaterThanOrEqualTo(2000));
    }

    [Test]
    public void RandomNetworksNormBallsNeverExceedTheBounds()
    {
        int admitted = 0;
        for (int seed = 100; seed < 124; seed++)
        {
            var rng = new Random(seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var model = new PerturbationModel
            {
                Kind = PerturbationKind.NormBall, NormLayer = 1 + rng.Next(net.Depth),
                Norm = rng.Next(2) == 0 ? MatrixNorm.Frobenius : MatrixNorm.Spectral, Ratio = rng.Next(2) == 0 ? 0.05 : 0.5,
            };
            var delta = model.ToBox(net);
            var bounds = Bounders().Select(b => (b.Name, b.Bound(net, box, delta).Upper)).ToArray();
            for (int s = 0; s < 40; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 2 == 0);
                var perturbed = DeviationOracle.SampleBallPerturbation(rng, net, delta.Ball!, s % 3 == 0 ? 0.999 : rng.NextDouble());
                if (perturbed is null || !delta.Admits(net, perturbed)) continue;
                admitted++;
                var y0 = DeviationOracle.Exact(net, x);
                var y1 = DeviationOracle.Exact(perturbed, x);
                foreach (var (name, upper) in bounds)
                    DeviationOracle.AssertWithin(y0, y1, upper, $"seed {seed} {name}");
            }
        }
        Assert.That(admitted, Is.GreaterThan(600));
    }

    [TestCase("net_2_16_16_1.json", 1e-3, 1.0, 30)]
    [TestCase("net_2_16_16_1.json", 1e-2, 0.01, 12)]
    [TestCase("net_4_50x3_2.json", 1e-3, 1.0, 8)]
    [TestCase("net_5_50x6_5.json", 1e-2, 0.01, 5)]
    public void BenchmarkNetworksNeverExceedTheBounds(string file, double eps, double radius, int points)
    {
        var net = TestData.Network(file);
        var box = Box.FromBounds(Enumerable.Repeat(-radius, net.InputSize).ToArray(), Enumerable.Repeat(radius, net.InputSize).ToArray());
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        // analytic, ibp, linear, linear with optimised slopes (those of every layer; a few steps keep it fast)
        var bounds = Bounders().Take(3).Append(new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 4 })
            .Select(b => (b.Name, b.Bound(net, box, delta).Upper)).ToArray();
        var rng = new Random(7);
        for (int p = 0; p < points; p++)
        {
            var x = DeviationOracle.SampleX(rng, box, corner: p % 2 == 0);
            var y0 = DeviationOracle.Exact(net, x);
            for (int s = 0; s < 6; s++)
            {
                var y1 = DeviationOracle.Exact(DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: true), x);
                foreach (var (name, upper) in bounds) DeviationOracle.AssertWithin(y0, y1, upper, $"{file} {name}");
            }
        }
    }
}
