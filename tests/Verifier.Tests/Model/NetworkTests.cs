using Verify.Intervals;
using Verify.Model;

namespace Verify.Tests.Model;

public class NetworkTests
{
    private static Network Tiny() => new([
        DenseLayer.FromRows([[1.0, -1.0], [0.5, 2.0]], [0.0, -1.0], Activation.Relu),
        DenseLayer.FromRows([[1.0, -3.0]], [0.25], Activation.Identity),
    ]);

    [Test]
    public void ExactAndDoubleEvaluationAgreeOnDyadicInputs()
    {
        var net = Tiny();
        var x = new[] { 0.75, 0.5 };
        var y = net.Evaluate(x);
        var ye = net.EvaluateExact(x.Select(Rational.FromDouble).ToArray());
        // h = relu(0.25, 0.375 + 1 - 1 = 0.375) → y = 0.25 - 1.125 + 0.25 = -0.625
        Assert.That(y[0], Is.EqualTo(-0.625));
        Assert.That(ye[0], Is.EqualTo(Rational.Parse("-5/8")));
    }

    [Test]
    public void FlattenAndWithParametersRoundTrip()
    {
        var net = Tiny();
        var theta = net.Flatten();
        Assert.That(theta, Is.EqualTo(new[] { 1.0, -1.0, 0.5, 2.0, 0.0, -1.0, 1.0, -3.0, 0.25 }));
        Assert.That(net.WithParameters(theta).Flatten(), Is.EqualTo(theta));
        Assert.That(net.ParameterCount, Is.EqualTo(9));
        Assert.That(net.NeuronCount, Is.EqualTo(2));
    }

    [Test]
    public void RejectsMismatchedLayersAndNaN()
    {
        Assert.Throws<Verify.Errors.ModelException>(() => new Network([
            DenseLayer.FromRows([[1.0, 2.0]], [0.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, 2.0]], [0.0], Activation.Identity)]));
        Assert.Throws<Verify.Errors.ModelException>(() => DenseLayer.FromRows([[double.NaN]], [0.0], Activation.Relu));
    }

    [Test]
    public void ExactForwardPassShowsEveryPreActivation()
    {
        var net = Tiny();
        var seen = new List<(int, Rational[])>();
        var y = net.ForwardExact([Rational.FromDouble(0.75), Rational.FromDouble(0.5)], (l, z) => seen.Add((l, (Rational[])z.Clone())));
        Assert.That(y[0], Is.EqualTo(Rational.Parse("-5/8")));
        Assert.That(seen.Select(s => s.Item1), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(seen[0].Item2, Is.EqualTo(new[] { Rational.Parse("1/4"), Rational.Parse("3/8") }));
        Assert.That(seen[1].Item2, Is.EqualTo(new[] { Rational.Parse("-5/8") }));
    }

    [Test]
    public void AffineOperatorImagesAgree()
    {
        var layer = Tiny().Layers[0];
        var z = new double[2];
        layer.PreActivation([0.75, 0.5], z);
        Assert.That(z, Is.EqualTo(new[] { 0.25, 0.375 }));
        Assert.That(layer.PreActivationExact([Rational.FromDouble(0.75), Rational.FromDouble(0.5)]).Select(r => r.ToDouble()), Is.EqualTo(z));
        var box = layer.PreActivation([new Interval(0, 1), new Interval(0.5, 0.5)]);
        Assert.That(box, Is.EqualTo(new[] { new Interval(-0.5, 0.5), new Interval(0, 0.5) }));
        // Wᵀ·g: g = (1, 2) → (1·1 + 2·0.5, 1·(−1) + 2·2) = (2, 3).
        var back = new double[2];
        layer.Transpose([1.0, 2.0], back);
        Assert.That(back, Is.EqualTo(new[] { 2.0, 3.0 }));
        layer.Transpose([0.0, 1.0], back);
        Assert.That(back, Is.EqualTo(new[] { 0.5, 2.0 }), "the target is cleared first");
    }
}
