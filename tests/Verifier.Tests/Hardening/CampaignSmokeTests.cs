using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Soundness;
using Verify.Specs;

namespace Verify.Tests.Hardening;

/// <summary>
/// CI's fast version of the soundness campaign (bench/Soundness, TESTING.md): the same core at a tiny size, and a
/// check that the campaign does report a bound that is too small.
/// </summary>
public class CampaignSmokeTests
{
    [Test]
    public void TinyCampaignFindsNoViolation()
    {
        var bundled = new[] { "net_2_16_16_1.json" }.Select(f => (f, TestData.Network(f))).ToList();
        var r = Campaign.Run(new CampaignOptions { Replays = 1500, Threads = 1, EquivEvery = 2, Bundled = bundled });
        Assert.That(r.Violation, Is.Null, () => $"{r.Violation!.Check}: {r.Violation.Detail} — {r.Violation.Instance}");
        Assert.That(r.Replays, Is.GreaterThanOrEqualTo(1500));
        Assert.That(r.BySampler.Keys, Is.SupersetOf(new[] { "vertex", "interior", "aligned", "pgd" }));
        Assert.That(r.EquivVerdicts.Values.Sum(), Is.GreaterThan(0));
    }

    [Test]
    public void ABoundBelowTheTruthIsReportedWithItsInstance()
    {
        var halved = (Name: "halved linear", Bounder: (IDeviationBounder)new Halved(new LinearDifferenceBounder()));
        var r = Campaign.Run(new CampaignOptions { Replays = 3000, Threads = 1, EquivEvery = 0, Methods = [halved] });
        Assert.That(r.Violation, Is.Not.Null);
        Assert.That(r.Violation!.Check, Does.StartWith("halved linear bound"));
        Assert.That(r.Violation.X, Is.Not.Null);
    }

    [Test]
    public void FirstOrderAlignedSamplesFollowTheGradientSign()
    {
        // f(x) = 2·relu(3x − 1) at x = 1: ∂f/∂W1 = 2·x > 0, ∂f/∂b1 = 2 > 0, ∂f/∂W2 = relu(2) = 2 > 0, ∂f/∂b2 = 1.
        var net = new Network([new DenseLayer(1, 1, [3], [-1], Activation.Relu), new DenseLayer(1, 1, [2], [0], Activation.Identity)]);
        var g = Samplers.ParameterGradient(net, [1.0], 0);
        Assert.That(new[] { g[0].W[0], g[0].B[0], g[1].W[0], g[1].B[0] }, Is.EqualTo(new[] { 2.0, 2.0, 2.0, 1.0 }));
    }

    [Test]
    public void TheExactSetIsTheModelsNotTheEnclosure()
    {
        // ε·|w| is not a double: the enclosure's radius fl↑(ε·|w|) is one ulp outside the relative set.
        double w = -0.7756786842437912, eps = 0.1;
        var net = new Network([new DenseLayer(1, 1, [w], [0], Activation.Identity)]);
        var model = PerturbationModel.Relative(eps) with { WeightsOnly = true };
        var delta = model.ToBox(net);
        double r = delta.Layers[0].WeightHi[0];
        Assert.That(Rational.FromDouble(r), Is.GreaterThan(Rational.FromDouble(eps) * Rational.FromDouble(-w)));
        var exactRadius = Rational.FromDouble(eps) * Rational.FromDouble(-w);
        double t = w - r;
        while (Rational.Abs(Rational.FromDouble(t) - Rational.FromDouble(w)) <= exactRadius) t = Math.BitDecrement(t);
        var outside = net.WithLayers([net.Layers[0].With([t])]);
        var snapped = net.WithLayers([net.Layers[0].With([ExactSet.Snap(model, 0, true, w, -r)])]);
        Assert.That(ExactSet.Contains(model, delta, net, outside), Is.False);
        Assert.That(ExactSet.Contains(model, delta, net, snapped), Is.True);
        Assert.That(snapped.Layers[0].Weights[0], Is.LessThan(w));
    }

    private sealed class Halved(IDeviationBounder inner) : IDeviationBounder
    {
        public string Name => "halved";
        public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
            new(inner.Bound(network, box, delta, cancellation).Upper.Select(u => u / 2).ToArray());
    }
}
