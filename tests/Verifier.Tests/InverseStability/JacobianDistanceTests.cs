using Verify.Intervals;
using Verify.InverseStability;
using Verify.Model;
using Verify.Results;
using Verify.Tests.Equivalence;

namespace Verify.Tests.InverseStability;

public class JacobianDistanceTests
{
    private static Rational Q(long p, long q = 1) => new(p, q);

    private static RegionDistanceResult Semi(Network a, Network b, Box box, double? seconds = 20) =>
        new JacobianDistance { Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null }.Compute(a, b, box);

    /// <summary>Two inputs, outputs (ρ(x) + 3ρ(x + y − k) + c·ρ(w…)), ρ(y)) built from rows; w is an optional third input.</summary>
    private static Network Kinked(double kink, double wWeight = 0, int inputs = 2)
    {
        double[] Row(params double[] v) => v.Take(inputs).ToArray();
        var hidden = DenseLayer.FromRows(
            [Row(1, 0, 0), Row(1, 1, wWeight), Row(0, 1, 0)], [0, -kink, 0], Activation.Relu);
        var output = DenseLayer.FromRows([[1, 3, 0], [0, 0, 1]], [0, 0], Activation.Identity);
        return new Network([hidden, output]);
    }

    /// <summary>The region enumeration itself, without the exact-copy shortcut of <see cref="JacobianDistance"/>.</summary>
    private static RegionDistanceResult Enumerate(Network a, Network b, Box box)
    {
        var slice = new BoxSlice(box);
        return new RegionSearch(a, b, slice, new JacobianObjective(a, b, slice)).Run(TimeSpan.FromSeconds(20), default);
    }

    [Test]
    public void ANetworkIsAtJacobianDistanceZeroFromItself()
    {
        var a = EquivFixtures.Random(4, 2, 6, 5, 2);
        var r = Enumerate(a, a, EquivFixtures.Cube(2, 1));
        Assert.That(r.Exact, Is.EqualTo(Rational.Zero));
        Assert.That(r.Upper, Is.EqualTo(0.0));
        Assert.That(r.Regions, Is.GreaterThan(1));
    }

    [Test]
    public void ASymmetricCopyIsAtJacobianDistanceZero()
    {
        var a = EquivFixtures.Random(5, 2, 5, 4, 1);
        var copy = EquivFixtures.SymmetricCopy(a, 3);
        Assert.That(Enumerate(a, copy, EquivFixtures.Cube(2, 2)).Exact, Is.EqualTo(Rational.Zero));
        var r = Semi(a, copy, EquivFixtures.Cube(2, 2));
        Assert.That(r.Exact, Is.EqualTo(Rational.Zero));
        Assert.That(r.ExactCopy, Is.True);
    }

    // f1 − f2 = 3ρ(x + y − 1/2) − 3ρ(x + y − 1/4): gradient (−3, −3) on the strip 1/4 < x + y < 1/2, 0 elsewhere;
    // the operator ∞-norm is the row sum 6 (the second output ρ(y) is shared).
    [Test]
    public void MovingOneKinkGivesTheHandComputedSemiNorm()
    {
        var r = Semi(Kinked(0.5), Kinked(0.25), EquivFixtures.Cube(2, 1));
        Assert.That(r.Exact, Is.EqualTo(Q(6)));
        Assert.That(r.Lower, Is.EqualTo(Q(6)));
        var x = r.Witness!;
        var s = x[0] + x[1];
        Assert.That(s > Q(1, 4) && s < Q(1, 2), $"witness {x[0]}, {x[1]} is not in the strip");
    }

    [Test]
    public void AStripOutsideTheBoxDoesNotCount()
    {
        // On [0.3, 1]², x + y ≥ 0.6 > 1/2: both kinks are left of the box.
        var box = Box.FromBounds([0.3, 0.3], [1, 1]);
        var r = Semi(Kinked(0.5), Kinked(0.25), box);
        Assert.That(r.Exact, Is.EqualTo(Rational.Zero));
    }

    [Test]
    public void FixedCoordinatesAreNotDifferentiated()
    {
        // A third input w enters the moved neuron with weight 5; with w fixed at 0 only ∂/∂x, ∂/∂y count: still 6
        // (with ∂/∂w the row sum would be 21).
        var box = Box.FromBounds([-1, -1, 0], [1, 1, 0]);
        var r = Semi(Kinked(0.5, 5, 3), Kinked(0.25, 5, 3), box);
        Assert.That(r.Exact, Is.EqualTo(Q(6)));
        var full = Semi(Kinked(0.5, 5, 3), Kinked(0.25, 5, 3), Box.FromBounds([-1, -1, -0.01], [1, 1, 0.01]));
        Assert.That(full.Exact, Is.EqualTo(Q(21)));
    }

