using Verify.Intervals;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>An attack with a wall-clock limit: with time to spare it finds and reports exactly what it does without
/// one; with none left it reports no witness rather than an unreplayed value.</summary>
public class AttackDeadlineTests
{
    private static readonly AttackOptions Quick = new() { Restarts = 4, Steps = 40, LocalSearchRounds = 4, Seed = 5 };

    [TestCase(1, 1e-2)]
    [TestCase(2, 1e-3)]
    public void AGenerousLimitReportsTheBestExactReplayAmongAllCandidates(int seed, double eps)
    {
        var net = SearchTestNets.Random(seed, false, 3, 8, 8, 3);
        var box = SearchTestNets.Cube(3);
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var attack = new DeviationAttack(net, delta, Quick);
        var candidates = attack.Search(box, null, null, null, default, out _);
        var limited = attack.Run(box, limit: TimeSpan.FromHours(1));
        for (int j = 0; j < net.OutputSize; j++)
        {
            var best = candidates.Where(c => c.Output == j).Select(c => attack.Certify(c, box))
                                 .Where(l => l is not null).Select(l => l!.Exact).Max();
            Assert.That(limited.Lower[j], Is.Not.Null, $"output {j}");
            Assert.That(limited.Lower[j]!.Exact, Is.EqualTo(best), $"output {j}");
            Assert.That(limited.Lower[j]!.Witness.Replay(net, box, delta), Is.EqualTo(limited.Lower[j]!.Exact));
        }
    }

    [Test]
    public void ALimitAlreadyPassedReportsNoWitness()
    {
        var net = SearchTestNets.Random(3, false, 3, 8, 8, 3);
        var box = SearchTestNets.Cube(3);
        var delta = PerturbationModel.Absolute(1e-2).ToBox(net);
        var r = new DeviationAttack(net, delta, Quick).Run(box, limit: TimeSpan.Zero);
        Assert.That(r.Lower, Has.All.Null);
    }

    [TestCase(1)]
    [TestCase(20)]
    public void UnderAShortLimitEveryReportedValueIsItsWitnessExactReplay(int milliseconds)
    {
        // Whatever part of the attack fits: each value reported must be the exact replay of its own witness.
        var net = SearchTestNets.Random(4, false, 6, 32, 32, 32, 4);
        var box = SearchTestNets.Cube(6);
        var delta = PerturbationModel.Relative(1e-2).ToBox(net);
        var r = new DeviationAttack(net, delta, Quick).Run(box, limit: TimeSpan.FromMilliseconds(milliseconds));
        foreach (var l in r.Lower.Where(l => l is not null))
            Assert.That(l!.Witness.Replay(net, box, delta), Is.EqualTo(l.Exact));
    }
}
