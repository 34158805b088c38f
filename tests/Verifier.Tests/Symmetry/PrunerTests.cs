using Verify.Intervals;
using Verify.Model;
using Verify.Symmetry;

namespace Verify.Tests.Symmetry;

public class PrunerTests
{
    // Neurons: 0 live, 1 dead on R^d (zero weights, bias −1), 2 zero outgoing, 3 constant relu(0.5) = 0.5.
    private static Network Net() => new([
        DenseLayer.FromRows([[1.0, -1.0], [0.0, 0.0], [2.0, 1.0], [0.0, 0.0]], [0.25, -1.0, 0.0, 0.5], Activation.Relu),
        DenseLayer.FromRows([[1.0, 5.0, 0.0, 2.0], [-1.0, 3.0, 0.0, 4.0]], [0.5, 0.0], Activation.Identity)]);

    [Test]
    public void RemovesDeadAndUselessNeuronsAndFoldsConstants()
    {
        var net = Net();
        var r = Pruner.Prune(net);
        Assert.That(r.Network.Widths, Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(r.Actions.Select(a => (a.Neuron, a.Action)),
            Is.EquivalentTo(new[] { (1, "removed"), (2, "removed"), (3, "folded") }));
        Assert.That(r.Network.Layers[1].Bias.ToArray(), Is.EqualTo(new[] { 0.5 + 2 * 0.5, 0 + 4 * 0.5 }));
        Assert.That(r.BoxDependent, Is.False);
        var rng = new Random(3);
        for (int t = 0; t < 20; t++)
        {
            var x = new[] { Rational.FromDouble(rng.NextDouble() * 10 - 5), Rational.FromDouble(rng.NextDouble() * 10 - 5) };
            Assert.That(r.Network.EvaluateExact(x), Is.EqualTo(net.EvaluateExact(x)));
        }
    }

    [Test]
    public void BoxBoundsRemoveNeuronsDeadOnTheBoxOnly()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0, 1.0], [1.0, 0.0]], [-3.0, 0.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, 1.0]], [0.0], Activation.Identity)]);
        Assert.That(Pruner.Prune(net).Network.Widths, Is.EqualTo(new[] { 2, 2, 1 }), "not dead on R^2");
        var r = Pruner.Prune(net, [0, 0], [1, 1]);
        Assert.That(r.Network.Widths, Is.EqualTo(new[] { 2, 1, 1 }));
        Assert.That(r.BoxDependent, Is.True);
        Assert.That(r.Actions.Single().Neuron, Is.EqualTo(0));
    }

    [Test]
    public void KeepsTheLastNeuronOfALayer()
    {
        var net = new Network([
            DenseLayer.FromRows([[0.0]], [-1.0], Activation.Relu),
            DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity)]);
        var r = Pruner.Prune(net);
        Assert.That(r.Network.Widths, Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(r.Actions.Single().Action, Is.EqualTo("kept"));
    }
}