    [Test]
    public void ShallowScalarNetworksAgreeWithTheExactOneDimensionalDistance()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 6; trial++)
        {
            Rational D() => new(rng.Next(-64, 65), 16);   // dyadic, so the native networks are exact
            ShallowNet1D Net(int width) => new(Enumerable.Range(0, width).Select(_ => new Neuron1D(D(), D(), D())).ToArray(), D());
            var f = Net(1 + trial % 4); var g = Net(2 + trial % 3);
            var exact = RealizationDistance.Compute(f, g, -2, 3);
            var r = Semi(f.ToNetwork("f"), g.ToNetwork("g"), Box.FromBounds([-2.0], [3.0]));
            Assert.That(r.Exact, Is.EqualTo(exact.SobolevSemi), $"trial {trial}");
        }
    }

    [Test]
    public void TheExactSemiNormBoundsEverySampledSlopeAndIsAttained()
    {
        var a = EquivFixtures.Random(11, 2, 5, 4, 2);
        var b = EquivFixtures.Random(12, 2, 6, 2);
        var box = EquivFixtures.Cube(2, 1.5);
        var r = Semi(a, b, box);
        Assert.That(r.IsExact, Is.True);
        var rng = new Random(3);
        var free = new[] { 0, 1 };
        var sampledMax = Rational.Zero;
        for (int i = 0; i < 4000; i++)
        {
            var x = new[] { Rational.FromDouble(rng.NextDouble() * 3 - 1.5), Rational.FromDouble(rng.NextDouble() * 3 - 1.5) };
            var j1 = ExactPasses.Jacobian(a.Layers, x, free); var j2 = ExactPasses.Jacobian(b.Layers, x, free);
            if (j1 is null || j2 is null) continue;   // on a kink: measure zero
            var v = JacobianNorm.OfDifference(j1, j2);
            Assert.That(v <= r.Exact!.Value, $"sample {v} above the exact {r.Exact}");
            sampledMax = Rational.Max(sampledMax, v);
        }
        Assert.That(sampledMax > Rational.Zero);
        // The witness replays to the exact value, and some sample region reaches it unless the best region is tiny.
        var w = r.Witness!;
        var d = JacobianNorm.OfDifference(ExactPasses.Jacobian(a.Layers, w, free)!, ExactPasses.Jacobian(b.Layers, w, free)!);
        Assert.That(d, Is.EqualTo(r.Exact!.Value));
        Assert.That(box.Contains(w));
    }

    [Test]
    public void AnInterruptedSearchStillBracketsTheExactValue()
    {
        var a = EquivFixtures.Random(21, 2, 6, 6, 2);
        var b = EquivFixtures.Jitter(a, 0.05, 2);
        var box = EquivFixtures.Cube(2, 1);
        var full = Semi(a, b, box, 60);
        Assert.That(full.IsExact, Is.True);
        var cut = new JacobianDistance { Timeout = TimeSpan.FromMilliseconds(10) }.Compute(a, b, box);
        Assert.That(cut.TimedOut, Is.True);
        Assert.That(cut.IsExact, Is.False);
        Assert.That(double.IsFinite(cut.Upper), Is.True);
        Assert.That(cut.Lower <= full.Exact!.Value);
        Assert.That(cut.Upper, Is.GreaterThanOrEqualTo(full.Exact!.Value.ToDouble()));
    }

    [Test]
    public void LeakyReluSlopesAreUsedOnTheNegativeSide()
    {
        // f1 = leaky(x) with slope 1/4, f2 = 0 on [−1, 1]: |f1′| is 1 on x > 0 and 1/4 on x < 0.
        var f1 = new Network([DenseLayer.FromRows([[1.0]], [0], Activation.Leaky(0.25)), DenseLayer.FromRows([[1.0]], [0], Activation.Identity)]);
        var f2 = new Network([DenseLayer.FromRows([[0.0]], [0], Activation.Relu), DenseLayer.FromRows([[1.0]], [0], Activation.Identity)]);
        Assert.That(Semi(f1, f2, Box.FromBounds([-1.0], [0.0])).Exact, Is.EqualTo(Q(1, 4)));
        Assert.That(Semi(f1, f2, Box.FromBounds([-1.0], [1.0])).Exact, Is.EqualTo(Q(1)));
    }

    [Test]
    public void AReluOnTheOutputLayerIsBranchedToo()
    {
        // f1 = ρ(2x − 1) (one layer, ReLU output), f2 = 0: |f1′| = 2 on x > 1/2, 0 below.
        var f1 = new Network([DenseLayer.FromRows([[2.0]], [-1], Activation.Relu)]);
        var f2 = new Network([DenseLayer.FromRows([[0.0]], [0], Activation.Relu)]);
        Assert.That(Semi(f1, f2, Box.FromBounds([0.0], [1.0])).Exact, Is.EqualTo(Q(2)));
        Assert.That(Semi(f1, f2, Box.FromBounds([0.0], [0.5])).Exact, Is.EqualTo(Rational.Zero));
    }
}
