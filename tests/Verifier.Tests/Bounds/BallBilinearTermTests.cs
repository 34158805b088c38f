using Verify.Bounds;
using Verify.Intervals;

namespace Verify.Tests.Bounds;

/// <summary>The linear upper bound of R‖h‖₂ over a box holds exactly at random points and corners, and is tight at a point box.</summary>
public class BallBilinearTermTests
{
    [Test]
    public void LinearUpperHoldsExactlyOnTheBox()
    {
        var rng = new Random(11);
        for (int t = 0; t < 400; t++)
        {
            int n = 1 + rng.Next(6);
            var lo = new double[n]; var hi = new double[n];
            for (int j = 0; j < n; j++)
            {
                double a = Math.Round((2 * rng.NextDouble() - 1) * 64) / 16, b = Math.Round((2 * rng.NextDouble() - 1) * 64) / 16;
                if (t % 3 == 0) { a = Math.Abs(a); b = Math.Abs(b); }   // h′ ≥ 0 after a ReLU
                lo[j] = Math.Min(a, b) + 0.1 * rng.NextDouble(); hi[j] = Math.Max(a, b) + 0.1;
                if (rng.Next(5) == 0) hi[j] = lo[j];
            }
            double R = rng.NextDouble() * 3;
            var coef = new double[n];
            double c = BallBilinearTerm.LinearUpper(R, lo, hi, coef);
            for (int s = 0; s < 20; s++)
            {
                var h = new double[n];
                for (int j = 0; j < n; j++) h[j] = s % 2 == 0 ? (rng.Next(2) == 0 ? lo[j] : hi[j]) : lo[j] + rng.NextDouble() * (hi[j] - lo[j]);
                h = h.Select((v, j) => Math.Clamp(v, lo[j], hi[j])).ToArray();
                // R‖h‖ ≤ v ⇔ v ≥ 0 and R²‖h‖² ≤ v², decided in rationals.
                Rational v = Rational.FromDouble(c), hh = Rational.Zero;
                for (int j = 0; j < n; j++) { var q = Rational.FromDouble(h[j]); v += Rational.FromDouble(coef[j]) * q; hh += q * q; }
                var r = Rational.FromDouble(R);
                Assert.That(v.Sign >= 0 && r * r * hh <= v * v, $"trial {t}: R‖h‖ = {R * Math.Sqrt(hh.ToDouble()):R} > {v.ToDouble():R}");
            }
        }
    }

    [Test]
    public void APointBoxGivesTheNormItself()
    {
        double[] h = [0.5, 1.25, 0, 3];
        var coef = new double[4];
        double c = BallBilinearTerm.LinearUpper(2, h, h, coef);
        double value = c + coef.Zip(h, (a, x) => a * x).Sum();
        double exact = 2 * Math.Sqrt(h.Sum(x => x * x));
        Assert.That(value, Is.GreaterThanOrEqualTo(exact));
        Assert.That(value, Is.EqualTo(exact).Within(1e-12).Percent);
    }

    [Test]
    public void TheLinearFormNeverExceedsTheConstantBoundOnTheBox()
    {
        double[] lo = [0, 0.5, 1], hi = [2, 0.75, 3];
        var coef = new double[3];
        double c = BallBilinearTerm.LinearUpper(1, lo, hi, coef);
        double max = c + coef.Select((a, j) => a > 0 ? a * hi[j] : a * lo[j]).Sum();
        Assert.That(max, Is.LessThanOrEqualTo(EuclideanNorm.MaxOverBox(lo, hi) * (1 + 1e-12)));
    }

    [Test]
    public void ZeroMultiplierOrZeroBoxGivesZero()
    {
        var coef = new double[2];
        Assert.That(BallBilinearTerm.LinearUpper(0, [1, 2], [3, 4], coef), Is.EqualTo(0));
        Assert.That(BallBilinearTerm.LinearUpper(5, [0, 0], [0, 0], coef), Is.EqualTo(0));
        Assert.That(coef, Is.All.EqualTo(0));
    }
}
