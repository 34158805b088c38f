using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Specs;

/// <summary>ModelStar's perturbation model: |δW_l| ≤ P·(max W_l − min W_l) on the chosen layers, biases fixed. The
/// enclosure holds the exact radius, the inner box lies inside it, and both are decided here in rationals.</summary>
public class EpsOfRangeTests
{
    private static Network Net() => new([
        DenseLayer.FromRows([[0.3, -0.7], [1.1, 0.1], [0.2, 0.2]], [0.5, -0.5, 0.1], Activation.Relu),
        DenseLayer.FromRows([[1.0, -2.0, 0.25], [0.75, 0.5, -1.0]], [0.0, 0.3], Activation.Identity),
    ]);

    [TestCase(0.001)]
    [TestCase(0.1)]
    [TestCase(1.0 / 3)]
    public void EnclosureAndInnerBoxBracketTheExactRadius(double p)
    {
        var net = Net();
        var box = PerturbationModel.OfRange(p).ToBox(net);
        double[] ranges = [1.1 - -0.7, 1.0 - -2.0];
        for (int l = 0; l < 2; l++)
        {
            var exact = Rational.FromDouble(p) * (Rational.FromDouble(net.Layers[l].Weights.ToArray().Max()) - Rational.FromDouble(net.Layers[l].Weights.ToArray().Min()));
            Assert.That(exact.ToInterval().Lo, Is.EqualTo(p * ranges[l]).Within(1e-12));
            foreach (var hi in box.Layers[l].WeightHi) Assert.That(Rational.FromDouble(hi) >= exact, Is.True, "enclosure");
            foreach (var lo in box.Layers[l].WeightLo) Assert.That(Rational.FromDouble(-lo) >= exact, Is.True, "enclosure");
            foreach (var hi in box.Inner[l].WeightHi) Assert.That(Rational.FromDouble(hi) <= exact, Is.True, "inner box");
            foreach (var lo in box.Inner[l].WeightLo) Assert.That(Rational.FromDouble(-lo) <= exact, Is.True, "inner box");
            Assert.That(box.Layers[l].BiasLo.Concat(box.Layers[l].BiasHi), Is.All.EqualTo(0.0), "biases stay fixed");
        }
    }

    [Test]
    public void OnlyTheChosenLayersMove()
    {
        var box = PerturbationModel.OfRange(0.01, new HashSet<int> { 2 }).ToBox(Net());
        Assert.That(box.Layers[0].IsZero, Is.True);
        Assert.That(box.Layers[1].WeightHi, Is.All.EqualTo(Rounding.MulUp(0.01, 3.0)));
    }

    [Test]
    public void TheInnerCornerIsAdmittedAndOneUlpBeyondIsNot()
    {
        var net = Net();
        var box = PerturbationModel.OfRange(0.1).ToBox(net);
        var w = net.Layers[0].Weights.ToArray();
        w[0] += box.Inner[0].WeightHi[0];
        Assert.That(box.Admits(net, net.WithLayers([net.Layers[0].With(w), net.Layers[1]])), Is.True);
        w[0] = Math.BitIncrement(w[0] + 0.01);
        Assert.That(box.Admits(net, net.WithLayers([net.Layers[0].With(w), net.Layers[1]])), Is.False);
        var b = net.Layers[0].Bias.ToArray();
        b[0] += 1e-9;
        Assert.That(box.Admits(net, net.WithLayers([net.Layers[0].With(bias: b), net.Layers[1]])), Is.False, "a moved bias is not admitted");
    }

    [Test]
    public void BiasesOnlyIsMisuse() =>
        Assert.Throws<UsageException>(() => (PerturbationModel.OfRange(0.1) with { BiasesOnly = true, WeightsOnly = false }).ToBox(Net()));

    [Test]
    public void JsonNamesTheKind() =>
        Assert.That(PerturbationModel.OfRange(0.002, new HashSet<int> { 3 }).ToJson().ToJsonString(),
            Does.Contain("\"kind\":\"of-range\"").And.Contain("\"eps\":[0.002]").And.Contain("\"layers\":[3]"));
}
