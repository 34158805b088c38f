using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>The attack's screened starts (<see cref="AlignedScreen"/>): where ascent from the centre cannot move, the
/// screen still finds a narrow region of large deviation; the other runs are untouched, so the attack never gets weaker.</summary>
public class AlignedScreenTests
{
    /// <summary>
    /// f(x) = 10·relu(1 − relu(20(x − 0.6)) − relu(−20(x − 0.6))): a bump of width 0.1 at x = 0.6 on [−1, 1], zero
    /// elsewhere by a margin that ε = 0.01 cannot close away from the bump. There Δf is about ε (the output bias); on the
    /// bump the perturbed weights move f by more than 0.1. The input gradient of Δf is zero around the centre, so the
    /// ascent from it stays there.
    /// </summary>
    private static Network Bump() => new(
    [
        new DenseLayer(2, 1, [20.0, -20.0], [-12.0, 12.0], Activation.Relu),
        new DenseLayer(1, 2, [-1.0, -1.0], [1.0], Activation.Relu),
        new DenseLayer(1, 1, [10.0], [0.0], Activation.Identity),
    ]);

    private static readonly AttackOptions CentreOnly = new() { Restarts = 1, Steps = 40, LocalSearchRounds = 0, Seed = 3 };

    [Test]
    public void TheScreenFindsANarrowBumpThatTheCentreStartMisses()
    {
        var net = Bump();
        var box = Box.FromBounds([-1.0], [1.0]);
        var delta = PerturbationModel.Absolute(0.01).ToBox(net);
        var without = new DeviationAttack(net, delta, CentreOnly with { ScreenSamples = 0 }).Run(box).Lower[0]!;
        var with = new DeviationAttack(net, delta, CentreOnly).Run(box).Lower[0]!;
        Assert.Multiple(() =>
        {
            Assert.That(without.Value, Is.LessThan(0.05), "the centre start alone should not reach the bump");
            Assert.That(with.Value, Is.GreaterThan(0.1));
            Assert.That(Math.Abs(with.Witness.X[0] - 0.6), Is.LessThan(0.05));
            Assert.That(with.Witness.Replay(net, box, delta), Is.EqualTo(with.Exact));
        });
    }

    /// <summary>A box with a fixed coordinate: the screen's pattern search leaves it alone, and the result repeats.</summary>
    [Test]
    public void ScreenedRunsStayInTheBoxAndRepeatForASeed()
    {
        var net = SearchTestNets.Random(4, false, 3, 8, 8, 2);
        var box = Box.FromBounds([-1.0, 0.0, 0.5], [1.0, 0.25, 0.5]);
        var delta = PerturbationModel.Absolute(1e-2).ToBox(net);
        var options = new AttackOptions { Restarts = 2, Steps = 30, LocalSearchRounds = 2, Seed = 5 };
        var a = new DeviationAttack(net, delta, options).Run(box).Lower;
        var b = new DeviationAttack(net, delta, options).Run(box).Lower;
        Assert.That(a.Select(l => l!.Exact), Is.EqualTo(b.Select(l => l!.Exact)));
        Assert.That(a.All(l => box.Contains(l!.Witness.X)), Is.True);
    }

    /// <summary>The screened runs have their own best point and local search, so every objective's result is at least
    /// what the attack finds without them.</summary>
    [TestCase(11)]
    [TestCase(12)]
    public void TheAttackIsNeverWeakerWithTheScreen(int seed)
    {
        var net = SearchTestNets.Random(seed, false, 3, 10, 10, 3);
        var box = SearchTestNets.Cube(3);
        var delta = PerturbationModel.Absolute(2e-2).ToBox(net);
        var options = new AttackOptions { Restarts = 4, Steps = 40, LocalSearchRounds = 3, Seed = seed };
        var without = new DeviationAttack(net, delta, options with { ScreenSamples = 0 }).Run(box).Lower;
        var with = new DeviationAttack(net, delta, options).Run(box).Lower;
        for (int j = 0; j < without.Count; j++)
            Assert.That(with[j]!.Exact, Is.GreaterThanOrEqualTo(without[j]!.Exact), $"output {j}");
    }
}
