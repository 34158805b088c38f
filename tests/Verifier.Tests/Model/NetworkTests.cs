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
}
