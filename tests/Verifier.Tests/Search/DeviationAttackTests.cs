using Verify.Intervals;
using Verify.Io;
using Verify.Model;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

public class DeviationAttackTests
{
    private static readonly AttackOptions Quick = new() { Restarts = 6, Steps = 60, LocalSearchRounds = 6, Seed = 7 };

    [Test]
    public void WitnessesReplayExactlyAndAreAdmissibleUnderEveryModel()
    {
        var net = SearchTestNets.Random(3, false, 3, 5, 4, 2);
        var box = Box.FromBounds([-1, -0.5, 0], [1, 0.25, 2]);
        var models = new[]
        {
            PerturbationModel.Absolute(1e-2),
            PerturbationModel.Relative(0.1),
            new PerturbationModel { Eps = [0.0, 0.05, 0.0], WeightsOnly = true },
            new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 2, Norm = MatrixNorm.Frobenius, Ratio = 0.1 },
            new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 1, Norm = MatrixNorm.Spectral, Ratio = 0.2 },
        };
        foreach (var model in models)
        {
            var delta = model.ToBox(net);
            var result = new DeviationAttack(net, delta, Quick).Run(box);
            for (int j = 0; j < net.OutputSize; j++)
            {
                var lb = result.Lower[j];
                Assert.That(lb, Is.Not.Null, $"{model.Kind} output {j}");
                Assert.That(delta.Admits(net, lb!.Witness.Perturbed), Is.True);
                Assert.That(box.Contains(lb.Witness.X), Is.True);
                Assert.That(lb.Witness.Replay(net, box, delta), Is.EqualTo(lb.Exact));
                Assert.That(lb.Exact.Sign, Is.GreaterThan(0), $"{model.Kind}: a nonzero perturbation changes the output");
                Assert.That(lb.Value, Is.LessThanOrEqualTo(lb.Exact.ToDouble()));
            }
        }
    }

    [Test]
    public void CorruptedWitnessesAreRejectedByReplay()
    {
        var net = SearchTestNets.Random(5, false, 2, 4, 2);
        var box = SearchTestNets.Cube(2);
        var delta = PerturbationModel.Absolute(0.01).ToBox(net);
        var lb = new DeviationAttack(net, delta, Quick).Run(box).Lower[0]!;
        var w = lb.Witness;

        // x one ulp outside the box.
        var x = (double[])w.X.Clone();
        x[0] = Math.BitIncrement(1.0);
        Assert.That((w with { X = x }).Replay(net, box, delta), Is.Null);

        // One parameter one ulp further from θ than the box allows: an entry the attack put on the face δ = +ε.
        int l = Enumerable.Range(0, net.Depth).First(i => Enumerable.Range(0, net.Layers[i].Weights.Length)
            .Any(k => w.Perturbed.Layers[i].Weights[k] > net.Layers[i].Weights[k]));
        var nominalLayer = net.Layers[l]; var pl = w.Perturbed.Layers[l];
        int k = Enumerable.Range(0, nominalLayer.Weights.Length).First(i => pl.Weights[i] > nominalLayer.Weights[i]);
        var bumped = pl.Weights.ToArray();
        bumped[k] = Math.BitIncrement(bumped[k]);
        var exactDiff = Rational.FromDouble(bumped[k]) - Rational.FromDouble(nominalLayer.Weights[k]);
        Assert.That(exactDiff > Rational.FromDouble(0.01), Is.True, "the attack put this entry on the face of the box");
        var layers = w.Perturbed.Layers.ToArray();
        layers[l] = pl.With(bumped);
        Assert.That((w with { Perturbed = w.Perturbed.WithLayers(layers) }).Replay(net, box, delta), Is.Null);

        // An output the network does not have; another output does not reproduce the claimed value.
        Assert.That((w with { Output = 2 }).Replay(net, box, delta), Is.Null);
        Assert.That((w with { Output = 1 }).Replay(net, box, delta), Is.Not.EqualTo(lb.Exact));
    }

    /// <summary>
    /// With only the last layer perturbed, |Δf| at a vertex δ is ε(Σ|h_i| + 1) for the last hidden layer h(x).
    /// With non-negative weights after the first layer h is convex in x, so the maximum over a grid that contains
    /// the corners is the true maximum, and the attack must find it exactly.
    /// </summary>
    [TestCase(11, new[] { 2, 3, 1 })]
    [TestCase(12, new[] { 2, 4, 4, 1 })]
    [TestCase(13, new[] { 2, 4, 4, 1 })]
    public void LastLayerAttackEqualsBruteForceMaximum(int seed, int[] widths)
    {
        var net = SearchTestNets.Random(seed, true, widths);
        var box = SearchTestNets.Cube(2);
        double eps = 1.0 / 128;
        var delta = SearchTestNets.LastLayer(net, eps);
        var brute = BruteForce(net, box, eps, 8);
        var lb = new DeviationAttack(net, delta, Quick).Run(box).Lower[0]!;
        Assert.That(lb.Exact, Is.EqualTo(brute));
    }

    [Test]
    public void LastLayerAttackMatchesFineGridOnGeneralNet()
    {
        var net = SearchTestNets.Random(21, false, 2, 4, 4, 1);
        var box = SearchTestNets.Cube(2);
        double eps = 1.0 / 128;
        int n = 32;
        var brute = BruteForce(net, box, eps, n);
        var lb = new DeviationAttack(net, SearchTestNets.LastLayer(net, eps), Quick).Run(box).Lower[0]!;
        // Between grid points the objective moves by at most ε·Lip(Σ|h|)·(spacing/2) per coordinate.
        double lip = 0;
        var w1 = net.Layers[0]; var w2 = net.Layers[1];
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < w2.Outputs; i++)
                for (int k = 0; k < w2.Inputs; k++) lip += Math.Abs(w2.W(i, k)) * Math.Abs(w1.W(k, c));
        double slack = eps * lip * (1.0 / n);
        Assert.That(lb.Exact, Is.GreaterThanOrEqualTo(brute));
        Assert.That(lb.Value, Is.LessThanOrEqualTo(brute.ToDouble() + slack));
    }

    /// <summary>max over an (n+1)² grid on the box and all vertices of the last layer's δ box, in exact arithmetic.</summary>
    private static Rational BruteForce(Network net, Box box, double eps, int n)
    {
        var hidden = net.WithLayers(net.Layers.Take(net.Depth - 1).ToArray());
        int width = net.Layers[^1].Inputs;
        var e = Rational.FromDouble(eps);
        Rational best = Rational.Zero;
        for (int a = 0; a <= n; a++)
            for (int b = 0; b <= n; b++)
            {
                var x = new[] { Grid(box[0], a, n), Grid(box[1], b, n) };
                var h = hidden.EvaluateExact(x);
                for (int v = 0; v < 1 << (width + 1); v++)
                {
                    Rational d = (v >> width & 1) == 1 ? e : -e;   // δb
                    for (int i = 0; i < width; i++) d += ((v >> i & 1) == 1 ? e : -e) * h[i];
                    best = Rational.Max(best, Rational.Abs(d));
                }
            }
        return best;
    }

    private static Rational Grid(Interval side, int i, int n) =>
        Rational.FromDouble(side.Lo) + (Rational.FromDouble(side.Hi) - Rational.FromDouble(side.Lo)) * new Rational(i, n);

    [Test]
    public void SameSeedSameResult()
    {
        var net = SearchTestNets.Random(8, false, 3, 6, 6, 2);
        var box = SearchTestNets.Cube(3);
        var delta = PerturbationModel.Absolute(1e-2).ToBox(net);
        var a = new DeviationAttack(net, delta, Quick).Run(box);
        var b = new DeviationAttack(net, delta, Quick).Run(box);
        Assert.That(a.Lower.Select(l => l!.Exact), Is.EqualTo(b.Lower.Select(l => l!.Exact)));
    }

    /// <summary>The reference sampling attack found 0.0239 (ε = 1e-3) and 0.245 (ε = 1e-2, i.e. ≥ 0.2445) on output 0.</summary>
    [TestCase(1e-3, 0.0239)]
    [TestCase(1e-2, 0.2445)]
    public void AtLeastAsStrongAsReferenceAttackOnBenchmarkNet(double eps, double reference)
    {
        var net = NetworkFiles.Read(SearchTestNets.DataFile("net_2_16_16_1.json"));
        var box = SearchTestNets.Cube(2);
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var lb = new DeviationAttack(net, delta, new AttackOptions { Restarts = 8, Steps = 100, LocalSearchRounds = 8 })
            .Run(box, outputs: [0]).Lower[0]!;
        Assert.That(lb.Value, Is.GreaterThanOrEqualTo(reference));
        Assert.That(lb.Witness.Replay(net, box, delta), Is.EqualTo(lb.Exact));
    }

    [Test]
    public void SeedsOutsideThePartAreClippedIntoIt()
    {
        var net = SearchTestNets.Random(9, false, 2, 4, 1);
        var part = Box.FromBounds([0, 0], [0.5, 0.5]);
        var attack = new DeviationAttack(net, PerturbationModel.Absolute(0.01).ToBox(net), Quick);
        var cands = attack.Search(part, [[5.0, -5.0]], null, null, default, out _);
        Assert.That(cands, Is.Not.Empty);
        Assert.That(cands.All(c => part.Contains(c.X)), Is.True);
    }
}
