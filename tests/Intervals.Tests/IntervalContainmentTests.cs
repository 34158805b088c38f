using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// Soundness: for random intervals (±0, subnormals, huge magnitudes, infinite endpoints) and random finite
/// points inside them, the exact rational result of every operation on the points lies in the computed
/// interval. About 1.8 M point cases by default; VERIFY_LONG=1 runs 50× more.
/// </summary>
public class IntervalContainmentTests
{
    private static readonly Gen<(Interval, Interval)> Pairs = Gen.Select(TestDoubles.IntervalGen(true), TestDoubles.IntervalGen(true));
    private static readonly double[] Slopes = [0.0, 0.01, 0.1, 0.5, 1.0, 2.0, -0.3, 1e-300];

    [Test]
    public void EveryOperationEnclosesItsExactPointResults()
    {
        int perChunk = TestDoubles.Iterations(1_500);
        long cases = 0;
        TestDoubles.Chunked(16, perChunk, 0x1788, (pcg, _) =>
        {
            var (a, b) = Pairs.Generate(pcg, null!, out CsCheck.Size _);
            // Operations on intervals are computed once, then checked at several point pairs.
            var sum = a + b; var diff = a - b; var prod = a * b; var quot = a / b;
            var sq = a.Square(); var abs = a.Abs(); var neg = -a; var relu = a.Relu();
            var min = Interval.Min(a, b); var max = Interval.Max(a, b);
            double slope = Slopes[pcg.Next((uint)Slopes.Length)];
            var leaky = a.LeakyRelu(slope);
            Interval? sqrt = a.Hi >= 0 ? a.Sqrt() : null;
            int n = 0;
            for (int k = 0; k < 5; k++)
            {
                double x = TestDoubles.PointIn(a, pcg), y = TestDoubles.PointIn(b, pcg);
                Rational qx = Q(x), qy = Q(y);
                Check(sum, qx + qy, "+", a, b, x, y);
                Check(diff, qx - qy, "-", a, b, x, y);
                Check(prod, qx * qy, "*", a, b, x, y);
                if (!qy.IsZero) Check(quot, qx / qy, "/", a, b, x, y);
                Check(sq, qx * qx, "sqr", a, b, x, y);
                Check(abs, Rational.Abs(qx), "abs", a, b, x, y);
                Check(neg, -qx, "neg", a, b, x, y);
                Check(relu, Rational.Max(qx, Rational.Zero), "relu", a, b, x, y);
                Check(min, Rational.Min(qx, qy), "min", a, b, x, y);
                Check(max, Rational.Max(qx, qy), "max", a, b, x, y);
                Check(leaky, qx.Sign > 0 ? qx : Q(slope) * qx, $"leaky({slope})", a, b, x, y);
                if (sqrt is { } s && x >= 0)
                {
                    // √x ∈ [lo, hi] ⟺ lo² ≤ x ≤ hi² for lo, hi ≥ 0.
                    bool ok = s.Lo >= 0 && Q(s.Lo) * Q(s.Lo) <= qx && (double.IsPositiveInfinity(s.Hi) || qx <= Q(s.Hi) * Q(s.Hi));
                    if (!ok) Assert.Fail($"sqrt {a} at {x:R} gave {s}");
                }
                if (double.IsFinite(y))
                {
                    Check(a * y, qx * qy, "scale", a, b, x, y);
                    Check(a + y, qx + qy, "+scalar", a, b, x, y);
                    Check(y - a, qy - qx, "scalar-", a, b, x, y);
                    if (y != 0) Check(a / y, qx / qy, "/scalar", a, b, x, y);
                }
                n += 15;
            }
            Interlocked.Add(ref cases, n);
        });
        TestContext.Out.WriteLine($"{cases:N0} point cases checked");
        Assert.That(cases, Is.GreaterThan(1_000_000));
    }

    private static void Check(Interval computed, Rational exact, string op, Interval a, Interval b, double x, double y)
    {
        if (!Contains(computed, exact))
            Assert.Fail($"{op}: a = {a}, b = {b}, x = {x:R}, y = {y:R}: exact {exact.ToDouble():R} not in {computed}");
    }

    [Test]
    public void DivisorContainingZeroGivesEntire()
    {
        Assert.That(new Interval(1, 2) / new Interval(0, 3), Is.EqualTo(Interval.Entire));
        Assert.That(new Interval(1, 2) / new Interval(-3, 0), Is.EqualTo(Interval.Entire));
        Assert.That(new Interval(0, 0) / new Interval(0, 0), Is.EqualTo(Interval.Entire));
        Assert.That(new Interval(1, 2) / 0.0, Is.EqualTo(Interval.Entire));
    }

    [Test]
    public void NonFiniteScalarsAndSlopesAreRejected()
    {
        var a = new Interval(1, 2);
        Assert.Throws<ArgumentException>(() => _ = a * double.PositiveInfinity);
        Assert.Throws<ArgumentException>(() => _ = a + double.NaN);
        Assert.Throws<ArgumentException>(() => _ = a.LeakyRelu(double.NaN));
        Assert.Throws<ArgumentException>(() => _ = new Interval(double.PositiveInfinity, double.PositiveInfinity));
    }

    [Test]
    public void LeakyReluFollowsTheNetworkDefinitionForSlopesAboveOne()
    {
        // x ↦ (x > 0 ? x : a·x): at x = 1 the value is 1, not max(x, 2x) = 2.
        Assert.That(Interval.Point(1).LeakyRelu(2), Is.EqualTo(Interval.Point(1)));
        Assert.That(new Interval(-1, 1).LeakyRelu(2), Is.EqualTo(new Interval(-2, 1)));
        // A negative slope makes the function non-monotone: its minimum 0 is at x = 0.
        Assert.That(new Interval(-4, 2).LeakyRelu(-0.5), Is.EqualTo(new Interval(0, 2)));
    }

    [Test]
    public void MinusZeroIsNormalised()
    {
        var z = new Interval(-0.0, -0.0);
        Assert.That(double.IsNegative(z.Lo), Is.False);
        Assert.That(z, Is.EqualTo(Interval.Zero));
    }
}
