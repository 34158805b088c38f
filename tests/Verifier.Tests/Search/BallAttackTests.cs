using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;
using Verify.Tests.Bounds;

namespace Verify.Tests.Search;

/// <summary>The ball attack's witnesses are rank-one, exactly admissible and reported as their exact replay; on a
/// last-layer ball (the tail is the identity) the first-order step reaches R.</summary>
public class BallAttackTests
{
    private static Box Point(double[] x) => Box.FromBounds(x, x);

    [TestCase(MatrixNorm.Frobenius)]
    [TestCase(MatrixNorm.Spectral)]
    public void WitnessesAreAdmittedExactlyAndReplayToTheirValue(MatrixNorm norm)
    {
        var rng = new Random(17);
        var net = DeviationOracle.RandomNetwork(rng, [3, 8, 8, 3], dyadic: false, Activation.Relu);
        var delta = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 2, Norm = norm, Ratio = 0.05 }.ToBox(net);
        double[] x = [0.4, -0.3, 0.8];
        var lower = BallAttack.Run(net, Point(x), delta, null, new BallAttack.Options { Seed = 2 })!;
        Assert.That(lower.Count(l => l is not null), Is.GreaterThan(0));
        foreach (var l in lower.OfType<Verify.Results.LowerBound>())
        {
            Assert.That(delta.Admits(net, l.Witness.Perturbed), Is.True);
            Assert.That(l.Witness.Replay(net, Point(x), delta), Is.EqualTo(l.Exact));
            Assert.That(l.Witness.X, Is.EqualTo(x));
            for (int layer = 0; layer < net.Depth; layer++)
                if (layer != 1) Assert.That(l.Witness.Perturbed.Layers[layer], Is.SameAs(net.Layers[layer]), "only the ball's layer moves");
        }
    }

    [Test]
    public void OnALastLayerBallTheWitnessReachesTheCertifiedRadius()
    {
        var rng = new Random(23);
        var net = DeviationOracle.RandomNetwork(rng, [3, 6, 4], dyadic: false, Activation.Relu);
        var delta = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 2, Norm = MatrixNorm.Frobenius, Ratio = 0.1 }.ToBox(net);
        double[] x = [0.5, -0.25, 0.75];
        var upper = BallSplittingBounder.Root(net, Point(x), delta)!.Upper;
        var lower = BallAttack.Run(net, Point(x), delta, null, new BallAttack.Options())!;
        for (int j = 0; j < net.OutputSize; j++)
        {
            Assert.That(lower[j]!.Exact <= Rational.FromDouble(upper[j]), Is.True);
            Assert.That(lower[j]!.Value, Is.GreaterThanOrEqualTo(upper[j] * (1 - 1e-6)), $"y{j}");
        }
    }

    [Test]
    public void ItDoesNotApplyWithoutABallOrAtABox()
    {
        var net = DeviationOracle.RandomNetwork(new Random(1), [2, 4, 2], dyadic: false, Activation.Relu);
        var eps = new PerturbationModel { Eps = [1e-3] }.ToBox(net);
        Assert.That(BallAttack.Run(net, Point([0.1, 0.2]), eps, null, new BallAttack.Options()), Is.Null);
        var ball = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 1, Ratio = 0.1 }.ToBox(net);
        Assert.That(BallAttack.Run(net, Box.FromBounds([0.0, 0.2], [0.1, 0.2]), ball, null, new BallAttack.Options()), Is.Null);
    }
}
