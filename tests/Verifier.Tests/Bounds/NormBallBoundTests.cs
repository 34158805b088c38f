using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Norm balls bounded through the dual norm: the step is exact where it can be (last layer perturbed, fixed x: U = r‖h‖₂
/// and the rank-one witness reaches it), and no admissible perturbation — random, found by the attack, or a spectral
/// ball's full-rank one outside the Frobenius ball — ever exceeds a certified U, at a fixed x and over a box.
/// </summary>
public class NormBallBoundTests
{
    private static readonly AttackOptions Quick = new() { Restarts = 4, Steps = 40, LocalSearchRounds = 2, Seed = 3 };

    private static Box Point(double[] x) => Box.FromBounds(x, x);

    private static double[] Hidden(Network net, int layers, double[] x) =>
        new Network(net.Layers.Take(layers).ToArray()).EvaluateExact(x.Select(Rational.FromDouble).ToArray()).Select(q => q.ToDouble()).ToArray();

    [TestCase(MatrixNorm.Frobenius, 1e-6)]
    [TestCase(MatrixNorm.Spectral, 1e-2)]
    public void LastLayerAtAFixedXIsBoundedByRTimesTheNormOfH(MatrixNorm norm, double tolerance)
    {
        var rng = new Random(21);
        var net = DeviationOracle.RandomNetwork(rng, [3, 6, 4], dyadic: false, Activation.Relu);
        var delta = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 2, Norm = norm, Ratio = 0.1 }.ToBox(net);
        double[] x = [0.5, -0.25, 0.75];
        var h = Hidden(net, 1, x);
        double hn = Math.Sqrt(h.Sum(v => v * v));
        Assume.That(hn, Is.GreaterThan(0), "the hidden layer is active at x");
        double expected = delta.Ball!.Radius * hn;
        var attack = new DeviationAttack(net, delta, Quick).Run(Point(x));
        foreach (var bounder in new IDeviationBounder[] { new IntervalDifferenceBounder(), new LinearDifferenceBounder() })
        {
            var upper = bounder.Bound(net, Point(x), delta).Upper;
            for (int j = 0; j < net.OutputSize; j++)
            {
                Assert.That(upper[j], Is.GreaterThanOrEqualTo(expected * (1 - 1e-12)), $"{bounder.Name} y{j}");
                Assert.That(upper[j], Is.LessThanOrEqualTo(expected * (1 + 1e-9)), $"{bounder.Name} y{j}: r‖h‖₂ = {expected:R}");
                var lb = attack.Lower[j]!;
                Assert.That(lb.Exact <= Rational.FromDouble(upper[j]), Is.True, $"{bounder.Name} y{j}");
                Assert.That(lb.Exact.ToDouble(), Is.GreaterThanOrEqualTo(upper[j] * (1 - tolerance)), $"y{j}: the rank-one witness reaches U");
            }
        }
    }

    [Test]
    public void TheBallBoundIsFarBelowTheEnclosingBoxOnTheBenchmarkNet()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        double[] x = [0.3, -0.2, 0.5, 0.1, -0.4];
        foreach (var norm in new[] { MatrixNorm.Frobenius, MatrixNorm.Spectral })
        {
            var delta = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 3, Norm = norm, Ratio = 1e-3 }.ToBox(net);
            double u = new LinearDifferenceBounder().Bound(net, Point(x), delta).Upper.Max();
            double l = new DeviationAttack(net, delta, Quick).Run(Point(x)).Lower.Max(b => b!.Exact.ToDouble());
            Assert.That(u, Is.GreaterThanOrEqualTo(l));
            Assert.That(u, Is.LessThanOrEqualTo(1.25 * l), $"{norm}: U = {u:R}, L = {l:R} (through the enclosing box U/L was 110–400)");
        }
    }

    [Test]
    public void AWidenedBoxIsBoundedThroughTheBoxNotTheBall()
    {
        // --execution widens every entry of the ball's layer beyond the ball: a vertex of the widened box (far outside
        // the ball) must stay under every bound, so the bounders may not use the ball there.
        var rng = new Random(41);
        var net = DeviationOracle.RandomNetwork(rng, [3, 6, 6, 2], dyadic: false, Activation.Relu);
        var model = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 2, Norm = MatrixNorm.Frobenius, Ratio = 0.05, Execution = ExecutionFormat.BFloat16 };
        var widened = model.ToBox(net);
        Assert.That(widened.BoundingBall, Is.Null);
        Assert.That((model with { Execution = null }).ToBox(net).BallRadiusAt(1), Is.Not.Null);
        double[] x = [0.5, -0.25, 0.75];
        var bounds = SoundnessTests.Bounders().Take(5).Select(b => (b.Name, b.Bound(net, Point(x), widened).Upper)).ToArray();
        var y0 = DeviationOracle.Exact(net, x);
        for (int s = 0; s < 20; s++)
        {
            var vertex = DeviationOracle.SampleBoxPerturbation(rng, net, new ParameterBox(widened.Layers), vertex: true);
            var y1 = DeviationOracle.Exact(vertex, x);
            foreach (var (name, upper) in bounds) DeviationOracle.AssertWithin(y0, y1, upper, $"{name} widened vertex {s}");
        }
    }

    private static readonly int[][] Architectures = [[2, 3, 1], [2, 4, 2], [3, 5, 4, 2], [3, 8, 8, 2], [1, 6, 6, 6, 1], [2, 6, 3]];

    [TestCase(true)]
    [TestCase(false)]
    public void AdversarialPerturbationsNeverExceedTheBounds(bool fixedX)
    {
        int checkedAttack = 0, checkedFullRank = 0;
        for (int seed = 300; seed < 324; seed++)
        {
            var rng = new Random(seed);
            var arch = Architectures[seed % Architectures.Length];
            var net = DeviationOracle.RandomNetwork(rng, arch, dyadic: false, seed % 3 == 0 ? Activation.Leaky(0.125) : Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, arch[0]);
            if (fixedX) box = Point(DeviationOracle.SampleX(rng, box, corner: false));
            var norm = seed % 2 == 0 ? MatrixNorm.Frobenius : MatrixNorm.Spectral;
            var model = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 1 + rng.Next(net.Depth), Norm = norm, Ratio = rng.Next(2) == 0 ? 0.01 : 0.3 };
            var delta = model.ToBox(net);
            var bounds = SoundnessTests.Bounders().Select(b => (b.Name, b.Bound(net, box, delta).Upper)).ToArray();
            // The attack's witnesses (rank-one starts, projected ascent on the ball), replayed exactly.
            foreach (var lb in new DeviationAttack(net, delta, Quick with { Seed = seed }).Run(box).Lower)
            {
                if (lb is null) continue;
                Assert.That(delta.Admits(net, lb.Witness.Perturbed), Is.True);
                var y0 = DeviationOracle.Exact(net, lb.Witness.X);
                var y1 = DeviationOracle.Exact(lb.Witness.Perturbed, lb.Witness.X);
                foreach (var (name, upper) in bounds) DeviationOracle.AssertWithin(y0, y1, upper, $"seed {seed} {name} attack");
                checkedAttack++;
            }
            if (norm != MatrixNorm.Spectral) continue;
            // Rank-two δ = s(u₁v₁ᵀ + u₂v₂ᵀ): in the spectral ball (certified) but up to √2 outside its Frobenius ball.
            for (int s = 0; s < 10; s++)
            {
                var perturbed = RankTwoInSpectralBall(rng, net, delta.Ball!);
                if (perturbed is null) continue;
                var x = DeviationOracle.SampleX(rng, box, corner: s % 2 == 0);
                var y0 = DeviationOracle.Exact(net, x);
                var y1 = DeviationOracle.Exact(perturbed, x);
                foreach (var (name, upper) in bounds) DeviationOracle.AssertWithin(y0, y1, upper, $"seed {seed} {name} rank two");
                checkedFullRank++;
            }
        }
        Assert.That(checkedAttack, Is.GreaterThan(40));
        Assert.That(checkedFullRank, Is.GreaterThan(40));
    }

    /// <summary>
    /// θ′ whose exact difference D = θ′ − θ on the ball's layer has a certified ‖D‖₂ ≤ ratio·‖W‖₂ (upper bound of ‖D‖₂
    /// against the exact lower bound of ‖W‖₂, compared in rationals); null when rounding made the difference inexact.
    /// </summary>
    private static Network? RankTwoInSpectralBall(Random rng, Network net, NormBall ball)
    {
        var L = net.Layers[ball.Layer];
        int m = L.Outputs, n = L.Inputs;
        double[] U(int k) { var v = new double[k]; for (int i = 0; i < k; i++) v[i] = 2 * rng.NextDouble() - 1; return v; }
        double[] u1 = U(m), u2 = U(m), v1 = U(n), v2 = U(n);
        var target = Math.Sqrt(NormBall.NormSquaredLowerExact(L, MatrixNorm.Spectral).ToDouble()) * ball.Ratio * 0.97;
        var d = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) d[i * n + j] = u1[i] * v1[j] + u2[i] * v2[j];
        double scale = target / SpectralNorm.SpectralUpper(new DenseLayer(m, n, d, new double[m], Activation.Relu));
        var w = L.Weights.ToArray();
        var diff = new double[w.Length];
        for (int k = 0; k < w.Length; k++)
        {
            double wp = w[k] + scale * d[k];
            diff[k] = wp - w[k];
            if (Rational.FromDouble(wp) - Rational.FromDouble(w[k]) != Rational.FromDouble(diff[k])) return null;
            w[k] = wp;
        }
        double dUpper = SpectralNorm.SpectralUpper(new DenseLayer(m, n, diff, new double[m], Activation.Relu));
        var lhs = Rational.FromDouble(dUpper) * Rational.FromDouble(dUpper);
        var r = Rational.FromDouble(ball.Ratio);
        if (!(lhs <= r * r * NormBall.NormSquaredLowerExact(L, MatrixNorm.Spectral))) return null;
        var layers = net.Layers.ToArray();
        layers[ball.Layer] = L.With(w);
        return net.WithLayers(layers);
    }
}
