using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Smt;
using Verify.Specs;

namespace Verify.Tests.Smt;

/// <summary>
/// Exact maxima of |Δf_j| with Z3 against independent brute force in exact rational arithmetic: a dyadic grid over x
/// and every vertex of the δ box. All weights, biases and ε are dyadic, so θ ± ε and the grid points are doubles and
/// brute force can replay them exactly.
/// </summary>
public class DeviationMaximizerTests
{
    private static readonly DeviationMaximizeOptions Exact = new()
    {
        CheckTimeout = TimeSpan.FromSeconds(20), TotalTimeout = TimeSpan.FromSeconds(20), MaxChecks = 300,
    };

    private static readonly Rational Eighth = Rational.Parse("1/8");

    /// <summary>2-3-1 with first-layer weights in {−1, 0, 1} and biases k/4: every kink line meets another at a dyadic point.</summary>
    internal static Network Net231() => new([
        DenseLayer.FromRows([[1.0, -1.0], [1.0, 1.0], [-1.0, 0.0]], [0.25, -0.5, 0.0], Activation.Relu),
        DenseLayer.FromRows([[1.0, -0.5, 0.75]], [0.125], Activation.Identity),
    ]);

    private static Box Unit(int n) => OutputMaximizerTests.UnitBox(n);

    private static ParameterBox Delta(Network net, double eps, params int[] layers) =>
        new PerturbationModel { Eps = [eps], LayerMask = layers.Length == 0 ? null : layers.ToHashSet() }.ToBox(net);

    /// <summary>Points of the dyadic grid with 2^k + 1 points per axis (a point box gives its one point).</summary>
    private static IEnumerable<double[]> Grid(Box box, int k)
    {
        int steps = 1 << k;
        var index = new int[box.Dimension];
        while (true)
        {
            yield return index.Select((t, i) => box[i].IsPoint ? box[i].Lo : box[i].Lo + (box[i].Hi - box[i].Lo) * t / steps).ToArray();
            int d = 0;
            while (d < index.Length && (box[d].IsPoint || ++index[d] > steps)) index[d++] = 0;
            if (d == index.Length) yield break;
        }
    }

    /// <summary>Every vertex of the δ box of the moving parameters, as perturbed networks (θ ± ε exact in doubles).</summary>
    private static IEnumerable<Network> Vertices(Network net, ParameterBox delta)
    {
        var moving = new List<(int Layer, bool W, int K, double Lo, double Hi)>();
        for (int l = 0; l < net.Depth; l++)
        {
            var b = delta.Layers[l];
            for (int k = 0; k < b.WeightLo.Length; k++) if (b.WeightLo[k] != 0 || b.WeightHi[k] != 0) moving.Add((l, true, k, b.WeightLo[k], b.WeightHi[k]));
            for (int k = 0; k < b.BiasLo.Length; k++) if (b.BiasLo[k] != 0 || b.BiasHi[k] != 0) moving.Add((l, false, k, b.BiasLo[k], b.BiasHi[k]));
        }
        for (long mask = 0; mask < 1L << moving.Count; mask++)
        {
            var w = net.Layers.Select(l => l.Weights.ToArray()).ToArray();
            var bias = net.Layers.Select(l => l.Bias.ToArray()).ToArray();
            for (int m = 0; m < moving.Count; m++)
            {
                var (l, isW, k, lo, hi) = moving[m];
                var arr = isW ? w[l] : bias[l];
                double d = (mask >> m & 1) == 0 ? lo : hi;
                double s = arr[k] + d;
                Assert.That(Rational.FromDouble(s), Is.EqualTo(Rational.FromDouble(arr[k]) + Rational.FromDouble(d)), "test data must be dyadic");
                arr[k] = s;
            }
            yield return net.WithLayers(net.Layers.Select((layer, i) => layer.With(w[i], bias[i])).ToArray());
        }
    }

    /// <summary>max |Δf_j| over the grid × the δ vertices, exactly.</summary>
    private static Rational BruteForce(Network net, Box box, ParameterBox delta, int output, int k)
    {
        var vertices = Vertices(net, delta).ToList();
        var best = Rational.Zero;
        foreach (var x in Grid(box, k))
        {
            var xr = x.Select(Rational.FromDouble).ToArray();
            var y = net.EvaluateExact(xr)[output];
            foreach (var v in vertices) best = Rational.Max(best, Rational.Abs(v.EvaluateExact(xr)[output] - y));
        }
        return best;
    }

