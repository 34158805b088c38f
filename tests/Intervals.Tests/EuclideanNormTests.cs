using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>The Euclidean norm bounds are upper bounds in exact arithmetic, and tight to a few ulps.</summary>
public class EuclideanNormTests
{
    [Test]
    public void UpperIsAnUpperBoundAndTight()
    {
        var rng = new Random(5);
        for (int t = 0; t < 2000; t++)
        {
            var v = new double[1 + rng.Next(12)];
            for (int k = 0; k < v.Length; k++) v[k] = (2 * rng.NextDouble() - 1) * Math.Pow(2, rng.Next(-40, 40));
            double u = EuclideanNorm.Upper(v);
            Rational sq = Rational.Zero;
            foreach (var x in v) sq += Q(x) * Q(x);
            Assert.That(Q(u) * Q(u) >= sq, $"‖v‖ ≤ {u:R}");
            Assert.That(u, Is.LessThanOrEqualTo(Math.Sqrt(sq.ToDouble()) * (1 + 1e-14)));
        }
    }

    [Test]
    public void MaxOverBoxBoundsEveryCorner()
    {
        double[] lo = [-3, 1, -0.5, 0], hi = [2, 4, -0.25, 0];
        double u = EuclideanNorm.MaxOverBox(lo, hi);
        Assert.That(Q(u) * Q(u) >= Q(9) + Q(16) + Q(0.25), Is.True);
        Assert.That(u, Is.EqualTo(Math.Sqrt(25.25)).Within(1e-14));
        Assert.That(EuclideanNorm.MaxOverBox([0, 0], [0, 0]), Is.EqualTo(0));
        Assert.That(EuclideanNorm.Upper([3, 4]), Is.EqualTo(5), "exact when the square root is a double");
    }
}
