using Verify.Intervals;
using Verify.InverseStability;
using Verify.Model;
using Verify.Tests.Equivalence;

namespace Verify.Tests.InverseStability;

/// <summary>Soundness of the cheap pieces the region search relies on, against random exact points.</summary>
public class RegionPiecesTests
{
    private static AffineForm RandomForm(Random rng, int d, bool longNumbers)
    {
        Rational R() => longNumbers ? Rational.FromDouble(rng.NextDouble() * 2 - 1) * Rational.FromDouble(rng.NextDouble() * 2 - 1)
                                    : new Rational(rng.Next(-40, 41), 16);
        return new AffineForm(Enumerable.Range(0, d).Select(_ => R()).ToArray(), R() / 2);
    }

    private static Rational[] RandomPoint(Random rng, int d) =>
        Enumerable.Range(0, d).Select(_ => Rational.FromDouble(rng.NextDouble() * 2 - 1)).ToArray();

    private static readonly Rational[] Lo = [-1, -1, -1];
    private static readonly Rational[] Hi = [1, 1, 1];

    [Test]
    public void TheShortRelaxationIsNeverBelowTheForm()
    {
        var rng = new Random(1);
        for (int t = 0; t < 200; t++)
        {
            var g = RandomForm(rng, 3, longNumbers: true);
            var (r, same) = ShortRelaxation.Relax(g, Lo, Hi);
            Assert.That(same, Is.False);
            Assert.That(r.Coefficients.Concat([r.Constant]).All(v => v.Denominator.GetBitLength() < 160));
            for (int s = 0; s < 20; s++)
            {
                var x = RandomPoint(rng, 3);
                Assert.That(r.Evaluate(x) >= g.Evaluate(x));
            }
            foreach (var corner in new[] { Lo, Hi, new Rational[] { -1, 1, -1 } })
                Assert.That(r.Evaluate(corner) >= g.Evaluate(corner));
        }
        var small = RandomForm(rng, 3, longNumbers: false);
        Assert.That(ShortRelaxation.Relax(small, Lo, Hi).Same, Is.True);
    }

    [Test]
    public void PairwiseEmptinessNeverRejectsAPointOfBothHalfSpaces()
    {
        var rng = new Random(2);
        var box = new RegionBox(Enumerable.Repeat(new Interval(-1, 1), 2).ToArray());
        int proofs = 0;
        for (int t = 0; t < 300; t++)
        {
            var g = RandomForm(rng, 2, t % 2 == 0); var h = RandomForm(rng, 2, t % 3 == 0);
            if (!PairwiseEmptiness.Proves(g, h, box)) continue;
            proofs++;
            for (int s = 0; s < 200; s++)
            {
                var x = RandomPoint(rng, 2);
                Assert.That(g.Evaluate(x).Sign > 0 && h.Evaluate(x).Sign > 0, Is.False);
            }
        }
        Assert.That(proofs, Is.GreaterThan(10));
        // x > 1/2 and −x > 0 never meet: needs a combination, neither alone is ≤ 0 on the box.
        var right = new AffineForm([1, 0], new Rational(-1, 2));
        var left = new AffineForm([-1, 0], 0);
        Assert.That(PairwiseEmptiness.Proves(right, left, box), Is.True);
    }

    [Test]
    public void ContractedBoxesKeepEveryPointOfTheRegion()
    {
        var rng = new Random(3);
        var start = new RegionBox(Enumerable.Repeat(new Interval(-1, 1), 3).ToArray());
        for (int t = 0; t < 100; t++)
        {
            var constraints = Enumerable.Range(0, 4).Select(_ => (RandomForm(rng, 3, t % 2 == 0), rng.Next(2) * 2 - 1)).ToList();
            var box = start.Contract(constraints);
            for (int s = 0; s < 100; s++)
            {
                var x = RandomPoint(rng, 3);
                if (!constraints.All(c => c.Item1.Evaluate(x).Sign * c.Item2 > 0)) continue;
                for (int k = 0; k < 3; k++)
                    Assert.That(Rational.FromDouble(box.Dims[k].Lo) <= x[k] && x[k] <= Rational.FromDouble(box.Dims[k].Hi));
            }
        }
    }

    [Test]
    public void PointJacobianRefusesKinksAndAcceptsFlatZeros()
    {
        // f = ρ(x − y) + ρ(0·x): on the line x = y the first neuron is at a kink; the second is identically 0.
        var net = new Network([
            DenseLayer.FromRows([[1.0, -1.0], [0.0, 0.0]], [0, 0], Activation.Relu),
            DenseLayer.FromRows([[1.0, 1.0]], [0], Activation.Identity)]);
        Assert.That(ExactPasses.Jacobian(net.Layers, [new Rational(1, 3), new Rational(1, 3)], [0, 1]), Is.Null);
        var j = ExactPasses.Jacobian(net.Layers, [new Rational(1, 2), new Rational(1, 3)], [0, 1])!;
        Assert.That(j[0], Is.EqualTo(new Rational[] { 1, -1 }));
        // With y fixed (not free), the kink still blocks: the pre-activation moves with x.
        Assert.That(ExactPasses.Jacobian(net.Layers, [new Rational(1, 3), new Rational(1, 3)], [0]), Is.Null);
        // With x fixed, differentiating only in y.
        Assert.That(ExactPasses.Jacobian(net.Layers, [new Rational(1, 2), new Rational(1, 3)], [1])![0], Is.EqualTo(new Rational[] { -1 }));
    }

    [Test]
    public void TheSupDistanceBracketsTheExactOneDimensionalValue()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 3; trial++)
        {
            Rational D() => new(rng.Next(-64, 65), 16);
            ShallowNet1D Net(int width) => new(Enumerable.Range(0, width).Select(_ => new Neuron1D(D(), D(), D())).ToArray(), D());
            var f = Net(3); var g = Net(2);
            var exact = RealizationDistance.Compute(f, g, -2, 3).Sup;
            var r = new SupDistance { Timeout = TimeSpan.FromSeconds(5), Threads = 1 }.Compute(f.ToNetwork("f"), g.ToNetwork("g"), Box.FromBounds([-2.0], [3.0]));
            Assert.That(r.Lower <= exact, $"trial {trial}");
            Assert.That(r.Upper, Is.GreaterThanOrEqualTo(exact.ToDouble()), $"trial {trial}");
            Assert.That(r.Upper - r.Lower.ToDouble(), Is.LessThanOrEqualTo(1e-5 * Math.Max(1, r.Upper)), $"trial {trial}");
            var y = WitnessDifference(f.ToNetwork("f"), g.ToNetwork("g"), r.Witness!, r.Output!.Value);
            Assert.That(y, Is.EqualTo(r.Lower));
        }
    }

    private static Rational WitnessDifference(Network a, Network b, Rational[] x, int j) =>
        Rational.Abs(b.EvaluateExact(x)[j] - a.EvaluateExact(x)[j]);
}

