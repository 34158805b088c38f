using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// "Certainly" comparisons hold for every pair of points of the two intervals, "possibly" for at least one pair; the
/// meet of two enclosures of one quantity keeps every value both contain.
/// </summary>
public class ComparisonTests
{
    private static readonly Interval A = new(1, 2), B = new(2, 3), C = new(2.5, 4);

    [Test]
    public void CertainAndPossibleComparisonsOfTouchingAndOverlappingIntervals()
    {
        Assert.Multiple(() =>
        {
            Assert.That(A.CertainlyLessOrEqual(B), Is.True);   // touch at 2
            Assert.That(A.CertainlyLess(B), Is.False);
            Assert.That(A.CertainlyLess(C), Is.True);
            Assert.That(B.CertainlyLess(C), Is.False);         // overlap
            Assert.That(B.PossiblyLess(C) && B.PossiblyGreater(C), Is.True);
            Assert.That(B.CertainlyGreaterOrEqual(A), Is.True);
            Assert.That(B.CertainlyGreater(A), Is.False);
            Assert.That(C.CertainlyGreater(A), Is.True);
            Assert.That(A.PossiblyGreater(B), Is.False);
            Assert.That(A.PossiblyGreaterOrEqual(B), Is.True); // 2 ≥ 2
            Assert.That(A.PossiblyLessOrEqual(A), Is.True);
            Assert.That(new Interval(0, 1).CertainlyPositive, Is.False);
            Assert.That(new Interval(double.Epsilon, 1).CertainlyPositive, Is.True);
            Assert.That(new Interval(-1, -0.0).CertainlyNegative, Is.False);
            Assert.That(new Interval(double.NegativeInfinity, -1).CertainlyNegative, Is.True);
        });
    }

    [Test]
    public void ComparisonsAgreeWithTheirPointwiseDefinitions()
    {
        // Certainly(a ∘ b) ⇔ ∀ x ∈ a, y ∈ b: x ∘ y, and Possibly ⇔ ∃; for closed intervals the extremes decide.
        var gen = Gen.Select(TestDoubles.IntervalGen(false), TestDoubles.IntervalGen(false));
        TestDoubles.Chunked(2, TestDoubles.Iterations(2_000), 0xC0, (pcg, _) =>
        {
            var (a, b) = gen.Generate(pcg, null!, out Size _);
            Assert.That(a.CertainlyLess(b), Is.EqualTo(a.Hi < b.Lo));
            Assert.That(a.CertainlyLess(b), Is.EqualTo(!a.PossiblyGreaterOrEqual(b)));
            Assert.That(a.CertainlyLessOrEqual(b), Is.EqualTo(!a.PossiblyGreater(b)));
            Assert.That(a.CertainlyGreater(b), Is.EqualTo(!a.PossiblyLessOrEqual(b)));
            Assert.That(a.CertainlyGreaterOrEqual(b), Is.EqualTo(!a.PossiblyLess(b)));
            Assert.That(a.CertainlyLess(b), Is.EqualTo(b.CertainlyGreater(a)));
            double x = TestDoubles.PointIn(a, pcg), y = TestDoubles.PointIn(b, pcg);
            if (a.CertainlyLessOrEqual(b)) Assert.That(x <= y, $"{a} ≤ {b} certainly, but {x:R} > {y:R}");
            if (!a.PossiblyLess(b)) Assert.That(x >= y, $"{a} < {b} not even possibly, but {x:R} < {y:R}");
        });
    }

    [Test]
    public void MeetOfEnclosuresIsTheIntersectionAndNeverEmpty()
    {
        Assert.That(Interval.MeetEnclosures(new Interval(0, 2), new Interval(1, 3)), Is.EqualTo(new Interval(1, 2)));
        Assert.That(Interval.MeetEnclosures(new Interval(0, 1), new Interval(0, 1)), Is.EqualTo(new Interval(0, 1)));
        // Rounding can leave two enclosures of one value a hair apart: the crossing endpoints' hull, not an empty set.
        double v = 0.1, up = Math.BitIncrement(v);
        Assert.That(Interval.MeetEnclosures(new Interval(-1, v), new Interval(up, 1)), Is.EqualTo(new Interval(v, up)));
    }

    [Test]
    public void DirectedIntervalProductsAreTheTightestCornerBounds()
    {
        var gen = Gen.Select(TestDoubles.IntervalGen(false), TestDoubles.IntervalGen(false));
        TestDoubles.Chunked(2, TestDoubles.Iterations(2_000), 0xD1, (pcg, _) =>
        {
            var (a, b) = gen.Generate(pcg, null!, out Size _);
            var hull = Hull(Q(a.Lo) * Q(b.Lo), Q(a.Lo) * Q(b.Hi), Q(a.Hi) * Q(b.Lo), Q(a.Hi) * Q(b.Hi));
            Assert.That(Rounding.ProductDown(a.Lo, a.Hi, b.Lo, b.Hi), Is.EqualTo(hull.Lo), $"{a}·{b}");
            Assert.That(Rounding.ProductUp(a.Lo, a.Hi, b.Lo, b.Hi), Is.EqualTo(hull.Hi), $"{a}·{b}");
        });
    }

    [Test]
    public void SubIsExactSaysWhetherTheDoubleDifferenceIsTheExactOne()
    {
        TestDoubles.Chunked(2, TestDoubles.Iterations(5_000), 0x5E, (pcg, _) =>
        {
            double a = TestDoubles.Finite.Generate(pcg, null!, out Size _), b = TestDoubles.Finite.Generate(pcg, null!, out Size _);
            bool exact = Rounding.SubIsExact(a, b, out double d);
            Assert.That(d, Is.EqualTo(a - b));
            Assert.That(exact, Is.EqualTo(double.IsFinite(d) && Q(d) == Q(a) - Q(b)), $"{a:R} − {b:R}");
        });
        Assert.That(Rounding.SubIsExact(1.0, 0.5, out _), Is.True);
        Assert.That(Rounding.SubIsExact(1.0, 1e-30, out _), Is.False);
        Assert.That(Rounding.SubIsExact(double.MaxValue, -double.MaxValue, out _), Is.False);
    }

    [Test]
    public void SumErrorFactorCoversTwiceGamma()
    {
        // Gamma(n) ≥ 2·γ_{n+2} = 2(n+2)u/(1 − (n+2)u), checked exactly.
        var u = Rational.One / Rational.FromDouble(Math.Pow(2, 53));
        foreach (int n in new[] { 0, 1, 3, 50, 1000, 1_000_000, DotErrorBound.MaxTerms })
        {
            var m = Rational.FromDouble(n + 2);
            var twoGamma = Rational.FromDouble(2) * m * u / (Rational.One - m * u);
            Assert.That(Q(DotErrorBound.Gamma(n)) >= twoGamma, $"n = {n}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DotErrorBound.Gamma(DotErrorBound.MaxTerms + 1));
        Assert.That(DotErrorBound.Underflow, Is.GreaterThan(1e20 * double.Epsilon));
    }
}
