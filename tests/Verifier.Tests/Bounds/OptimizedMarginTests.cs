using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Margins with optimised slopes (<see cref="LinearDifferenceBounder.OptimizeMargins"/>): never below the plain margins,
/// strictly above them somewhere, and never above an exactly replayed admissible (x, θ') — random or attacking.
/// </summary>
public class OptimizedMarginTests
{
    private static readonly int[][] Architectures = [[2, 6, 6, 3], [3, 8, 8, 4], [3, 5, 4, 2], [4, 10, 10, 10, 3], [2, 6, 5]];

    [Test]
    public void OptimizedMarginsAreSoundAndNeverLooserThanPlain()
    {
        int checks = 0, tighter = 0, compared = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(7000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, MarginBoundTests.RandomHidden(rng));
            var box = seed % 3 == 0 ? MarginBoundTests.PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, arch[0]), false))
                                    : DeviationOracle.RandomBox(rng, arch[0]);
            var delta = MarginBoundTests.RandomModel(rng, net.Depth).ToBox(net);
            int cls = rng.Next(net.OutputSize);
            var plain = new LinearDifferenceBounder().Margins(net, box, delta, cls);
            var optimized = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = 30 }.Margins(net, box, delta, cls);
            for (int j = 0; j < net.OutputSize; j++)
            {
                if (j == cls) continue;
                Assert.That(optimized.Lower[j], Is.GreaterThanOrEqualTo(plain.Lower[j]), $"seed {seed}: optimising never loosens a margin");
                if (plain.Lower[j] > 0) Assert.That(optimized.Lower[j], Is.EqualTo(plain.Lower[j]), $"seed {seed}: a positive margin is not re-optimised");
                else { compared++; if (optimized.Lower[j] > plain.Lower[j]) tighter++; }
            }
            checks += MarginReplay.AssertNoneBeats(net, box, delta, cls, optimized.Lower, rng, 16, $"seed {seed}");
        }
        Assert.That(checks, Is.GreaterThan(800));
        Assert.That(tighter, Is.GreaterThan(compared / 4), $"the optimiser tightened {tighter} of {compared} non-positive margins");
        TestContext.Out.WriteLine($"{checks} replays; {tighter} of {compared} non-positive margins tightened");
    }

    /// <summary>Stopping once an optimised margin stays ≤ 0: the worst margin is optimised first; every margin is either
    /// the full optimiser's or its plain bound, and a margin left plain is no lower than an optimised one that stayed
    /// ≤ 0 (so the domain's worst margin is an optimised one).</summary>
    [Test]
    public void StoppingAtTheFirstOpenMarginKeepsTheWorstOptimised()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var point = MarginBoundTests.PointBox([0.1, 0.2, -0.3, 0.4, 0.5]);
        var delta = PerturbationModel.Absolute(2e-3).ToBox(net);
        var plain = new LinearDifferenceBounder().Margins(net, point, delta, 3).Lower;
        var full = new LinearDifferenceBounder { OptimizeMargins = true }.Margins(net, point, delta, 3).Lower;
        var lazy = new LinearDifferenceBounder { OptimizeMargins = true, StopAtFirstOpenMargin = true }.Margins(net, point, delta, 3).Lower;
        var rivals = Enumerable.Range(0, 5).Where(j => j != 3).ToArray();
        int worst = rivals.MinBy(j => plain[j]);
        Assert.That(full[worst], Is.LessThanOrEqualTo(0), "the instance must leave the worst margin open");
        Assert.That(lazy[worst], Is.EqualTo(full[worst]));
        double openMin = rivals.Where(j => lazy[j] == full[j] && full[j] <= 0).Min(j => full[j]);
        int keptPlain = 0;
        foreach (int j in rivals)
        {
            Assert.That(lazy[j] == full[j] || lazy[j] == plain[j], Is.True, $"class {j}");
            if (lazy[j] != full[j]) { keptPlain++; Assert.That(plain[j], Is.GreaterThanOrEqualTo(openMin), $"class {j}"); }
        }
        Assert.That(lazy.Min(), Is.EqualTo(openMin));
        Assert.That(keptPlain, Is.GreaterThan(0), "the instance must skip some margin");
    }

    /// <summary>The deviation bound does not read <see cref="LinearDifferenceBounder.OptimizeMargins"/>.</summary>
    [Test]
    public void TheDeviationBoundIgnoresMarginOptimisation()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = Box.FromBounds([-0.1, 0.1, -0.4, 0.3, 0.4], [0.2, 0.3, -0.2, 0.5, 0.6]);
        var delta = PerturbationModel.Absolute(1e-3).ToBox(net);
        Assert.That(new LinearDifferenceBounder { OptimizeMargins = true }.Bound(net, box, delta).Upper,
            Is.EqualTo(new LinearDifferenceBounder().Bound(net, box, delta).Upper));
    }
}
