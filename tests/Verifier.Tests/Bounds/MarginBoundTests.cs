using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Soundness of the certified class margins (<see cref="LinearDifferenceBounder.Margins"/> and
/// <see cref="MarginSplitting"/>): no sampled admissible (x, θ') — random, at vertices of the δ-box, or at the
/// gradient corner that attacks the margin — may have an exact margin y'_c − y'_j below the certified lower bound.
/// </summary>
public class MarginBoundTests
{
    private static readonly int[][] Architectures = [[2, 4, 3], [3, 5, 4, 2], [3, 8, 8, 3], [2, 6, 6, 4], [4, 6, 5], [1, 5, 5, 2]];

    internal static PerturbationModel RandomModel(Random rng, int depth)
    {
        double[] eps = [0, 1.0 / 1024, 0.01, 1.0 / 16, 0.2];
        double Eps() => eps[rng.Next(eps.Length)];
        return rng.Next(5) switch
        {
            0 => PerturbationModel.Absolute(Eps()),
            1 => PerturbationModel.Relative(Eps()),
            2 => PerturbationModel.OfRange(Eps()),
            3 => PerturbationModel.OfRange(Eps(), new HashSet<int> { 1 + rng.Next(depth) }),
            _ => new PerturbationModel { Eps = [Eps()], LayerMask = new HashSet<int> { 1 + rng.Next(depth) } },
        };
    }

    internal static Activation RandomHidden(Random rng) => rng.Next(4) == 0 ? Activation.Leaky(0.125) : Activation.Relu;

    [Test]
    public void RandomAndAdversarialReplaysNeverBeatACertifiedMargin()
    {
        int checks = 0, tight = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(1000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, RandomHidden(rng));
            var box = seed % 5 == 0 ? PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, arch[0]), false))
                                    : DeviationOracle.RandomBox(rng, arch[0]);
            var delta = RandomModel(rng, net.Depth).ToBox(net);
            int cls = rng.Next(net.OutputSize);
            var plain = new LinearDifferenceBounder().Margins(net, box, delta, cls);
            var split = new MarginSplitting { MaxSplits = 8, Parallelism = 1 }.Run(net, box, delta, cls, CancellationToken.None).Lower;
            for (int j = 0; j < net.OutputSize; j++)
                if (j != cls) Assert.That(split[j], Is.GreaterThanOrEqualTo(plain.Lower[j]), $"seed {seed}: splitting never loosens a margin");
            for (int s = 0; s < 24; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
                for (int j = 0; j < net.OutputSize; j++)
                {
                    if (j == cls) continue;
                    var perturbed = s % 2 == 0
                        ? MarginOracle.GradientCorner(net, delta, x, cls, j)
                        : DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: s % 4 == 1);
                    Assert.That(delta.Admits(net, perturbed), Is.True, $"seed {seed}: the oracle built an inadmissible θ'");
                    var exact = MarginOracle.Margin(perturbed, x, cls, j);
                    foreach (var (name, bound) in new[] { ("linear", plain.Lower[j]), ("split", split[j]) })
                    {
                        if (double.IsNegativeInfinity(bound)) continue;
                        Assert.That(Rational.FromDouble(bound) <= exact, Is.True,
                            $"seed {seed} {name}: certified margin {bound:R} for class {cls} vs {j} above the exact {exact.ToInterval().Lo:R} at x=[{string.Join(", ", x)}]");
                        if (exact.ToInterval().Lo - bound < 1e-6 * (1 + Math.Abs(bound))) tight++;
                    }
                    checks++;
                }
            }
        }
        Assert.That(checks, Is.GreaterThan(1500));
        TestContext.Out.WriteLine($"{checks} replays, {tight} within 1e-6 of the certified margin");
    }

    /// <summary>ε = 0 at a fixed input: the margin pass is the nominal margin up to rounding (the objective is linear in
    /// the fixed pre-activations).</summary>
    [Test]
    public void AtAPointWithoutPerturbationTheMarginIsTheNominalMargin()
    {
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(seed);
            var net = DeviationOracle.RandomNetwork(rng, [3, 8, 8, 4], dyadic: false, Activation.Relu);
            var x = DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, 3), false);
            var delta = PerturbationModel.Absolute(0).ToBox(net);
            var m = new LinearDifferenceBounder().Margins(net, PointBox(x), delta, 0);
            for (int j = 1; j < 4; j++)
            {
                double exact = MarginOracle.Margin(net, x, 0, j).ToInterval().Lo;
                Assert.That(m.Lower[j], Is.LessThanOrEqualTo(exact).And.GreaterThan(exact - 1e-9 * (1 + Math.Abs(exact))), $"seed {seed} class {j}");
            }
        }
    }

    /// <summary>Bounding the margin directly beats going through the deviations: at a fixed input the margin is at
    /// least the nominal margin minus U_c + U_j, and strictly more on this network (the perturbed outputs move together).</summary>
    [Test]
    public void TheDirectMarginIsTighterThanTwoDeviationBounds()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        double[] x = [0.1, 0.2, -0.3, 0.4, 0.5];
        var box = PointBox(x);
        var delta = PerturbationModel.Absolute(3e-4).ToBox(net);
        var linear = new LinearDifferenceBounder();
        var u = linear.Bound(net, box, delta).Upper;
        var m = linear.Margins(net, box, delta, 3);
        for (int j = 0; j < 5; j++)
        {
            if (j == 3) continue;
            double viaU = MarginOracle.Margin(net, x, 3, j).ToInterval().Lo - u[3] - u[j];
            Assert.That(m.Lower[j], Is.GreaterThan(viaU), $"class {j}");
        }
    }

    /// <summary>A probe that reports a flip stops the splitting after its round; one that never does lets it run on.</summary>
    [Test]
    public void AProbeThatFindsAFlipStopsTheSplitting()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = Box.FromBounds([-1.0, -1, -1, -1, -1], [1.0, 1, 1, 1, 1]);
        var delta = PerturbationModel.Absolute(1e-3).ToBox(net);
        var probed = new List<double[]>();
        var stopped = new MarginSplitting { MaxSplits = 40, Parallelism = 1, ProbeEvery = 1, Probe = c => { probed.Add(c); return true; } }
            .Run(net, box, delta, 0, CancellationToken.None);
        Assert.That(probed, Has.Count.EqualTo(1));
        Assert.That(box.Contains(probed[0]), Is.True);
        Assert.That(stopped.Splits, Is.EqualTo(1), "the first round splits the root only, then the probe stops it");
        int calls = 0;
        var full = new MarginSplitting { MaxSplits = 40, Parallelism = 1, ProbeEvery = 4, Probe = _ => { calls++; return false; } }
            .Run(net, box, delta, 0, CancellationToken.None);
        Assert.That(full.Splits, Is.EqualTo(40));
        Assert.That(calls, Is.GreaterThanOrEqualTo(4), "every fourth of the ≥ 16 rounds (≤ 2 splits each with one worker)");
    }

    internal static Box PointBox(double[] x) => Box.FromBounds(x, x);
}