    private static void AssertWitnessReplays(Network net, Box box, ParameterBox delta, DeviationMaximum r)
    {
        Assert.That(r.Witness, Is.Not.Null);
        Assert.That(r.Witness!.Witness.Replay(net, box, delta), Is.EqualTo(r.Lower), "L is the exact replay of the witness");
        Assert.That(r.Lower <= r.Upper, Is.True);
    }

    [Test]
    public void LastLayerOn231EqualsBruteForceExactly()
    {
        var net = Net231();
        var box = Unit(2);
        var delta = Delta(net, 0.125, 2);
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact);
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.LastLayerLp));
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact), r.ToString());
        Assert.That(r.Upper, Is.EqualTo(r.Lower), "U = L");
        Assert.That(r.Upper, Is.EqualTo(BruteForce(net, box, delta, 0, 5)), "the grid holds every vertex of the linear regions");
        AssertWitnessReplays(net, box, delta, r);
    }

    [TestCase(1, 2)]
    [TestCase(2, 2)]
    [TestCase(3, 2)]
    [TestCase(1, 0)]   // input parts bisected until no neuron is unstable, then Z3 per part
    [TestCase(2, 16)]  // the whole box in one encoding
    public void LastLayerOn2441AgreesWithBruteForce(int seed, int maxSplitUnstable)
    {
        var net = OutputMaximizerTests.DyadicNetwork(seed, Activation.Relu, 2, 4, 4, 1);
        var box = Unit(2);
        var delta = Delta(net, 0.125, 3);
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact with { MaxSplitUnstable = maxSplitUnstable });
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.LastLayerLp));
        Assert.That(r.Status, Is.AnyOf(MaximizeStatus.Exact, MaximizeStatus.UpperExact), r.ToString());
        AssertWitnessReplays(net, box, delta, r);
        var brute = BruteForce(net, box, delta, 0, 5);
        Assert.That(r.Upper >= brute, Is.True, $"U = {r.Upper} below the brute-force sample {brute}");
        // Rounding the rational maximiser x* to doubles costs at most a few ulps of the value.
        Assert.That((r.Upper - r.Lower).ToDouble(), Is.LessThan(1e-12));
        // The grid misses x* by at most h/2 = 1/64 per axis; Δ's Lipschitz constant (∞-norm) is below ε·Σ|rows|.
        double lip = 0.125 * 5 * net.Layers[1].Weights.ToArray().Select(Math.Abs).Sum() * net.Layers[0].Weights.ToArray().Select(Math.Abs).Sum();
        Assert.That((r.Upper - brute).ToDouble(), Is.LessThanOrEqualTo(lip / 64));
    }

    [Test]
    public void ConstructedLastLayerInstanceHasItsKnownMaximumAndWitness()
    {
        // h1 = relu(x), h2 = relu(1/2 − x) on [−1, 1]: h1 + h2 peaks at x = −1 with 3/2. With every last-layer
        // parameter moving by ε = 1/8, max |Δy| = ε·(max(h1 + h2) + 1) = 5/16, attained only by δ = ±ε everywhere at x = −1.
        var net = new Network([
            DenseLayer.FromRows([[1.0], [-1.0]], [0.0, 0.5], Activation.Relu),
            DenseLayer.FromRows([[1.0, -2.0]], [0.25], Activation.Identity),
        ]);
        var box = new Box([new Interval(-1, 1)]);
        var delta = Delta(net, 0.125, 2);
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact);
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.LastLayerLp));
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact));
        Assert.That(r.Upper, Is.EqualTo(Rational.Parse("5/16")));
        Assert.That(r.Lower, Is.EqualTo(Rational.Parse("5/16")));
        var w = r.Witness!.Witness;
        Assert.That(w.X, Is.EqualTo(new[] { -1.0 }));
        var last = w.Perturbed.Layers[1];
        var change = new[] { last.W(0, 0) - 1.0, last.W(0, 1) + 2.0, last.B(0) - 0.25 };
        Assert.That(change.Select(Math.Abs), Is.All.EqualTo(0.125), "every parameter at the edge of the box");
        Assert.That(change.Distinct().Count(), Is.EqualTo(1), "all with the same sign");
        // Interval methods cannot see this: their bound is above the exact maximum.
        Assert.That(new Verify.Bounds.LinearDifferenceBounder().Bound(net, box, delta).Upper[0], Is.GreaterThan(0.3125));
    }

    [Test]
    public void FixedInputWithFirstLayerPerturbedEqualsVertexEnumeration()
    {
        // For a fixed x, z'_i is affine in its own row of δ and y' is monotone in each z'_i, so the maximum over
        // δ is attained at a vertex: vertex enumeration is exact.
        var net = Net231();
        var box = new Box([Interval.Point(0.375), Interval.Point(-0.75)]);
        var delta = Delta(net, 0.125, 1);
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact);
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.FixedX));
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact), r.ToString());
        Assert.That(r.Upper, Is.EqualTo(BruteForce(net, box, delta, 0, 0)));
        AssertWitnessReplays(net, box, delta, r);
    }

    [TestCase(1)]
    [TestCase(2)]
    public void FixedInputWithAHiddenLayerPerturbedIsExactAndAboveEveryVertex(int seed)
    {
        var net = OutputMaximizerTests.DyadicNetwork(seed, Activation.Relu, 2, 4, 4, 1);
        var box = new Box([Interval.Point(0.5), Interval.Point(-0.25)]);
        var delta = Delta(net, 0.125, 2);
        // Rows 0 and 1 of layer 2 move (8 weights): 256 vertices keep brute force fast.
        static double[] Rows01(double[] v) => v.Select((e, k) => k < 8 ? e : 0.0).ToArray();
        delta = new ParameterBox(delta.Layers.Select((l, i) => i == 1
            ? new ParameterBox.LayerBox(Rows01(l.WeightLo), Rows01(l.WeightHi), new double[l.BiasLo.Length], new double[l.BiasHi.Length]) : l).ToArray());
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact);
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.FixedX));
        Assert.That(r.Status, Is.AnyOf(MaximizeStatus.Exact, MaximizeStatus.UpperExact), r.ToString());
        AssertWitnessReplays(net, box, delta, r);
        Assert.That(r.Upper >= BruteForce(net, box, delta, 0, 0), Is.True, "no vertex of δ beats the exact maximum");
    }

    [Test]
    public void NonlinearCaseOn231AgreesWithBruteForceWithinTolerance()
    {
        // Layer 1 weights move and x is free: δW·x is a product of two variables (NRA). For each grid x the
        // maximum over δ is at a vertex (as above), so brute force is exact up to the grid.
        var net = Net231();
        var box = Unit(2);
        var delta = new PerturbationModel { Eps = [0.125], LayerMask = new HashSet<int> { 1 }, WeightsOnly = true }.ToBox(net);
        var tol = Rational.Parse("1/64");
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact with { Tolerance = tol });
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.Nra));
        Assert.That(r.Status, Is.Not.EqualTo(MaximizeStatus.Unknown), r.ToString());
        AssertWitnessReplays(net, box, delta, r);
        var brute = BruteForce(net, box, delta, 0, 4);
        Assert.That(r.Upper >= brute, Is.True, $"U = {r.Upper} below a brute-force sample {brute}");
        Assert.That(r.Lower.ToDouble(), Is.GreaterThanOrEqualTo((brute - tol).ToDouble() - 1e-9));
        Assert.That(r.Upper - r.Lower <= tol + Rational.Parse("1/1000000000"), Is.True, r.ToString());
    }

    [Test]
    public void NonlinearCaseWithEveryLayerPerturbedIsAboveEverySample()
    {
        var net = Net231();
        var box = Unit(2);
        var delta = Delta(net, 0.0625);
        // Soundness only: whatever the solver reaches in 3 s (13 parameters, 9 products), U stays above every sample.
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact with { Tolerance = Rational.Parse("1/32"), TotalTimeout = TimeSpan.FromSeconds(3) });
        TestContext.Out.WriteLine(r.ToString());
        Assert.That(r.Mode, Is.EqualTo(DeviationMaximizer.Nra));
        AssertWitnessReplays(net, box, delta, r);
        var rng = new Random(7);
        var vertices = Vertices(net, delta).ToList();
        foreach (var x in Grid(box, 2))
        {
            var xr = x.Select(Rational.FromDouble).ToArray();
            var y = net.EvaluateExact(xr)[0];
            for (int s = 0; s < 40; s++)
            {
                var v = vertices[rng.Next(vertices.Count)];
                Assert.That(Rational.Abs(v.EvaluateExact(xr)[0] - y) <= r.Upper, Is.True);
            }
        }
    }

    [Test]
    public void CorruptedWitnessesAreRejected()
    {
        var net = Net231();
        var box = Unit(2);
        var delta = Delta(net, 0.125, 2);
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact);
        var w = r.Witness!.Witness;
        Assert.That(w.Replay(net, box, delta), Is.EqualTo(r.Lower));

        // δ one ulp outside the box: not admissible.
        var last = w.Perturbed.Layers[1];
        var wts = last.Weights.ToArray();
        wts[0] = Math.BitIncrement(net.Layers[1].W(0, 0) + 0.125);
        var outside = w with { Perturbed = w.Perturbed.WithLayers([w.Perturbed.Layers[0], last.With(wts)]) };
        Assert.That(outside.Replay(net, box, delta), Is.Null);
        // A perturbed layer the box keeps fixed: not admissible.
        var first = w.Perturbed.Layers[0].Weights.ToArray();
        first[0] += 0.5;
        var moved = w with { Perturbed = w.Perturbed.WithLayers([w.Perturbed.Layers[0].With(first), last]) };
        Assert.That(moved.Replay(net, box, delta), Is.Null);
        // x outside the input box.
        Assert.That((w with { X = [1.5, w.X[1]] }).Replay(net, box, delta), Is.Null);
        // A witness whose δ is shrunk replays to less than the claimed maximum: the value is never taken on trust.
        var half = last.Weights.ToArray().Select((v, k) => net.Layers[1].Weights[k] + (v - net.Layers[1].Weights[k]) / 2).ToArray();
        var weaker = w with { Perturbed = w.Perturbed.WithLayers([w.Perturbed.Layers[0], last.With(half)]) };
        Assert.That(weaker.Replay(net, box, delta)!.Value < r.Lower, Is.True);
    }

    [Test]
    public void NormBallsAndLargeNonlinearQueriesAreSkippedWithTheStartBound()
    {
        var net = OutputMaximizerTests.DyadicNetwork(4, Activation.Relu, 2, 8, 8, 1);
        var box = Unit(2);
        var ball = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 1, Ratio = 0.1 }.ToBox(net);
        var skipped = DeviationMaximizer.Maximize(net, box, ball, 0, Exact);
        Assert.That(skipped.Mode, Is.EqualTo(DeviationMaximizer.Skipped));
        Assert.That(skipped.SkipReason, Does.Contain("norm-ball"));
        Assert.That(skipped.Status, Is.EqualTo(MaximizeStatus.Unknown));

        var all = Delta(net, 0.01);
        var big = DeviationMaximizer.Maximize(net, box, all, 0, Exact with { KnownUpper = 123.0 });
        Assert.That(big.Mode, Is.EqualTo(DeviationMaximizer.Skipped));
        Assert.That(big.SkipReason, Does.Contain("products"));
        var ibp = new Verify.Bounds.IntervalDifferenceBounder().Bound(net, box, all).Upper[0];
        Assert.That(big.UpperDouble, Is.EqualTo(Math.Min(ibp, 123.0)), "skipped: the best certified start bound");

        var point = new Box([Interval.Point(0.5), Interval.Point(0.25)]);
        var many = DeviationMaximizer.Maximize(net, point, Delta(net, 0.01, 2), 0, Exact with { MaxParameterVariables = 50 });
        Assert.That(many.Mode, Is.EqualTo(DeviationMaximizer.Skipped));
        Assert.That(many.SkipReason, Does.Contain("72 moving parameters"));
    }

    [Test]
    public void CancellationStopsTheSearchWithAnHonestInterval()
    {
        var net = Net231();
        var box = Unit(2);
        var delta = Delta(net, 0.0625);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = DeviationMaximizer.Maximize(net, box, delta, 0, Exact, cts.Token);
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Unknown));
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Cancelled));
        Assert.That(r.UpperDouble, Is.EqualTo(new Verify.Bounds.IntervalDifferenceBounder().Bound(net, box, delta).Upper[0]));
    }
}
