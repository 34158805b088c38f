using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;
using Verify.Tests.Bounds;

namespace Verify.Tests.Search;

/// <summary>The flip attack returns only flips that replay exactly (admissible θ', x in the box, margin ≤ 0), and
/// never one that contradicts a certified margin.</summary>
public class FlipAttackTests
{
    /// <summary>y = (h0 + 0.05, h1) with h = relu(x, x): class 0 by 0.05 at x = 1.</summary>
    internal static Network Hand() => new([
        DenseLayer.FromRows([[1.0], [1.0]], [0.0, 0.0], Activation.Relu),
        DenseLayer.FromRows([[1.0, 0.0], [0.0, 1.0]], [0.05, 0.0], Activation.Identity),
    ]);

    [Test]
    public void FindsTheFlipOfTheHandNetworkAndItReplays()
    {
        var net = Hand();
        var box = Box.FromBounds([1.0], [1.0]);
        var delta = PerturbationModel.Absolute(0.1).ToBox(net);
        var flip = new FlipAttack(net, box, delta, 0).Run([1.0], restarts: 2, seed: 1, CancellationToken.None);
        Assert.That(flip, Is.Not.Null);
        Assert.That(flip!.Rival, Is.EqualTo(1));
        Assert.That(flip.NominalFlip, Is.False);
        Assert.That(delta.Admits(net, flip.Perturbed), Is.True);
        Assert.That(flip.Replay(net, box, delta)!.Value.Sign, Is.LessThanOrEqualTo(0));
    }

    [Test]
    public void FindsNoFlipWhereTheMarginIsCertified()
    {
        var net = Hand();
        var box = Box.FromBounds([1.0], [1.0]);
        var delta = PerturbationModel.Absolute(0.001).ToBox(net);
        Assert.That(new LinearDifferenceBounder().Margins(net, box, delta, 0).Worst, Is.GreaterThan(0));
        Assert.That(new FlipAttack(net, box, delta, 0).Run([1.0], restarts: 4, seed: 1, CancellationToken.None), Is.Null);
    }

    [Test]
    public void RandomNetworksFlipsReplayAndNeverContradictACertifiedMargin()
    {
        int flips = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(seed);
            var net = DeviationOracle.RandomNetwork(rng, [3, 6, 6, 3], dyadic: seed % 2 == 0, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, 3);
            var delta = (seed % 3 == 0 ? PerturbationModel.OfRange(0.05) : PerturbationModel.Absolute(0.05)).ToBox(net);
            int cls = rng.Next(3);
            var flip = new FlipAttack(net, box, delta, cls).Run(box.Center, restarts: 2, seed: seed, CancellationToken.None);
            if (flip is null) continue;
            flips++;
            var margin = flip.Replay(net, box, delta);
            Assert.That(margin, Is.Not.Null, $"seed {seed}: the flip must be admissible and in the box");
            Assert.That(margin!.Value.Sign, Is.LessThanOrEqualTo(0), $"seed {seed}");
            if (flip.NominalFlip) Assert.That(flip.Perturbed, Is.SameAs(net));
            var certified = new LinearDifferenceBounder().Margins(net, box, delta, cls).Lower[flip.Rival];
            Assert.That(certified, Is.LessThanOrEqualTo(margin.Value.ToInterval().Hi), $"seed {seed}: certified margin above a replayed flip");
        }
        Assert.That(flips, Is.GreaterThan(5), "the random boxes are wide: most classes can be flipped");
    }
}
