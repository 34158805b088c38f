using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// The phase-splitting search (docs/phases.md): its U covers every exactly replayed deviation over the whole box, never
/// rises with more splits, drops proved-empty domains, and with no split is the root's optimised linear bound.
/// </summary>
public class PhaseSplittingTests
{
    private static PhaseSplittingBounder Search(int splits, int iterations = 10, bool perturbed = false) => new()
    {
        MaxSplits = splits, Parallelism = 1, Timeout = TimeSpan.FromSeconds(60),
        Leaf = new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = iterations, SplitPerturbedPhases = perturbed },
    };

    [Test]
    public void RandomAndAdversarialDeviationsNeverExceedThePhaseSplittingBound()
    {
        int infeasible = 0;
        int samples = DeviationOracle.AssertSplitterSound(3000, (seed, net, box, delta) =>
        {
            var search = Search(12, perturbed: seed % 2 == 1);
            var upper = search.Run(net, box, delta).Bound.Upper;
            infeasible += search.LastInfeasible;
            return upper;
        });
        Assert.That(samples, Is.EqualTo(3000));
        Assert.That(infeasible, Is.GreaterThan(0), "some split domains of these searches are empty and must have been dropped");
    }

    /// <summary>A child's bound is capped by its parent's, so the maximum over the domains never rises with a split;
    /// with no split it is the root's linear bound with optimised slopes.</summary>
    [Test]
    public void MoreSplitsNeverRaiseTheBound() =>
        DeviationOracle.AssertMonotoneInSplits(4000, [1, 2, 4, 8], (net, box, delta) => Search(0).Leaf.Bound(net, box, delta).Upper,
            (_, splits, net, box, delta) => Search(splits).Run(net, box, delta).Bound.Upper);

    /// <summary>On a network whose two hidden neurons cannot be active together (z₁ = x, z₂ = −x − 0.5 on
    /// [−1, 1]), the search finds the empty domain and still bounds every sampled deviation.</summary>
    [Test]
    public void ASearchDropsTheDomainItProvesEmpty()
    {
        var net = DeviationOracle.DisjointNeurons();
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Relative(0.01).ToBox(net);
        var search = new PhaseSplittingBounder
        {
            MaxSplits = 20, Parallelism = 1,
            Leaf = new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 2, SlopeIterations = 100 },
        };
        var upper = search.Run(net, box, delta).Bound.Upper;
        Assert.That(search.LastInfeasible, Is.GreaterThan(0));
        DeviationOracle.AssertVerticesWithin(net, box, delta, upper, 200, seed: 5);
    }
}
