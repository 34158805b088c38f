using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>Cases whose exact worst deviation is known in closed form.</summary>
public class HandComputedTests
{
    private static readonly IDeviationBounder[] Exactish = [new IntervalDifferenceBounder(), new LinearDifferenceBounder(),
        new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = 8, SlopeIterations = 5 },
        new InputSplittingBounder { MaxSplits = 4, Parallelism = 1 }];

    /// <summary>
    /// f(x) = v·relu(w x + b) + c with w = v = 1, b = c = 0 on x ∈ [1, 2], every parameter moved by ε = 1/16:
    /// f' − f = δv·z + (1 + δv)(δw x + δb) + δc, largest at x = 2 and all δ = +ε: 6ε + 3ε² = 0.38671875.
    /// The linear method is exact here (the bilinear terms are bounded exactly because h' ≥ 0).
    /// </summary>
    [Test]
    public void OneNeuronNetworkIsBoundedExactlyByTheLinearMethod()
    {
        var net = new Network([DenseLayer.FromRows([[1.0]], [0.0], Activation.Relu), DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity)]);
        var box = Box.FromBounds([1.0], [2.0]);
        var delta = PerturbationModel.Absolute(1.0 / 16).ToBox(net);
        double exact = 6.0 / 16 + 3.0 / 256;
        var lin = new LinearDifferenceBounder().Bound(net, box, delta).Upper[0];
        Assert.That(lin, Is.GreaterThanOrEqualTo(exact));
        Assert.That(lin, Is.LessThanOrEqualTo(exact * (1 + 1e-12)));
        // The worst case is attained: the witness x = 2, every δ = +ε deviates by exactly 6ε + 3ε².
        var worst = net.WithParameters(net.Flatten().Select(t => t + 1.0 / 16).ToArray());
        var dev = DeviationOracle.Exact(worst, [2.0])[0] - DeviationOracle.Exact(net, [2.0])[0];
        Assert.That(dev, Is.EqualTo(Rational.FromDouble(exact)));
        foreach (var b in new IDeviationBounder[] { new AnalyticBounder(), new IntervalDifferenceBounder() })
            Assert.That(b.Bound(net, box, delta).Upper[0], Is.GreaterThanOrEqualTo(exact), b.Name);
    }

    /// <summary>One affine layer f = W x + b: sup |δW x + δb| = ε Σ_j max|x_j| + ε for each output, exactly.</summary>
    [Test]
    public void LinearLayerMatchesTheClosedForm()
    {
        var net = new Network([DenseLayer.FromRows([[0.5, -1.0], [2.0, 0.25]], [0.125, -1.0], Activation.Identity)]);
        var box = Box.FromBounds([-1.0, -0.5], [2.0, 0.25]);
        double eps = 1.0 / 64, exact = eps * (2.0 + 0.5) + eps;
        // The analytic baseline uses ‖x‖∞ = 2 for every input, so it gives ε·(2 + 2) + ε: sound, not exact.
        var analytic = new AnalyticBounder().Bound(net, box, PerturbationModel.Absolute(eps).ToBox(net)).Upper;
        Assert.That(analytic, Is.All.GreaterThanOrEqualTo(5 * eps).And.All.LessThanOrEqualTo(5 * eps * (1 + 1e-12)));
        foreach (var b in new IDeviationBounder[] { new IntervalDifferenceBounder(), new LinearDifferenceBounder() })
        {
            var u = b.Bound(net, box, PerturbationModel.Absolute(eps).ToBox(net)).Upper;
            foreach (var uj in u)
            {
                Assert.That(uj, Is.GreaterThanOrEqualTo(exact), b.Name);
                Assert.That(uj, Is.LessThanOrEqualTo(exact * (1 + 1e-12)), b.Name);
            }
        }
    }

    /// <summary>Two identity layers: f' − f is a polynomial in δ; its sup over the δ-vertices and box corners is exact
    /// because f' − f is multilinear in each parameter and in each x_j.</summary>
    [Test]
    public void DeepLinearNetworkLinearBoundIsSoundAndNearTheVertexMaximum()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0, -0.5], [0.25, 0.75]], [0.0, 0.5], Activation.Identity),
            DenseLayer.FromRows([[1.0, 1.0]], [0.0], Activation.Identity)]);
        var box = Box.FromBounds([-1.0, -1.0], [1.0, 1.0]);
        double eps = 1.0 / 32;
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var theta = net.Flatten();
        Rational best = Rational.Zero;
        for (int mask = 0; mask < 1 << theta.Length; mask++)
        {
            var t = theta.Select((v, k) => v + ((mask >> k & 1) == 1 ? eps : -eps)).ToArray();
            var p = net.WithParameters(t);
            foreach (var x in new[] { new[] { -1.0, -1.0 }, [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0] })
                best = Rational.Max(best, Rational.Abs(DeviationOracle.Exact(p, x)[0] - DeviationOracle.Exact(net, x)[0]));
        }
        double lin = new LinearDifferenceBounder().Bound(net, box, delta).Upper[0];
        Assert.That(Rational.FromDouble(lin), Is.GreaterThanOrEqualTo(best));
        // The only relaxation is the chord of δW₁x over x ∈ [−1, 1] inside the second layer's product: a few percent.
        Assert.That(lin, Is.LessThanOrEqualTo(best.ToDouble() * 1.25));
    }

    [Test]
    public void ZeroNetworkWithZeroEpsilonHasZeroDeviation()
    {
        var net = new Network([new DenseLayer(3, 2, new double[6], new double[3], Activation.Relu),
                               new DenseLayer(1, 3, new double[3], new double[1], Activation.Identity)]);
        var box = Box.FromBounds([-1.0, -1.0], [1.0, 1.0]);
        foreach (var b in SoundnessTests.Bounders())
            Assert.That(b.Bound(net, box, PerturbationModel.Absolute(0).ToBox(net)).Upper[0], Is.EqualTo(0.0), b.Name);
    }

    /// <summary>ε = 0 must give exactly U = 0 for the difference methods: the joint relaxation may not decouple the two
    /// copies (relaxing them separately leaves ±(nominal slack) even at ε = 0).</summary>
    [TestCase("net_2_16_16_1.json")]
    [TestCase("net_4_50x3_2.json")]
    [TestCase("net_5_50x6_5.json")]
    public void ZeroEpsilonGivesZeroBoundOnBenchmarks(string file)
    {
        var net = TestData.Network(file);
        var box = Box.FromBounds(Enumerable.Repeat(-1.0, net.InputSize).ToArray(), Enumerable.Repeat(1.0, net.InputSize).ToArray());
        var delta = PerturbationModel.Absolute(0).ToBox(net);
        foreach (var b in Exactish)
            Assert.That(b.Bound(net, box, delta).Upper, Is.All.EqualTo(0.0), b.Name);
    }

    [Test]
    public void ZeroEpsilonGivesZeroBoundOnRandomNetworks()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var rng = new Random(seed);
            var net = DeviationOracle.RandomNetwork(rng, [3, 7, 7, 2], dyadic: false, seed % 3 == 0 ? Activation.Leaky(0.2) : Activation.Relu);
            var box = DeviationOracle.RandomBox(rng, 3);
            foreach (var b in Exactish)
                Assert.That(b.Bound(net, box, PerturbationModel.Absolute(0).ToBox(net)).Upper, Is.All.EqualTo(0.0), $"seed {seed} {b.Name}");
        }
    }

    /// <summary>
    /// h₁ = (relu(x), relu(x)) on x ∈ [−1, 2], z₂ = h₁a − h₁b + 1 (≡ 1), y = relu(z₂); only the last weight is perturbed
    /// (ε = 1/16), so f' − f = δw·relu(z₂) and the exact sup is ε. The bound needs an upper bound of z₂: chord of relu(x)
    /// (slope 2/3, intercept 2/3) minus the lower plane α·x of relu(x). CROWN's adaptive α = 1 gives
    /// 1 + max_x (2/3 − 1)x + 2/3 = 2, i.e. U = 2ε; the best α = 2/3 gives 5/3, i.e. U = 5ε/3.
    /// </summary>
    [Test]
    public void OptimisedSlopeFindsTheBestLowerPlaneOfANegativelyWeightedReLU()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0], [1.0]], [0.0, 0.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, -1.0]], [1.0], Activation.Relu),
            DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity)]);
        var box = Box.FromBounds([-1.0], [2.0]);
        double eps = 1.0 / 16;
        var delta = new PerturbationModel { Eps = [eps], LayerMask = new HashSet<int> { 3 }, WeightsOnly = true }.ToBox(net);
        double plain = new LinearDifferenceBounder().Bound(net, box, delta).Upper[0];
        Assert.That(plain, Is.EqualTo(2 * eps).Within(1e-9), "plain CROWN slope α = 1");
        foreach (int hidden in new[] { 0, 2 })
        {
            double opt = new LinearDifferenceBounder { OptimizeSlopes = true, OptimizedHiddenLayers = hidden }.Bound(net, box, delta).Upper[0];
            Assert.That(opt, Is.GreaterThanOrEqualTo(5 * eps / 3 * (1 - 1e-12)), $"hidden {hidden}: no linear relaxation of this form does better");
            Assert.That(opt, Is.LessThanOrEqualTo(1.7 * eps), $"hidden {hidden}: the optimiser gets near α = 2/3");
        }
        // The exact deviation at the worst vertex (δw = +ε) is ε everywhere on the box.
        var worst = net.WithLayers([net.Layers[0], net.Layers[1], net.Layers[2].With([1.0 + eps])]);
        foreach (var x in new[] { -1.0, 0.0, 2.0 })
            Assert.That(DeviationOracle.Exact(worst, [x])[0] - DeviationOracle.Exact(net, [x])[0], Is.EqualTo(Rational.FromDouble(eps)));
    }
}
