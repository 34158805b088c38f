using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Phase domains whose margin optimisers start from a containing domain's optimised slopes and β
/// (<see cref="LinearDifferenceBounder.MarginsOnPhaseDomain(Network, Box, ParameterBox, int, PhaseSet, IReadOnlyDictionary{int, LinearDifferenceBounder.SlopeStart}?, out IReadOnlyDictionary{int, LinearDifferenceBounder.SlopeStart}?, CancellationToken)"/>):
/// the start is a valid point (0 steps from a domain's own reached slopes give its bound back exactly), and no exactly
/// replayed admissible (x, θ') beats a warm-started domain's margins or the warm-started search's.
/// </summary>
public class WarmStartedMarginTests
{
    private static readonly int[][] Architectures = [[2, 6, 6, 3], [3, 8, 8, 4], [3, 5, 4, 2], [4, 10, 10, 10, 3], [2, 6, 5]];

    private static (Network Net, Box Box, ParameterBox Delta, int Cls) Instance(Random rng, int seed)
    {
        var arch = Architectures[seed % Architectures.Length];
        var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, MarginBoundTests.RandomHidden(rng));
        var box = seed % 3 == 2 ? DeviationOracle.RandomBox(rng, arch[0])
                                : MarginBoundTests.PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, arch[0]), false));
        return (net, box, MarginBoundTests.RandomModel(rng, net.Depth).ToBox(net), rng.Next(net.OutputSize));
    }

    /// <summary>Random phases of hidden neurons, z or z′ (β is optimised for them): a domain that may be empty.</summary>
    private static PhaseSet RandomPhases(Random rng, Network net, int count, PhaseSet? from = null)
    {
        var phases = from ?? PhaseSet.Empty;
        for (int s = 0; s < count; s++)
        {
            int k = rng.Next(net.Depth - 1), i = rng.Next(net.Layers[k].Outputs);
            bool perturbed = rng.Next(3) > 0;
            if (phases.SignOf(k, i, perturbed) != 0) continue;
            phases = phases.With(new PhaseSplit(k, i, rng.Next(2) == 0, perturbed));
        }
        return phases;
    }

    [Test]
    public void ZeroStepsFromADomainsOwnReachedSlopesGiveItsBoundBack()
    {
        int compared = 0, withBeta = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(8300 + seed);
            var (net, box, delta, cls) = Instance(rng, seed);
            var phases = RandomPhases(rng, net, seed % 3);
            var cold = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = 10 };
            var bound = cold.MarginsOnPhaseDomain(net, box, delta, cls, phases, null, out var reached);
            if (bound is null) continue;
            var atStart = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = 10, WarmSlopeIterations = 0 }
                .MarginsOnPhaseDomain(net, box, delta, cls, phases, reached, out _);
            Assert.That(atStart, Is.Not.Null);
            for (int j = 0; j < net.OutputSize; j++)
            {
                if (j == cls) continue;
                Assert.That(atStart!.Lower[j], Is.EqualTo(bound.Lower[j]), $"seed {seed}: margin {j} at the reached slopes");
                if (bound.Lower[j] <= 0 || reached!.ContainsKey(j)) compared++;
            }
            if (phases.Splits.Any()) withBeta++;
        }
        Assert.That(compared, Is.GreaterThan(40));
        Assert.That(withBeta, Is.GreaterThan(10));
    }

    /// <summary>A tree two splits deep below the root, every domain warm-started from its parent with 0 or 3 steps: each
    /// domain never below its own plain margins, and the minimum over the leaves (which cover the box) never above an
    /// exact replay.</summary>
    [Test]
    public void WarmStartedChildMarginsAreSoundAndNeverBelowPlain()
    {
        int checks = 0, domains = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(8600 + seed);
            var (net, box, delta, cls) = Instance(rng, seed);
            var leaf = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = 10, WarmSlopeIterations = seed % 2 == 0 ? 0 : 3 };
            var root = leaf.MarginsOnPhaseDomain(net, box, delta, cls, PhaseSet.Empty, null, out var starts);
            Assert.That(root, Is.Not.Null);
            var lower = Enumerable.Repeat(double.PositiveInfinity, net.OutputSize).ToArray();
            void Bound(PhaseSet phases, IReadOnlyDictionary<int, LinearDifferenceBounder.SlopeStart>? from, int depth)
            {
                var bound = leaf.MarginsOnPhaseDomain(net, box, delta, cls, phases, from, out var reached);
                if (bound is null) return;   // an empty domain bounds nothing
                domains++;
                var plain = new LinearDifferenceBounder().MarginsOnPhaseDomain(net, box, delta, cls, phases);
                for (int j = 0; j < net.OutputSize; j++)
                    if (j != cls && plain is not null)
                        Assert.That(bound.Lower[j], Is.GreaterThanOrEqualTo(plain.Lower[j]), $"seed {seed}: warm start never loosens a plain margin");
                if (depth == 2)
                {
                    for (int j = 0; j < net.OutputSize; j++) lower[j] = Math.Min(lower[j], bound.Lower[j]);
                    return;
                }
                int k = rng.Next(net.Depth - 1), i = rng.Next(net.Layers[k].Outputs);
                bool perturbed = phases.SignOf(k, i, false) != 0 || rng.Next(3) > 0;
                if (phases.SignOf(k, i, perturbed) != 0) { Bound(phases, reached, 2); return; }
                Bound(phases.With(new PhaseSplit(k, i, true, perturbed)), reached, depth + 1);
                Bound(phases.With(new PhaseSplit(k, i, false, perturbed)), reached, depth + 1);
            }
            Bound(PhaseSet.Empty, starts, 0);
            for (int j = 0; j < net.OutputSize; j++) if (j == cls) lower[j] = double.PositiveInfinity;
            checks += MarginReplay.AssertNoneBeats(net, box, delta, cls, lower, rng, 16, $"seed {seed}");
        }
        Assert.That(domains, Is.GreaterThan(100));
        Assert.That(checks, Is.GreaterThan(600));
    }

    [Test]
    public void WarmStartedSearchIsSoundAndNeverBelowTheOptimisedRoot()
    {
        int checks = 0;
        for (int seed = 0; seed < 24; seed++)
        {
            var rng = new Random(8900 + seed);
            var (net, box, delta, cls) = Instance(rng, seed);
            var leaf = new LinearDifferenceBounder { OptimizeMargins = true, StopAtFirstOpenMargin = seed % 2 == 0, SlopeIterations = 10, WarmSlopeIterations = 3 };
            var root = leaf.Margins(net, box, delta, cls);
            var outcome = new MarginPhaseSplitting { MaxSplits = 16, Parallelism = 1, Leaf = leaf, WarmStart = true }.Run(net, box, delta, cls, CancellationToken.None);
            for (int j = 0; j < net.OutputSize; j++)
                if (j != cls) Assert.That(outcome.Lower[j], Is.GreaterThanOrEqualTo(root.Lower[j]), $"seed {seed}: branching never loosens the root");
            checks += MarginReplay.AssertNoneBeats(net, box, delta, cls, outcome.Lower, rng, 16, $"seed {seed}");
        }
        Assert.That(checks, Is.GreaterThan(800));
    }
}
