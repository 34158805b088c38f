using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// Tightness: for bounded operands every endpoint of +, −, ×, ÷, sqr, √, scaling and leaky ReLU is the
/// tightest double on its side of the exact hull (at most 1 ulp away, 0 when the exact endpoint is a double).
/// An implementation that merely steps one ulp outward after round-to-nearest fails this test, and so
/// obviously does one returning Entire.
/// </summary>
public class IntervalTightnessTests
{
    private static readonly Gen<(Interval, Interval)> Pairs = Gen.Select(TestDoubles.IntervalGen(false), TestDoubles.IntervalGen(false));

    [Test]
    public void EndpointsAreTheTightestDoubles()
    {
        long cases = 0;
        TestDoubles.Chunked(8, TestDoubles.Iterations(2_500), 0x7161, (pcg, _) =>
        {
            var (a, b) = Pairs.Generate(pcg, null!, out Size _);
            Rational al = Q(a.Lo), ah = Q(a.Hi), bl = Q(b.Lo), bh = Q(b.Hi);
            Expect(a + b, Hull(al + bl, ah + bh), "+", a, b);
            Expect(a - b, Hull(al - bh, ah - bl), "-", a, b);
            Expect(a * b, Hull(al * bl, al * bh, ah * bl, ah * bh), "*", a, b);
            if (!b.ContainsZero) Expect(a / b, Hull(al / bl, al / bh, ah / bl, ah / bh), "/", a, b);
            Rational mig = Q(a.Mignitude), mag = Q(a.Magnitude);
            Expect(a.Square(), Hull(mig * mig, mag * mag), "sqr", a, b);
            Expect(a * b.Lo, Hull(al * bl, ah * bl), "scale", a, b);
            double slope = b.Hi;
            Rational f(Rational x) => x.Sign > 0 ? x : Q(slope) * x;
            Expect(a.LeakyRelu(slope), a.ContainsZero ? Hull(f(al), f(ah), Rational.Zero) : Hull(f(al), f(ah)), "leaky", a, b);
            if (a.Lo >= 0)
            {
                var s = a.Sqrt();
                Assert.That(IsTightSqrtBelow(s.Lo, al) && IsTightSqrtAbove(s.Hi, ah), $"sqrt {a} = {s} is not the tightest enclosure");
            }
            Interlocked.Add(ref cases, 9);
        });
        Assert.That(cases, Is.GreaterThan(100_000));
    }

    private static bool IsTightSqrtBelow(double lo, Rational x) =>
        lo >= 0 && Q(lo) * Q(lo) <= x && Q(Math.BitIncrement(lo)) * Q(Math.BitIncrement(lo)) > x;

    private static bool IsTightSqrtAbove(double hi, Rational x) =>
        Q(hi) * Q(hi) >= x && (hi == 0 || Q(Math.BitDecrement(hi)) * Q(Math.BitDecrement(hi)) < x);

    private static void Expect(Interval computed, Interval tightest, string op, Interval a, Interval b)
    {
        if (computed != tightest)
            Assert.Fail($"{op}: a = {a}, b = {b}: computed {computed}, tightest {tightest}");
    }

    [TestCase(0.1)]
    [TestCase(3.0)]
    [TestCase(1e300)]
    [TestCase(5e-324)]
    [TestCase(-2.2250738585072014E-308)]
    public void ExactResultsAreNotWidened(double x)
    {
        var p = Interval.Point(x);
        Assert.That(p + (-p), Is.EqualTo(Interval.Zero));
        Assert.That(p * 0.0, Is.EqualTo(Interval.Zero));
        Assert.That(p * 1.0, Is.EqualTo(p));
        Assert.That(p / 1.0, Is.EqualTo(p));
        Assert.That(p - 0.0, Is.EqualTo(p));
        bool halfIsDouble = (Q(x) * Rational.Parse("1/2")).ToInterval().IsPoint;
        Assert.That((p * 0.5).IsPoint, Is.EqualTo(halfIsDouble), "halving is exact unless a bit falls below 2^-1074");
        Assert.That(Interval.Point(16).Sqrt(), Is.EqualTo(Interval.Point(4)));
        Assert.That(Interval.Point(0.25).Sqrt(), Is.EqualTo(Interval.Point(0.5)));
    }

    [Test]
    public void WidthAndRadiusAreUpperBounds()
    {
        var iv = new Interval(-0.1, 0.3);
        Assert.That(Q(iv.Width) >= Q(iv.Hi) - Q(iv.Lo));
        Assert.That(Math.BitDecrement(iv.Width), Is.LessThan(0.4));
        var m = iv.Midpoint;
        Assert.That(iv.Contains(m));
        Assert.That(Q(m) - Q(iv.Radius) <= Q(iv.Lo) && Q(m) + Q(iv.Radius) >= Q(iv.Hi));
    }
}
