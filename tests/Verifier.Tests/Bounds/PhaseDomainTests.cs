using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Phase domains (docs/phases.md): exact replay of random and adversarial (x, δ) inside a phase domain never exceeds its
/// bound, no phase fixed is the plain linear bound exactly, and empty domains are proved empty instead of bounded.
/// </summary>
public class PhaseDomainTests
{
    internal static readonly int[][] Architectures = [[2, 4, 2], [3, 5, 4, 2], [3, 8, 8, 2], [1, 6, 6, 6, 1], [2, 6, 3]];

    internal static LinearDifferenceBounder[] Leaves() =>
    [
        new LinearDifferenceBounder(),
        new LinearDifferenceBounder { ZPrimeRows = true, OptimizeSlopes = true, OptimizedHiddenLayers = 1, SlopeIterations = 10 },
        new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = 12 },
        new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 8 },
    ];

    /// <summary>Exact nominal pre-activations of every layer at x.</summary>
    internal static Rational[][] PreActivations(Network net, double[] x)
    {
        var z = new Rational[net.Depth][];
        net.ForwardExact(x.Select(Rational.FromDouble).ToArray(), (k, pre) => z[k] = (Rational[])pre.Clone());
        return z;
    }

    /// <summary>Whether (x, θ′) lies in the phase domain: <paramref name="z"/> the nominal pre-activations at x,
    /// <paramref name="zPrime"/> the perturbed network's.</summary>
    internal static bool Satisfies(PhaseSet phases, Rational[][] z, Rational[][] zPrime) =>
        phases.Splits.All(s =>
        {
            var v = (s.Perturbed ? zPrime : z)[s.Layer][s.Neuron];
            return s.Active ? v >= Rational.Zero : v <= Rational.Zero;
        });

    /// <summary>Up to <paramref name="count"/> random splits of hidden neurons' z (or, with
    /// <paramref name="perturbed"/>, some of z′), with the phase of a random sample point (so the domain is not empty)
    /// or a random phase.</summary>
    internal static PhaseSet RandomPhases(Random rng, Network net, Box box, int count, bool perturbed = false)
    {
        var z = PreActivations(net, DeviationOracle.SampleX(rng, box, corner: false));
        var set = PhaseSet.Empty;
        for (int q = 0; q < count; q++)
        {
            int k = rng.Next(net.Depth - 1), i = rng.Next(net.Layers[k].Outputs);
            bool onPrime = perturbed && rng.Next(2) == 0;
            if (set.SignOf(k, i, onPrime) != 0) continue;
            bool active = rng.Next(3) == 0 ? rng.Next(2) == 0 : z[k][i] >= Rational.Zero;
            set = set.With(new PhaseSplit(k, i, active, onPrime));
        }
        return set;
    }

    [Test]
    public void SampledDeviationsInsideAPhaseDomainNeverExceedItsBound()
    {
        int checkedPoints = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(1000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: seed % 2 == 0, seed % 5 == 4 ? Activation.Leaky(0.125) : Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var delta = PerturbationModel.Relative(seed % 3 == 0 ? 0.3 : 1.0 / 16).ToBox(net);
            var phases = RandomPhases(rng, net, box, 1 + rng.Next(4), perturbed: seed % 2 == 1);
            var bounds = Leaves().Select(l => l.BoundPhaseDomain(net, box, delta, phases)).ToArray();
            for (int s = 0; s < 200; s++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
                var z = PreActivations(net, x);
                var y0 = DeviationOracle.Exact(net, x);
                for (int v = 0; v < 3; v++)
                {
                    var perturbedNet = DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: v != 2);
                    if (!Satisfies(phases, z, PreActivations(perturbedNet, x))) continue;
                    var y1 = DeviationOracle.Exact(perturbedNet, x);
                    for (int b = 0; b < bounds.Length; b++)
                    {
                        Assert.That(bounds[b], Is.Not.Null, $"seed {seed} leaf {b}: domain {phases} called empty but x=[{string.Join(", ", x)}] is in it");
                        DeviationOracle.AssertWithin(y0, y1, bounds[b]!.Upper, $"seed {seed} leaf {b} phases {phases}");
                    }
                    checkedPoints++;
                }
            }
        }
        Assert.That(checkedPoints, Is.GreaterThan(2000));
    }

    /// <summary>
    /// A split of z′ constrains x and δ together. y = w₂·relu(w₁x + b₁) + b₂ with w₁ = w₂ = 1, b = 0, every parameter
    /// ±0.5, x ∈ [−1, 1]: on "z′ ≤ 0" the perturbed network outputs b₂′ alone, and x = 1, δw₁ = δb₁ = δb₂ = −0.5 lies
    /// in the domain with |Δf| = 1.5; every bound must cover it, and the domain "z′ ≥ 0" must not be called empty.
    /// </summary>
    [Test]
    public void APerturbedPhaseDomainCoversItsWorstVertex()
    {
        var net = new Network([
            new DenseLayer(1, 1, [1], [0], Activation.Relu),
            new DenseLayer(1, 1, [1], [0], Activation.Identity),
        ]);
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Absolute(0.5).ToBox(net);
        var witness = net.WithLayers([net.Layers[0].With([0.5], [-0.5]), net.Layers[1].With([1], [-0.5])]);
        var dev = Rational.Abs(DeviationOracle.Exact(witness, [1])[0] - DeviationOracle.Exact(net, [1])[0]);
        Assert.That(dev, Is.EqualTo(Rational.FromDouble(1.5)));
        foreach (var leaf in Leaves())
        {
            var inactive = leaf.BoundPhaseDomain(net, box, delta, PhaseSet.Of(new PhaseSplit(0, 0, false, Perturbed: true)));
            Assert.That(inactive, Is.Not.Null);
            Assert.That(inactive!.Upper[0], Is.GreaterThanOrEqualTo(1.5));
            Assert.That(leaf.BoundPhaseDomain(net, box, delta, PhaseSet.Of(new PhaseSplit(0, 0, true, Perturbed: true))), Is.Not.Null);
        }
    }

    [Test]
    public void NoFixedPhaseIsThePlainLinearBoundExactly()
    {
        for (int seed = 0; seed < 12; seed++)
        {
            var rng = new Random(2000 + seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            var delta = PerturbationModel.Relative(0.05).ToBox(net);
            foreach (var leaf in Leaves())
                Assert.That(leaf.BoundPhaseDomain(net, box, delta, PhaseSet.Empty)!.Upper, Is.EqualTo(leaf.Bound(net, box, delta).Upper), $"seed {seed}");
        }
    }

    /// <summary>Fixing a neuron to the phase its enclosure already has changes nothing without β (no slope
    /// optimisation), and β (starting at 0, best iterate kept) can only lower the bound.</summary>
    [Test]
    public void FixingAnAlreadyStablePhaseKeepsThePlainBoundAndBetaOnlyLowersIt()
    {
        // z = x + 2 on x ∈ [−1, 1] is always active; the other neuron is unstable.
        var net = new Network([
            new DenseLayer(2, 1, [1, 1], [2, 0], Activation.Relu),
            new DenseLayer(1, 2, [1, -1], [0], Activation.Identity),
        ]);
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Relative(0.1).ToBox(net);
        var fixedActive = PhaseSet.Of(new PhaseSplit(0, 0, true));
        var plain = new LinearDifferenceBounder();
        Assert.That(plain.BoundPhaseDomain(net, box, delta, fixedActive)!.Upper, Is.EqualTo(plain.Bound(net, box, delta).Upper));
        var optimised = new LinearDifferenceBounder { OptimizeSlopes = true, SlopeIterations = 20 };
        Assert.That(optimised.BoundPhaseDomain(net, box, delta, fixedActive)!.Upper[0], Is.LessThanOrEqualTo(optimised.Bound(net, box, delta).Upper[0]));
    }

    [Test]
    public void ANeuronFixedAgainstItsOwnEnclosureIsProvedEmpty()
    {
        // z = x + 2 ≥ 1 on x ∈ [−1, 1]: "z ≤ 0" has no point.
        var net = new Network([
            new DenseLayer(2, 1, [1, 1], [2, 0], Activation.Relu),
            new DenseLayer(1, 2, [1, -1], [0], Activation.Identity),
        ]);
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Relative(0.1).ToBox(net);
        foreach (var leaf in Leaves())
            Assert.That(leaf.BoundPhaseDomain(net, box, delta, PhaseSet.Of(new PhaseSplit(0, 0, false))), Is.Null);
    }

    /// <summary>
    /// Two splits that are each satisfiable but not together — a: x ≥ 0 and b: x + 0.5 ≤ 0 — are caught only through
    /// β: the bounds of q = x − 0.2 two layers up, optimised with β, cross (q ≤ −0.7 from b, q ≥ −0.2 from a).
    /// Without β the domain is not recognised as empty, and its bound is then still a valid (vacuous) one.
    /// </summary>
    [Test]
    public void JointlyInfeasibleSplitsAreProvedEmptyByTheirMultipliers()
    {
        var net = new Network([
            new DenseLayer(3, 1, [1, 1, 1], [0, 0.5, 2], Activation.Relu),
            new DenseLayer(1, 3, [0, 0, 1], [-2.2], Activation.Relu),
            new DenseLayer(1, 1, [1], [0], Activation.Identity),
        ]);
        var box = Box.FromBounds([-1], [1]);
        var delta = PerturbationModel.Absolute(1e-3).ToBox(net);
        var both = PhaseSet.Of(new PhaseSplit(0, 0, true), new PhaseSplit(0, 1, false));
        var withBeta = new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 1, SlopeIterations = 100 };
        Assert.That(withBeta.BoundPhaseDomain(net, box, delta, both), Is.Null);
        Assert.That(new LinearDifferenceBounder().BoundPhaseDomain(net, box, delta, both), Is.Not.Null);
        // Each split alone has points: neither is called empty.
        Assert.That(withBeta.BoundPhaseDomain(net, box, delta, PhaseSet.Of(new PhaseSplit(0, 0, true))), Is.Not.Null);
        Assert.That(withBeta.BoundPhaseDomain(net, box, delta, PhaseSet.Of(new PhaseSplit(0, 1, false))), Is.Not.Null);
    }
}
