using Verify.Intervals;
using Verify.Model;

namespace Verify.Tests.Model;

/// <summary>The exact passes against independent oracles: exact difference quotients of the forward pass, which are
/// exact derivatives for piecewise-linear networks once the step is small enough.</summary>
public class ExactPassesTests
{
    private static readonly Rational Step = new(1, 1 << 20);

    private static IReadOnlyList<IExactLayer> Net(Activation hidden) =>
    [
        new ExactLayer([[1, -1], [2, new Rational(1, 3)], [0, 1]], [0, new Rational(-1, 3), 1]) { Activation = hidden },
        new ExactLayer([[1, -2, new Rational(1, 2)]], [new Rational(1, 7)]) { Activation = Activation.Identity },
    ];

    private static Rational[] Quotient(IReadOnlyList<IExactLayer> net, Rational[] x, Rational[] v)
    {
        var f0 = ExactPasses.Forward(net, x);
        var f1 = ExactPasses.Forward(net, x.Zip(v, (a, b) => a + Step * b).ToArray());
        return f0.Zip(f1, (a, b) => (b - a) / Step).ToArray();
    }

    [Test]
    public void ForwardOfDoubleLayersIsNetworkEvaluateExact()
    {
        var layers = new[]
        {
            DenseLayer.FromRows([[0.5, -1.25], [2, 0.1]], [0.3, -0.2], Activation.Leaky(0.125)),
            DenseLayer.FromRows([[1, -3]], [0.25], Activation.Identity),
        };
        var x = new Rational[] { new(1, 3), new(-2, 5) };
        Assert.That(ExactPasses.Forward(layers, x), Is.EqualTo(new Network(layers).EvaluateExact(x)));
        Assert.That(ExactPasses.Forward(layers, x)[0].ToDouble(), Is.EqualTo(new Network(layers).Evaluate([1.0 / 3, -0.4])[0]).Within(1e-12));
    }

    [Test]
    public void RightDerivativeIsTheOneSidedQuotientAlsoOnKinks([Values(false, true)] bool leaky)
    {
        var net = Net(leaky ? Activation.Leaky(0.25) : Activation.Relu);
        // x = (1/3, 1/3) puts the first neuron on its kink (x1 − x2 = 0) and the second too (2x1 + x2/3 − 1/3 = 4/9 ≠ 0: not).
        var x = new Rational[] { new(1, 3), new(1, 3) };
        foreach (var v in new[] { new Rational[] { 1, 0 }, new Rational[] { -1, 0 }, new Rational[] { 0, 1 }, new Rational[] { 1, 1 }, new Rational[] { -1, 2 } })
            Assert.That(ExactPasses.RightDerivative(net, x, v), Is.EqualTo(Quotient(net, x, v)), $"v = ({v[0]}, {v[1]})");
    }

    [Test]
    public void JacobianOffKinksIsTheQuotientAndOnAKinkThereIsNone([Values(false, true)] bool leaky)
    {
        var net = Net(leaky ? Activation.Leaky(0.25) : Activation.Relu);
        var x = new Rational[] { new(1, 2), new(1, 5) };
        var j = ExactPasses.Jacobian(net, x, [0, 1])!;
        Assert.That(j[0][0], Is.EqualTo(Quotient(net, x, [1, 0])[0]));
        Assert.That(j[0][1], Is.EqualTo(Quotient(net, x, [0, 1])[0]));
        Assert.That(ExactPasses.Jacobian(net, [new Rational(1, 3), new Rational(1, 3)], [0, 1]), Is.Null, "on the first neuron's kink");
        Assert.That(ExactPasses.Jacobian(net, [new Rational(1, 3), new Rational(1, 3)], [1]), Is.Null, "x2 alone still crosses it");
    }
}
