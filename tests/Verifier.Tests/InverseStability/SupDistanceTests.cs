using Verify.Intervals;
using Verify.InverseStability;
using Verify.Model;
using Verify.Results;
using Verify.Tests.Equivalence;

namespace Verify.Tests.InverseStability;

public class SupDistanceTests
{
    private static RegionDistanceResult RegionSup(Network a, Network b, Box box)
    {
        var slice = new BoxSlice(box);
        return new RegionSearch(a, b, slice, new SupObjective(a, b, slice)).Run(TimeSpan.FromSeconds(20), default);
    }

    [Test]
    public void TheRegionSearchGivesTheExactOneDimensionalSup()
    {
        var rng = new Random(9);
        for (int trial = 0; trial < 6; trial++)
        {
            Rational D() => new(rng.Next(-64, 65), 16);
            ShallowNet1D Net(int width) => new(Enumerable.Range(0, width).Select(_ => new Neuron1D(D(), D(), D())).ToArray(), D());
            var f = Net(1 + trial % 3); var g = Net(2 + trial % 2);
            var exact = RealizationDistance.Compute(f, g, -2, 3).Sup;
            var r = RegionSup(f.ToNetwork("f"), g.ToNetwork("g"), Box.FromBounds([-2.0], [3.0]));
            Assert.That(r.Exact, Is.EqualTo(exact), $"trial {trial}");
        }
    }

    [Test]
    public void TheExactSupBoundsEverySampleAndIsAttainedAtItsWitness()
    {
        var a = EquivFixtures.Random(31, 2, 5, 4, 2);
        var b = EquivFixtures.Random(32, 2, 4, 2);
        var box = EquivFixtures.Cube(2, 1);
        var r = RegionSup(a, b, box);
        Assert.That(r.IsExact, Is.True);
        var w = r.Witness!;
        Assert.That(box.Contains(w));
        Assert.That(Gap(a, b, w), Is.EqualTo(r.Exact!.Value));
        var rng = new Random(4);
        for (int i = 0; i < 2000; i++)
        {
            var x = new[] { Rational.FromDouble(rng.NextDouble() * 2 - 1), Rational.FromDouble(rng.NextDouble() * 2 - 1) };
            Assert.That(Gap(a, b, x) <= r.Exact!.Value);
        }
    }

    [Test]
    public void TheSupOfAMovedKinkIsExact()
    {
        // f1 − f2 = 3ρ(x + y − 1/2) − 3ρ(x + y − 1/4) is −3/4 wherever x + y ≥ 1/2.
        static Network Kinked(double kink) => new([
            DenseLayer.FromRows([[1, 0], [1, 1]], [0, -kink], Activation.Relu),
            DenseLayer.FromRows([[1, 3]], [0], Activation.Identity)]);
        var r = new SupDistance { Timeout = TimeSpan.FromSeconds(10), Threads = 1 }.Compute(Kinked(0.5), Kinked(0.25), EquivFixtures.Cube(2, 1));
        Assert.That(r.Exact, Is.EqualTo(new Rational(3, 4)));
        Assert.That(r.Upper, Is.EqualTo(0.75));
    }

    [Test]
    public void ABisectionThatDoesNotMeetIsFinishedByTheRegionSearch()
    {
        var a = EquivFixtures.Random(41, 2, 4, 4, 1);
        var b = EquivFixtures.Jitter(a, 0.01, 3);
        // No time for bisection: the region search alone must make it exact, seeded by the witness search.
        var r = new SupDistance { Timeout = TimeSpan.FromSeconds(20), BisectionShare = 0, Threads = 1 }.Compute(a, b, EquivFixtures.Cube(2, 1));
        Assert.That(r.IsExact, Is.True);
        Assert.That(r.Regions, Is.Not.Null);
        Assert.That(Gap(a, b, r.Witness!), Is.EqualTo(r.Lower));
        Assert.That(Rational.FromDouble(r.Upper) >= r.Lower);
    }

    private static Rational Gap(Network a, Network b, Rational[] x)
    {
        var y1 = a.EvaluateExact(x); var y2 = b.EvaluateExact(x);
        return y1.Select((v, j) => Rational.Abs(v - y2[j])).Aggregate(Rational.Zero, Rational.Max);
    }
}
