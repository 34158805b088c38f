using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// `--split hybrid` (docs/phases.md): boxes are bisected until bisection stalls, then a box branches on its phases. Its U
/// covers every exactly replayed deviation over the whole box, with boxes forced into phase branching and proved-empty
/// domains dropped; more splits never raise it; and where no box stalls it is input splitting, bit for bit.
/// </summary>
public class HybridSplittingBounderTests
{
    /// <summary>No bisection counts as progress and the phase pass is always taken: each box turns to phase
    /// branching after one bisection, so both kinds of split run early.</summary>
    private static HybridSplittingBounder Eager(int splits, bool perturbed) => new()
    {
        MaxSplits = splits, Parallelism = 1, Timeout = TimeSpan.FromSeconds(60),
        StallRatio = 0, StallBisections = 1, PhaseGain = double.PositiveInfinity,
        PhaseLeaf = new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = 8, SplitPerturbedPhases = perturbed },
    };

    [Test]
    public void RandomAndAdversarialDeviationsNeverExceedTheHybridBound()
    {
        int phaseRoots = 0, infeasible = 0;
        int samples = DeviationOracle.AssertSplitterSound(7000, (seed, net, box, delta) =>
        {
            var search = Eager(14, perturbed: seed % 2 == 1);
            var upper = search.Run(net, box, delta).Bound.Upper;
            phaseRoots += search.LastPhaseRoots;
            infeasible += search.LastInfeasible;
            return upper;
        });
        Assert.That(samples, Is.EqualTo(3000));
        Assert.That(phaseRoots, Is.GreaterThan(30), "boxes must have turned to phase branching");
        Assert.That(infeasible, Is.GreaterThan(0), "some phase domains of these searches are empty and must have been dropped");
    }

    /// <summary>A child's bound is capped by its parent's (a box's phase root by the box's own plain bound), so the
    /// maximum over the domains never rises with a split; with no split it is the root's linear bound.</summary>
    [Test]
    public void MoreSplitsNeverRaiseTheBound() =>
        DeviationOracle.AssertMonotoneInSplits(8000, [1, 2, 4, 8, 16], (net, box, delta) => new LinearDifferenceBounder().Bound(net, box, delta).Upper,
            (seed, splits, net, box, delta) => Eager(splits, seed % 2 == 1).Run(net, box, delta).Bound.Upper);

    /// <summary>When no box can stall: the same bisections, bounds and caps as input splitting's.</summary>
    [Test]
    public void WithoutStallsItIsInputSplitting()
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var rng = new Random(9000 + seed);
            var arch = PhaseDomainTests.Architectures[seed % PhaseDomainTests.Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var delta = PerturbationModel.Absolute(1.0 / 32).ToBox(net);
            var input = new InputSplittingBounder { MaxSplits = 20, Parallelism = 1 }.Run(net, box, delta);
            var hybrid = new HybridSplittingBounder { MaxSplits = 20, Parallelism = 1, StallBisections = int.MaxValue };
            var outcome = hybrid.Run(net, box, delta);
            Assert.That(outcome.Bound.Upper, Is.EqualTo(input.Bound.Upper), $"seed {seed}");
            Assert.That(outcome.Splits, Is.EqualTo(input.Splits));
            Assert.That(hybrid.LastPhaseRoots, Is.Zero);
        }
    }

    /// <summary>The network whose two hidden neurons cannot be active together (z₁ = x, z₂ = −x − 0.5 on [−1, 1]): the
    /// whole box branching on its phases (no bisection needed to stall) finds the empty domain, and every sampled deviation stays bounded.</summary>
    [Test]
    public void AnEmptyPhaseDomainIsDropped()
    {
        var net = DeviationOracle.DisjointNeurons();
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Relative(0.01).ToBox(net);
        var search = new HybridSplittingBounder
        {
            MaxSplits = 20, Parallelism = 1, StallBisections = 0, PhaseGain = double.PositiveInfinity,
            PhaseLeaf = new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 2, SlopeIterations = 100 },
        };
        var upper = search.Run(net, box, delta).Bound.Upper;
        Assert.That(search.LastPhaseRoots, Is.GreaterThan(0));
        Assert.That(search.LastInfeasible, Is.GreaterThan(0));
        DeviationOracle.AssertVerticesWithin(net, box, delta, upper, 200, seed: 5);
    }
}
