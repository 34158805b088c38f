using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Bounds.Balls;

/// <summary>
/// The exact reduction of a one-layer norm ball at a fixed input (docs/normballs.md): no admissible perturbation —
/// random rank-one or full-rank, or found by the ball attack — ever exceeds the certified U of the root or of the phase
/// branching; a last-layer ball is bounded by R exactly up to rounding; a domain whose phase contradicts the ball is
/// proved empty; on the bundled benchmark net the branching closes the gap to the replayed lower bound.
/// </summary>
public class BallSplittingBounderTests
{
    private static Box Point(double[] x) => Box.FromBounds(x, x);

    private static ParameterBox Ball(Network net, int layer1Based, MatrixNorm norm, double ratio) =>
        new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = layer1Based, Norm = norm, Ratio = ratio }.ToBox(net);

    [Test]
    public void NoAdmissiblePerturbationExceedsTheCertifiedBound([Values(MatrixNorm.Frobenius, MatrixNorm.Spectral)] MatrixNorm norm)
    {
        var rng = new Random(norm == MatrixNorm.Frobenius ? 5 : 6);
        int checkedWitnesses = 0;
        for (int trial = 0; trial < 12; trial++)
        {
            var net = DeviationOracle.RandomNetwork(rng, [3, 8, 8, 8, 3], dyadic: false, Activation.Relu);
            int layer = 1 + rng.Next(4);
            double ratio = new[] { 0.01, 0.05, 0.2, 0.5 }[rng.Next(4)];
            var delta = Ball(net, layer, norm, ratio);
            double[] x = [2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1];
            var box = Point(x);
            var root = BallSplittingBounder.Root(net, box, delta)!.Upper;
            var bounder = new BallSplittingBounder { MaxSplits = 40, Timeout = TimeSpan.FromMinutes(5), Parallelism = 1 };
            var split = bounder.Run(net, box, delta)!.Bound.Upper;
            var nominal = DeviationOracle.Exact(net, x);
            void Check(Network perturbed, string what)
            {
                if (!delta.Admits(net, perturbed)) return;
                checkedWitnesses++;
                var y = DeviationOracle.Exact(net.WithLayers(perturbed.Layers), x);
                for (int j = 0; j < net.OutputSize; j++)
                {
                    var d = Rational.Abs(y[j] - nominal[j]);
                    Assert.That(d <= Rational.FromDouble(root[j]), Is.True, $"trial {trial} {what} y{j}: root U = {root[j]:R} < {d.ToDouble():R}");
                    Assert.That(d <= Rational.FromDouble(split[j]), Is.True, $"trial {trial} {what} y{j}: split U = {split[j]:R} < {d.ToDouble():R}");
                }
            }
            for (int s = 0; s < 20; s++)
                if (DeviationOracle.SampleBallPerturbation(rng, net, delta.Ball!, s < 10 ? 1 - 1e-6 : rng.NextDouble()) is { } p) Check(p, "full-rank");
            for (int s = 0; s < 20; s++) Check(RankOne(rng, net, delta, x), "rank-one");
            var attack = BallAttack.Run(net, box, delta, null, new BallAttack.Options { Seed = trial })!;
            foreach (var lb in attack.OfType<LowerBound>()) Check(lb.Witness.Perturbed, "attack");
            for (int j = 0; j < net.OutputSize; j++)
                Assert.That(split[j], Is.LessThanOrEqualTo(root[j]), "a child's bound is capped by the root's");
        }
        Assert.That(checkedWitnesses, Is.GreaterThan(200), "enough admissible perturbations were replayed");
    }

    /// <summary>δW = v hᵀ/‖h‖² for a random v on the boundary of the reduced ball (slightly inside, to stay admissible).</summary>
    private static Network RankOne(Random rng, Network net, ParameterBox delta, double[] x)
    {
        int layer = delta.Ball!.Layer;
        var h = x;
        for (int l = 0; l < layer; l++) h = new Network([net.Layers[l]]).Evaluate(h);
        double hh = h.Sum(t => t * t);
        var w = net.Layers[layer];
        var v = Enumerable.Range(0, w.Outputs).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        double vn = Math.Sqrt(v.Sum(t => t * t));
        double inner = Math.Sqrt(NormBall.NormSquaredLowerExact(w, delta.Ball.Norm).ToDouble()) * delta.Ball.Ratio * (1 - 1e-7);
        double scale = hh == 0 ? 0 : inner * Math.Sqrt(hh) / vn;
        var weights = w.Weights.ToArray();
        for (int r = 0; r < w.Outputs; r++)
            for (int i = 0; i < w.Inputs; i++) weights[r * w.Inputs + i] += scale * v[r] * h[i] / hh;
        var layers = net.Layers.ToArray();
        layers[layer] = w.With(weights);
        return net.WithLayers(layers);
    }

    [TestCase(MatrixNorm.Frobenius)]
    [TestCase(MatrixNorm.Spectral)]
    public void ALastLayerBallIsBoundedByTheRadiusOfTheReducedBall(MatrixNorm norm)
    {
        // The tail is the identity: sup |v_j| over ‖v‖₂ ≤ R is R, with R = ρ‖h‖₂.
        var rng = new Random(8);
        var net = DeviationOracle.RandomNetwork(rng, [3, 6, 4], dyadic: false, Activation.Relu);
        var delta = Ball(net, 2, norm, 0.1);
        double[] x = [0.5, -0.25, 0.75];
        var h = new Network([net.Layers[0]]).EvaluateExact(x.Select(Rational.FromDouble).ToArray());
        double hn = Math.Sqrt(h.Sum(q => (q * q).ToDouble()));
        Assume.That(hn, Is.GreaterThan(0));
        double r = delta.Ball!.Radius * hn;
        var upper = BallSplittingBounder.Root(net, Point(x), delta)!.Upper;
        foreach (var u in upper)
        {
            Assert.That(u, Is.GreaterThanOrEqualTo(r * (1 - 1e-12)));
            Assert.That(u, Is.LessThanOrEqualTo(r * (1 + 1e-12)), $"R = {r:R}");
        }
    }

    [Test]
    public void APhaseThatContradictsTheBallIsProvedEmpty()
    {
        var rng = new Random(13);
        for (int trial = 0; trial < 50; trial++)
        {
            var net = DeviationOracle.RandomNetwork(rng, [3, 8, 8, 2], dyadic: false, Activation.Relu);
            var delta = Ball(net, 2, MatrixNorm.Frobenius, 0.01);
            double[] x = [rng.NextDouble(), rng.NextDouble(), rng.NextDouble()];
            var tail = BallTail.TryCreate(net, Point(x), delta)!;
            // A first-layer neuron with z₀ + R < 0: fixing it active (z′ ≥ 0) leaves no point of the ball.
            int k = Enumerable.Range(0, tail.Z0Hi.Length).FirstOrDefault(i => tail.Z0Hi[i] + tail.Radius < 0, -1);
            if (k < 0) continue;
            var signs = new[] { new sbyte[8] };
            var pass = new BallLinearPass(tail);
            Assert.That(pass.Bound(signs, null).Infeasible, Is.False, "the unconstrained ball is not empty");
            signs[0][k] = 1;
            Assert.That(pass.Bound(signs, null).Infeasible, Is.True, $"neuron {k}: z₀ ≤ {tail.Z0Hi[k]:R}, R = {tail.Radius:R}");
            signs[0][k] = -1;
            Assert.That(pass.Bound(signs, null).Infeasible, Is.False, "its inactive half is the whole ball");
            return;
        }
        Assert.Fail("no random net had a neuron inactive on the whole ball");
    }

    /// <summary>z′ = (1, 1) + v with v in the ℓ2 ball of R = ratio·√2 (W = [[1,0],[1,0]] at x = (1, 0)).</summary>
    private static Network Duplicating() => new([
        DenseLayer.FromRows([[1.0, 0.0], [1.0, 0.0]], [0.0, 0.0], Activation.Relu),
        DenseLayer.FromRows([[1.0, 1.0]], [0.0], Activation.Identity)]);

    [Test]
    public void TwoPhasesThatContradictEachOtherAreProvedEmpty()
    {
        // R = 0.85·√2 ≈ 1.2: z′_0 ≤ 0 alone needs v_0 ≤ −1 (possible), both need ‖v‖ ≥ √2 > R (impossible).
        var net = Duplicating();
        var tail = BallTail.TryCreate(net, Point([1.0, 0.0]), Ball(net, 1, MatrixNorm.Frobenius, 0.85))!;
        Assume.That(tail.Radius, Is.InRange(1.0, Math.Sqrt(2)));
        var pass = new BallLinearPass(tail);
        Assert.That(pass.Bound([new sbyte[] { -1, 0 }], null).Infeasible, Is.False);
        Assert.That(pass.Bound([new sbyte[] { 0, -1 }], null).Infeasible, Is.False);
        Assert.That(pass.Bound([new sbyte[] { -1, -1 }], null).Infeasible, Is.True);
    }

    [Test]
    public void ATailLinearOnTheWholeBallIsBoundedExactly()
    {
        // R = 0.5·√2 < 1: both neurons stay active, the tail is v_0 + v_1 and its supremum √2·R.
        var net = Duplicating();
        var delta = Ball(net, 1, MatrixNorm.Frobenius, 0.5);
        var tail = BallTail.TryCreate(net, Point([1.0, 0.0]), delta)!;
        Assert.That(new BallLinearPass(tail).Bound([new sbyte[] { -1, 0 }], null).Infeasible, Is.True, "z′_0 ≤ 0 needs |v_0| ≥ 1 > R");
        var upper = BallSplittingBounder.Root(net, Point([1.0, 0.0]), delta)!.Upper[0];
        Assert.That(upper, Is.EqualTo(Math.Sqrt(2) * tail.Radius).Within(1e-12));
        Assert.That(upper, Is.GreaterThanOrEqualTo(1.0), "√2·R = ratio·2 = 1 exactly");
    }

    [Test]
    public void BranchingClosesTheGapOnTheBundledNetAndStaysAboveTheReplayedWitness()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        double[] x = [0.3, -0.2, 0.5, 0.1, -0.4];
        var delta = Ball(net, 3, MatrixNorm.Frobenius, 1e-3);
        var box = Point(x);
        var lower = BallAttack.Run(net, box, delta, null, new BallAttack.Options())!;
        var bounder = new BallSplittingBounder { MaxSplits = 400, Timeout = TimeSpan.FromMinutes(10), Parallelism = 1 };
        var outcome = bounder.Run(net, box, delta)!;
        var root = BallSplittingBounder.Root(net, box, delta)!.Upper;
        for (int j = 0; j < net.OutputSize; j++)
        {
            var l = lower[j]!;
            Assert.That(l.Exact <= Rational.FromDouble(outcome.Bound.Upper[j]), Is.True, $"y{j}");
            Assert.That(outcome.Bound.Upper[j], Is.LessThanOrEqualTo(root[j]));
        }
        double supL = lower.Max(b => b!.Value), supU = outcome.Bound.Upper.Max();
        Assert.That(supU, Is.LessThanOrEqualTo(1.01 * supL), $"U = {supU:R}, L = {supL:R} (root U = {root.Max():R}, 1.15·L)");
    }

    [Test]
    public void TheReductionDoesNotApplyToBoxesOtherModelsOrOtherActivations()
    {
        var rng = new Random(3);
        var net = DeviationOracle.RandomNetwork(rng, [2, 4, 2], dyadic: false, Activation.Relu);
        var ball = Ball(net, 1, MatrixNorm.Frobenius, 0.1);
        Assert.That(BallSplittingBounder.Applies(net, Point([0.5, 0.5]), ball), Is.True);
        Assert.That(BallSplittingBounder.Applies(net, Box.FromBounds([0.0, 0.5], [0.5, 0.5]), ball), Is.False, "not a point");
        var eps = new PerturbationModel { Eps = [1e-3] }.ToBox(net);
        Assert.That(BallSplittingBounder.Applies(net, Point([0.5, 0.5]), eps), Is.False, "not a ball");
        var leaky = DeviationOracle.RandomNetwork(rng, [2, 4, 2], dyadic: false, Activation.Leaky(0.1));
        Assert.That(BallSplittingBounder.Applies(leaky, Point([0.5, 0.5]), Ball(leaky, 1, MatrixNorm.Frobenius, 0.1)), Is.False, "leaky tail");
        Assert.That(new BallSplittingBounder().Bound(net, Box.FromBounds([0.0, 0.5], [0.5, 0.5]), ball).Upper, Is.All.EqualTo(double.PositiveInfinity));
    }
}
