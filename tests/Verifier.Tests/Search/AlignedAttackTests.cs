using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>The attack's aligned steps (δ at the first-order worst vertex for the current x at every step).</summary>
public class AlignedAttackTests
{
    /// <summary>
    /// Positive weights and biases on X = [1,2]² keep every ReLU active, and Δf = f(x;θ+δ) − f(x;θ) grows with every
    /// parameter and with x, so by hand the worst case is x = (2,2), δ = +ε everywhere: the value is the exact
    /// difference of the two networks there. One run from the centre, aligned, without local search, must find it.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void AlignedRunFindsTheHandComputedVertexWorstCase(bool align)
    {
        var net = new Network([
            new DenseLayer(2, 2, [0.5, 0.25, 0.75, 1.0], [0.125, 0.25], Activation.Relu),
            new DenseLayer(1, 2, [1.5, 0.5], [0.25], Activation.Identity),
        ]);
        double eps = 1.0 / 64;
        var worst = net.WithLayers(net.Layers.Select(l => l.With(
            l.Weights.ToArray().Select(w => w + eps).ToArray(), l.Bias.ToArray().Select(b => b + eps).ToArray())).ToArray());
        var corner = new[] { Rational.FromDouble(2), Rational.FromDouble(2) };
        var expected = worst.EvaluateExact(corner)[0] - net.EvaluateExact(corner)[0];

        var box = Box.FromBounds([1, 1], [2, 2]);
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var options = new AttackOptions { Restarts = 1, Steps = 60, LocalSearchRounds = 0, AlignDelta = align };
        var lb = new DeviationAttack(net, delta, options).Run(box).Lower[0]!;
        Assert.That(lb.Exact, Is.EqualTo(expected));
        Assert.That(lb.Witness.X, Is.EqualTo(new[] { 2.0, 2.0 }));
    }

    /// <summary>
    /// The sign of the objective decides the vertex: on a network whose output falls with every parameter on the box
    /// (a negative last layer), the worst |Δf| is at δ = −ε on the first layer and +ε on the last — the vertex
    /// ε·sign(∂Δf/∂θ) — at x = (2,2), again computed by hand as an exact difference.
    /// </summary>
    [Test]
    public void AlignedRunPicksTheVertexOfTheGradientsSign()
    {
        var net = new Network([
            new DenseLayer(2, 2, [0.5, 0.25, 0.75, 1.0], [0.125, 0.25], Activation.Relu),
            new DenseLayer(1, 2, [-1.5, -0.5], [-0.25], Activation.Identity),
        ]);
        double eps = 1.0 / 64;
        var first = net.Layers[0]; var last = net.Layers[1];
        // s = −1: make f(θ+δ) as small as possible: larger hidden units (δ1 = +ε) times a more negative last layer (δ2 = −ε).
        var worst = net.WithLayers([
            first.With(first.Weights.ToArray().Select(w => w + eps).ToArray(), first.Bias.ToArray().Select(b => b + eps).ToArray()),
            last.With(last.Weights.ToArray().Select(w => w - eps).ToArray(), last.Bias.ToArray().Select(b => b - eps).ToArray()),
        ]);
        var corner = new[] { Rational.FromDouble(2), Rational.FromDouble(2) };
        var expected = Rational.Abs(worst.EvaluateExact(corner)[0] - net.EvaluateExact(corner)[0]);

        var box = Box.FromBounds([1, 1], [2, 2]);
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var lb = new DeviationAttack(net, delta, new AttackOptions { Restarts = 1, Steps = 60, LocalSearchRounds = 0 }).Run(box).Lower[0]!;
        Assert.That(lb.Exact, Is.EqualTo(expected));
        Assert.That(delta.Admits(net, lb.Witness.Perturbed), Is.True);
    }
}
