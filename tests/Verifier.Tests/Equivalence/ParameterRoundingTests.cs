using Verify.Equivalence;
using Verify.Errors;
using Verify.Model;

namespace Verify.Tests.Equivalence;

public class ParameterRoundingTests
{
    [Test]
    public void Int8IsSymmetricPerTensorWithTiesToEven()
    {
        // max |w| = 127 → s = 1, so q = round-half-even(w).
        var w = new[] { 127.0, -127.0, 2.5, 3.5, -0.5, 0.4, 200.0 / 2 };
        var r = ParameterRounding.RoundTensor(w, RoundingTarget.Int8, "w");
        Assert.That(r, Is.EqualTo(new[] { 127.0, -127.0, 2.0, 4.0, -0.0, 0.0, 100.0 }));
    }

    [Test]
    public void Int8ScalesWeightsAndBiasesSeparately()
    {
        var net = new Network([DenseLayer.FromRows([[0.5, -0.25]], [100.0], Activation.Identity)]);
        var r = ParameterRounding.Round(net, RoundingTarget.Int8).Rounded.Layers[0];
        double s = 0.5 / 127;
        Assert.That(r.W(0, 0), Is.EqualTo(127 * s));
        Assert.That(r.W(0, 1), Is.EqualTo(-64 * s)); // −0.25/s = −63.5 → −64 (even)
        Assert.That(r.B(0), Is.EqualTo(100.0));      // its own scale: exactly representable
    }

    [Test]
    public void Int8OfZeroTensorStaysZero()
    {
        Assert.That(ParameterRounding.RoundTensor(new double[3], RoundingTarget.Int8, "w"), Is.EqualTo(new double[3]));
    }

    [Test]
    public void RoundReportsMaxChangeAndKeepsArchitecture()
    {
        var net = new Network([
            DenseLayer.FromRows([[0.1, 1.0]], [1.0 / 3], Activation.Relu),
            DenseLayer.FromRows([[2.0]], [0.0], Activation.Identity)]);
        var res = ParameterRounding.Round(net, RoundingTarget.Float16);
        Assert.That(res.Rounded.Widths, Is.EqualTo(net.Widths));
        Assert.That(res.ChangedParameters, Is.EqualTo(2));
        Assert.That(res.MaxAbsChange, Is.EqualTo(1.0 / 3 - 0.333251953125).Within(1e-18));
        Assert.That(res.MaxAbsChange, Is.GreaterThanOrEqualTo(1.0 / 3 - 0.333251953125));
    }

    [Test]
    public void Float16OverflowIsAnErrorNamingTheParameter()
    {
        var net = new Network([DenseLayer.FromRows([[1e6]], [0.0], Activation.Identity)]);
        var e = Assert.Throws<ModelException>(() => ParameterRounding.Round(net, RoundingTarget.Float16));
        Assert.That(e!.Message, Does.Contain("layer 1 W[0]").And.Contain("float16"));
    }
}
