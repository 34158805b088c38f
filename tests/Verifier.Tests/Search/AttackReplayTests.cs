using Verify.Intervals;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>The attack replays only the candidates that can still be an output's best; what it reports must be the
/// best exact replay of ALL its candidates (the same seed gives the same candidates).</summary>
public class AttackReplayTests
{
    private static readonly AttackOptions Quick = new() { Restarts = 4, Steps = 40, LocalSearchRounds = 4, Seed = 3 };

    [TestCase(1, 1e-2, false)]
    [TestCase(2, 1e-3, false)]
    [TestCase(3, 1e-2, true)]
    [TestCase(4, 0.0, false)]
    public void RunReportsTheBestExactReplayAmongAllCandidates(int seed, double eps, bool relative)
    {
        var net = SearchTestNets.Random(seed, false, 3, 8, 8, 3);
        var box = SearchTestNets.Cube(3);
        var delta = (relative ? PerturbationModel.Relative(eps) : PerturbationModel.Absolute(eps)).ToBox(net);
        var attack = new DeviationAttack(net, delta, Quick);
        var candidates = attack.Search(box, null, null, null, default, out _);
        var result = attack.Run(box);
        for (int j = 0; j < net.OutputSize; j++)
        {
            var all = candidates.Where(c => c.Output == j).Select(c => attack.Certify(c, box)).Where(l => l is not null).ToArray();
            Assert.That(all, Is.Not.Empty);
            var best = all.Select(l => l!.Exact).Max();
            Assert.That(result.Lower[j], Is.Not.Null);
            Assert.That(result.Lower[j]!.Exact, Is.EqualTo(best), $"output {j}");
            Assert.That(result.Lower[j]!.Witness.Replay(net, box, delta), Is.EqualTo(result.Lower[j]!.Exact));
        }
    }
}
