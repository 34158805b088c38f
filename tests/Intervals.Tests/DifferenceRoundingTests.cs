using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// <see cref="Rounding.ClosestWithDifferenceIn"/> pulls a perturbed parameter back into its admissible set: the result's
/// exact difference to the origin lies in [lo, hi], it lies between origin and candidate, and the next double towards
/// the candidate would leave the set.
/// </summary>
public class DifferenceRoundingTests
{
    private static bool Within(double origin, double x, double lo, double hi)
    {
        var d = Q(x) - Q(origin);
        return Q(lo) <= d && d <= Q(hi);
    }

    private static void Check(double origin, double candidate, double lo, double hi)
    {
        double r = Rounding.ClosestWithDifferenceIn(origin, candidate, lo, hi);
        string what = $"origin {origin:R}, candidate {candidate:R}, [{lo:R}, {hi:R}] → {r:R}";
        Assert.That(double.IsFinite(r) && Within(origin, r, lo, hi), "outside: " + what);
        Assert.That(Math.Min(origin, candidate) <= r && r <= Math.Max(origin, candidate), "not between: " + what);
        Assert.That(Rounding.DifferenceWithin(origin, r, lo, hi), Is.True, what);
        if (r != candidate)
        {
            double next = candidate > r ? Math.BitIncrement(r) : Math.BitDecrement(r);
            Assert.That(double.IsFinite(next) && Within(origin, next, lo, hi), Is.False, "not the closest: " + what);
        }
    }

    [Test]
    public void TheResultIsInsideExactlyAndAsCloseAsPossible()
    {
        TestDoubles.Chunked(2, TestDoubles.Iterations(3_000), 0x19, (pcg, _) =>
        {
            var (t, d, r, f) = Gen.Select(TestDoubles.Finite, TestDoubles.Finite, TestDoubles.Finite, Gen.Double[0, 1.5]).Generate(pcg, null!, out Size _);
            double radius = Math.Abs(r);
            // Candidates just around the boundary (the case that matters) and anywhere.
            Check(t, t + radius * f, -radius, radius);
            Check(t, t - radius * f, -radius, radius);
            Check(t, t + d, -radius, radius);
        });
    }

    [Test]
    public void RoundingTheRelativeRadiusUpStepsOutside()
    {
        // The example: w = −0.7756786842437912, ε = 0.1; fl(w − MulUp(ε, |w|)) is one ulp beyond ε·|w|.
        double w = -0.7756786842437912, up = Rounding.MulUp(0.1, -w), down = Rounding.MulDown(0.1, -w);
        Assert.That(Q(w) - Q(w - up) > Q(0.1) * Q(-w), "the set-up: the rounded-up radius leaves the set");
        double r = Rounding.ClosestWithDifferenceIn(w, w - up, -down, down);
        Assert.That(Q(w) - Q(r) <= Q(0.1) * Q(-w));
        Assert.That(r, Is.LessThan(w));
    }

    [Test]
    public void NonFiniteCandidatesAndSubnormalRadii()
    {
        Assert.That(Rounding.ClosestWithDifferenceIn(1.0, double.NaN, -1, 1), Is.EqualTo(1.0));
        Assert.That(Rounding.ClosestWithDifferenceIn(double.MaxValue, double.PositiveInfinity, 0, double.MaxValue), Is.EqualTo(double.MaxValue));
        Assert.That(Rounding.ClosestWithDifferenceIn(-double.MaxValue, double.PositiveInfinity, 0, double.MaxValue), Is.EqualTo(0.0));
        // 1e-3·1e-321 is below the smallest subnormal: no double other than the origin is admissible.
        double w = 1e-321, rad = Rounding.MulDown(1e-3, w);
        Assert.That(rad, Is.EqualTo(0.0));
        Assert.That(Rounding.ClosestWithDifferenceIn(w, w + double.Epsilon, -rad, rad), Is.EqualTo(w));
        Assert.Throws<ArgumentException>(() => Rounding.ClosestWithDifferenceIn(0, 1, 0.5, 1));
    }
}
