using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Phase branching on class margins (<see cref="MarginPhaseSplitting"/>, <see cref="LinearDifferenceBounder.MarginsOnPhaseDomain"/>):
/// never below the optimised root, never above an exactly replayed admissible (x, θ'), empty domains dropped rather than
/// bounded, and it certifies what the margin pass cannot.
/// </summary>
public class MarginPhaseSplittingTests
{
    private static readonly int[][] Architectures = [[2, 6, 6, 3], [3, 8, 8, 4], [3, 5, 4, 2], [4, 10, 10, 10, 3], [2, 6, 5]];

    [Test]
    public void BranchedMarginsAreSoundAndNeverBelowTheOptimisedPass()
    {
        int checks = 0, raised = 0, infeasible = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(9100 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, MarginBoundTests.RandomHidden(rng));
            var box = seed % 3 == 2 ? DeviationOracle.RandomBox(rng, arch[0])
                                    : MarginBoundTests.PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, arch[0]), false));
            var delta = MarginBoundTests.RandomModel(rng, net.Depth).ToBox(net);
            int cls = rng.Next(net.OutputSize);
            var optimized = new LinearDifferenceBounder { OptimizeMargins = true }.Margins(net, box, delta, cls);
            var outcome = new MarginPhaseSplitting { MaxSplits = 12, Parallelism = 1 }.Run(net, box, delta, cls, CancellationToken.None);
            for (int j = 0; j < net.OutputSize; j++)
            {
                if (j == cls) continue;
                Assert.That(outcome.Lower[j], Is.GreaterThanOrEqualTo(optimized.Lower[j]), $"seed {seed}: branching never loosens a margin");
                if (outcome.Lower[j] > optimized.Lower[j]) raised++;
            }
            infeasible += outcome.Infeasible;
            checks += MarginReplay.AssertNoneBeats(net, box, delta, cls, outcome.Lower, rng, 16, $"seed {seed}");
            // As certify --top1 runs it: optimising stops at the first margin that stays ≤ 0 (the rest keep plain bounds).
            var lazyLeaf = new LinearDifferenceBounder { OptimizeMargins = true, StopAtFirstOpenMargin = true, SlopeIterations = 10 };
            var lazy = new MarginPhaseSplitting { MaxSplits = 12, Parallelism = 1, Leaf = lazyLeaf }.Run(net, box, delta, cls, CancellationToken.None);
            var plain = new LinearDifferenceBounder().Margins(net, box, delta, cls);
            for (int j = 0; j < net.OutputSize; j++)
                if (j != cls) Assert.That(lazy.Lower[j], Is.GreaterThanOrEqualTo(plain.Lower[j]), $"seed {seed}: lazy branching never loosens a plain margin");
            checks += MarginReplay.AssertNoneBeats(net, box, delta, cls, lazy.Lower, rng, 8, $"seed {seed} lazy");
        }
        Assert.That(checks, Is.GreaterThan(1200));
        Assert.That(raised, Is.GreaterThan(0), "branching must raise some margin");
        TestContext.Out.WriteLine($"{checks} replays; {raised} margins raised by branching; {infeasible} empty domains dropped");
    }

    /// <summary>A hidden neuron with z = x + 1 = 1 at x = 0 and |δ| ≤ 0.01: fixing z ≤ 0, or z′ ≤ 0, leaves no point, and
    /// the domain is reported empty rather than bounded; the consistent phases give the plain domain's margins or better.</summary>
    [Test]
    public void AnEmptyPhaseDomainIsReportedNotBounded()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0], [-1.0]], [1.0, 0.5], Activation.Relu),
            DenseLayer.FromRows([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], Activation.Identity),
        ]);
        var point = MarginBoundTests.PointBox([0.0]);
        var delta = PerturbationModel.Absolute(0.01).ToBox(net);
        var leaf = new LinearDifferenceBounder { OptimizeMargins = true };
        Assert.That(leaf.MarginsOnPhaseDomain(net, point, delta, 0, PhaseSet.Of(new PhaseSplit(0, 0, false))), Is.Null);
        Assert.That(leaf.MarginsOnPhaseDomain(net, point, delta, 0, PhaseSet.Of(new PhaseSplit(0, 0, false, Perturbed: true))), Is.Null);
        var all = leaf.Margins(net, point, delta, 0);
        var active = leaf.MarginsOnPhaseDomain(net, point, delta, 0, PhaseSet.Of(new PhaseSplit(0, 0, true, Perturbed: true)));
        Assert.That(active, Is.Not.Null);
        Assert.That(active!.Lower[1], Is.GreaterThanOrEqualTo(all.Lower[1]));
    }

    /// <summary>The search meets empty domains on random boxes (a split below fixes an enclosure above on the wrong
    /// side) and drops them: the margins of the domains that remain still hold for every replay.</summary>
    [Test]
    public void TheSearchDropsEmptyDomains()
    {
        int dropped = 0;
        for (int seed = 0; seed < 30 && dropped == 0; seed++)
        {
            var rng = new Random(500 + seed);
            var net = DeviationOracle.RandomNetwork(rng, [2, 8, 8, 3], dyadic: true, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, 2);
            var delta = PerturbationModel.Absolute(1.0 / 64).ToBox(net);
            var outcome = new MarginPhaseSplitting { MaxSplits = 30, Parallelism = 1 }.Run(net, box, delta, 0, CancellationToken.None);
            dropped += outcome.Infeasible;
            if (outcome.Infeasible > 0)
                MarginReplay.AssertNoneBeats(net, box, delta, 0, outcome.Lower, rng, 24, $"seed {seed}");
        }
        Assert.That(dropped, Is.GreaterThan(0), "no search met an empty domain");
    }

    /// <summary>At x = (0.1, 0.2, −0.3, 0.4, 0.5) and ε = 5·10⁻⁴ the margin pass, optimised or not, leaves a margin
    /// ≤ 0; branching on phases certifies the class.</summary>
    [Test]
    public void BranchingCertifiesWhatTheMarginPassCannot()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var point = MarginBoundTests.PointBox([0.1, 0.2, -0.3, 0.4, 0.5]);
        var delta = PerturbationModel.Absolute(5e-4).ToBox(net);
        Assert.That(new LinearDifferenceBounder { OptimizeMargins = true }.Margins(net, point, delta, 3).Worst, Is.LessThanOrEqualTo(0));
        var outcome = new MarginPhaseSplitting { MaxSplits = 200, Parallelism = 1 }.Run(net, point, delta, 3, CancellationToken.None);
        Assert.That(outcome.Lower.Min(), Is.GreaterThan(0));
        Assert.That(outcome.OpenDomains, Is.EqualTo(0));
        Assert.That(outcome.Splits, Is.GreaterThan(0));
        MarginReplay.AssertNoneBeats(net, point, delta, 3, outcome.Lower, new Random(3), 40, "net_5_50x6_5");
    }
}
