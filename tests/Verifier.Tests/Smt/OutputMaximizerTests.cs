using Verify.Intervals;
using Verify.Model;
using Verify.Smt;

namespace Verify.Tests.Smt;

public class OutputMaximizerTests
{
    private static readonly MaximizeOptions Exact = new()
    {
        CheckTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(30), MaxChecks = 200,
    };

    /// <summary>A random network whose weights and biases are multiples of 1/8 in [−1, 1].</summary>
    internal static Network DyadicNetwork(int seed, Activation hidden, params int[] widths)
    {
        var rng = new Random(seed);
        var layers = new List<DenseLayer>();
        for (int l = 1; l < widths.Length; l++)
        {
            int n = widths[l], m = widths[l - 1];
            var w = Enumerable.Range(0, n * m).Select(_ => rng.Next(-8, 9) / 8.0).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => rng.Next(-8, 9) / 8.0).ToArray();
            layers.Add(new DenseLayer(n, m, w, b, l == widths.Length - 1 ? Activation.Identity : hidden));
        }
        return new Network(layers);
    }

    internal static Box UnitBox(int n) => new(Enumerable.Repeat(new Interval(-1, 1), n).ToArray());

    /// <summary>max over the dyadic grid with 2^k + 1 points per axis, in exact arithmetic: a lower bound.</summary>
    private static Rational GridMaximum(Network net, Box box, int output, int k = 5)
    {
        int steps = 1 << k;
        var best = (Rational?)null;
        var lo = box.Lower.Select(Rational.FromDouble).ToArray();
        var width = box.Upper.Select((h, i) => Rational.FromDouble(h) - lo[i]).ToArray();
        var index = new int[box.Dimension];
        while (true)
        {
            var x = index.Select((t, i) => lo[i] + width[i] * new Rational(t, steps)).ToArray();
            var y = net.EvaluateExact(x)[output];
            if (best is null || y > best.Value) best = y;
            int d = 0;
            while (d < index.Length && ++index[d] > steps) index[d++] = 0;
            if (d == index.Length) return best!.Value;
        }
    }

    private static void AssertExactAndAboveGrid(Network net, Box box, MaximizeResult r)
    {
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact), $"{r}");
        Assert.That(r.Upper, Is.EqualTo(r.Lower));
        Assert.That(box.Contains(r.Witness), Is.True);
        Assert.That(net.EvaluateExact(r.Witness)[0], Is.EqualTo(r.Lower), "the witness replays exactly to the maximum");
        Assert.That(r.Lower >= GridMaximum(net, box, 0), Is.True, "no grid point beats the certified maximum");
        var certified = IntervalPropagation.Outputs(net, box)[0];
        Assert.That(r.Upper <= Rational.FromDouble(certified.Hi), Is.True);
    }

    [Test]
    public void HandComputedMaximumIsFoundExactly()
    {
        // y = relu(x) − 2·relu(x − 1/2) on [0, 1] peaks at x = 1/2 with y = 1/2; the box centre is that
        // point, so shift the box to [0, 0.875] to make the start value wrong.
        var net = new Network([
            DenseLayer.FromRows([[1.0], [1.0]], [0.0, -0.5], Activation.Relu),
            DenseLayer.FromRows([[1.0, -2.0]], [0.0], Activation.Identity),
        ]);
        var box = new Box([new Interval(0, 0.875)]);
        var r = OutputMaximizer.MaximizeOutput(net, box, 0, Exact);
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact), r.ToString());
        Assert.That(r.Lower, Is.EqualTo(Rational.Parse("1/2")));
        Assert.That(r.Witness[0], Is.EqualTo(Rational.Parse("1/2")));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void ExactMaximumOf2x3x1EqualsBruteForce(int seed)
    {
        var net = DyadicNetwork(seed, Activation.Relu, 2, 3, 1);
        var box = UnitBox(2);
        AssertExactAndAboveGrid(net, box, OutputMaximizer.MaximizeOutput(net, box, 0, Exact));
    }

    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    public void ExactMaximumOf2x4x4x1EqualsBruteForce(int seed)
    {
        var net = DyadicNetwork(seed, Activation.Relu, 2, 4, 4, 1);
        var box = UnitBox(2);
        AssertExactAndAboveGrid(net, box, OutputMaximizer.MaximizeOutput(net, box, 0, Exact));
    }

    [TestCase(21)]
    [TestCase(22)]
    public void LeakyReluNetworksToo(int seed)
    {
        var net = DyadicNetwork(seed, Activation.Leaky(0.125), 2, 4, 4, 1);
        var box = UnitBox(2);
        AssertExactAndAboveGrid(net, box, OutputMaximizer.MaximizeOutput(net, box, 0, Exact));
    }

    [TestCase(31)]
    [TestCase(32)]
    public void OptimizeThenCertifyAgreesWithBisection(int seed)
    {
        var net = DyadicNetwork(seed, Activation.Relu, 2, 4, 4, 1);
        var box = UnitBox(2);
        var bisection = OutputMaximizer.MaximizeOutput(net, box, 0, Exact);
        var optimize = OutputMaximizer.MaximizeOutput(net, box, 0, Exact with { Method = MaximizeMethod.OptimizeThenCertify });
        AssertExactAndAboveGrid(net, box, optimize);
        Assert.That(optimize.Lower, Is.EqualTo(bisection.Lower));
        Assert.That(optimize.Checks, Is.LessThanOrEqualTo(bisection.Checks));
    }

    [TestCase(41)]
    public void PlainIteEncodingGivesTheSameMaximum(int seed)
    {
        var net = DyadicNetwork(seed, Activation.Relu, 2, 4, 4, 1);
        var box = UnitBox(2);
        var bounded = OutputMaximizer.MaximizeOutput(net, box, 0, Exact);
        var plain = OutputMaximizer.MaximizeOutput(net, box, 0, Exact with { Encoding = ReluEncoding.PlainIte });
        Assert.That(plain.Status, Is.EqualTo(MaximizeStatus.Exact));
        Assert.That(plain.Lower, Is.EqualTo(bounded.Lower));
    }

    [Test]
    public void LinearCombinationOfOutputs()
    {
        var net = DyadicNetwork(51, Activation.Relu, 2, 4, 2);
        var box = UnitBox(2);
        var c = new[] { Rational.One, -Rational.One };
        var r = OutputMaximizer.Maximize(net, box, c, Exact);
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Exact), r.ToString());
        var y = net.EvaluateExact(r.Witness);
        Assert.That(y[0] - y[1], Is.EqualTo(r.Lower));
        var diff = DyadicNetwork(51, Activation.Relu, 2, 4, 2);
        // Brute force on the difference network y0 − y1.
        var last = diff.Layers[^1];
        var single = new Network([.. diff.Layers.Take(diff.Depth - 1),
            new DenseLayer(1, last.Inputs, [.. Enumerable.Range(0, last.Inputs).Select(j => last.W(0, j) - last.W(1, j))],
                           [last.B(0) - last.B(1)], Activation.Identity)]);
        Assert.That(r.Lower >= GridMaximum(single, box, 0), Is.True);
    }

    [Test]
    public void ToleranceStopsEarlyWithACertifiedInterval()
    {
        var net = DyadicNetwork(61, Activation.Relu, 2, 8, 8, 1);
        var box = UnitBox(2);
        var r = OutputMaximizer.MaximizeOutput(net, box, 0, Exact with { Tolerance = Rational.Parse("1/4") });
        Assert.That(r.Status, Is.AnyOf(MaximizeStatus.Exact, MaximizeStatus.WithinTolerance));
        Assert.That(r.Upper - r.Lower <= Rational.Parse("1/4"), Is.True);
        Assert.That(net.EvaluateExact(r.Witness)[0], Is.EqualTo(r.Lower));
        Assert.That(r.Upper >= GridMaximum(net, box, 0), Is.True);
    }

    [Test]
    public void CheckBudgetExhaustedIsAnHonestUnknownInterval()
    {
        var net = DyadicNetwork(71, Activation.Relu, 2, 8, 8, 1);
        var box = UnitBox(2);
        var r = OutputMaximizer.MaximizeOutput(net, box, 0, Exact with { MaxChecks = 1 });
        var grid = GridMaximum(net, box, 0);
        Assert.That(r.Status, Is.Not.EqualTo(MaximizeStatus.WithinTolerance));
        if (r.Status == MaximizeStatus.Unknown) Assert.That(r.Lower < r.Upper, Is.True);
        Assert.That(r.Upper >= grid, Is.True);
        Assert.That(net.EvaluateExact(r.Witness)[0], Is.EqualTo(r.Lower));
    }

    [Test]
    public void CancelledMaximizationReturnsUnknownCancelled()
    {
        var net = DyadicNetwork(81, Activation.Relu, 2, 8, 8, 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = OutputMaximizer.MaximizeOutput(net, UnitBox(2), 0, Exact, cts.Token);
        Assert.That(r.Status, Is.EqualTo(MaximizeStatus.Unknown));
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Cancelled));
        Assert.That(r.Upper >= GridMaximum(net, UnitBox(2), 0), Is.True);
    }
}
