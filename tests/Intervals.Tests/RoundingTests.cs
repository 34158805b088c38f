using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>The directed operations equal IEEE round-toward-±∞ of the exact result, checked with rationals.</summary>
public class RoundingTests
{
    private static readonly Gen<(double, double)> Operands = Gen.Select(TestDoubles.Finite, TestDoubles.Finite);

    [Test]
    public void DirectedOperationsAreTheTightestBounds()
    {
        TestDoubles.Chunked(4, TestDoubles.Iterations(5_000), 0x2D, (pcg, _) =>
        {
            var (a, b) = Operands.Generate(pcg, null!, out Size _);
            Rational qa = Q(a), qb = Q(b);
            Same(Rounding.AddDown(a, b), Down(qa + qb), "AddDown", a, b);
            Same(Rounding.AddUp(a, b), Up(qa + qb), "AddUp", a, b);
            Same(Rounding.SubDown(a, b), Down(qa - qb), "SubDown", a, b);
            Same(Rounding.SubUp(a, b), Up(qa - qb), "SubUp", a, b);
            Same(Rounding.MulDown(a, b), Down(qa * qb), "MulDown", a, b);
            Same(Rounding.MulUp(a, b), Up(qa * qb), "MulUp", a, b);
            if (b != 0)
            {
                Same(Rounding.DivDown(a, b), Down(qa / qb), "DivDown", a, b);
                Same(Rounding.DivUp(a, b), Up(qa / qb), "DivUp", a, b);
            }
            double x = Math.Abs(a);
            double sd = Rounding.SqrtDown(x), su = Rounding.SqrtUp(x);
            Assert.That(Q(sd) * Q(sd) <= Q(x) && Q(Math.BitIncrement(sd)) * Q(Math.BitIncrement(sd)) > Q(x), $"SqrtDown({x:R}) = {sd:R}");
            Assert.That(Q(su) * Q(su) >= Q(x) && (su == 0 || Q(Math.BitDecrement(su)) * Q(Math.BitDecrement(su)) < Q(x)), $"SqrtUp({x:R}) = {su:R}");
        });
    }

    private static void Same(double actual, double expected, string op, double a, double b)
    {
        // ±0 are the same bound.
        if (!(actual == expected || (double.IsNaN(actual) && double.IsNaN(expected))))
            Assert.Fail($"{op}({a:R}, {b:R}) = {actual:R}, expected {expected:R}");
    }

    [Test]
    public void OneUlpStepsAreSoundAtZeroAndInfinity()
    {
        Assert.That(Rounding.Down(0.0), Is.EqualTo(-double.Epsilon));
        Assert.That(Rounding.Down(-0.0), Is.EqualTo(-double.Epsilon));
        Assert.That(Rounding.Up(-0.0), Is.EqualTo(double.Epsilon));
        Assert.That(Rounding.Up(double.PositiveInfinity), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Rounding.Down(double.PositiveInfinity), Is.EqualTo(double.MaxValue)); // an overflowed RN sum exceeds MaxValue
        Assert.That(Rounding.Down(double.NegativeInfinity), Is.EqualTo(double.NegativeInfinity));
    }

    [Test]
    public void InfiniteOperandsFollowTheIntervalConventions()
    {
        Assert.That(Rounding.MulDown(0.0, double.PositiveInfinity), Is.EqualTo(0.0));
        Assert.That(Rounding.MulUp(double.NegativeInfinity, 2), Is.EqualTo(double.NegativeInfinity));
        Assert.That(Rounding.DivUp(5, double.NegativeInfinity), Is.EqualTo(0.0));
        Assert.That(Rounding.AddDown(double.MaxValue, double.MaxValue), Is.EqualTo(double.MaxValue));
        Assert.That(Rounding.AddUp(double.MaxValue, double.MaxValue), Is.EqualTo(double.PositiveInfinity));
        // ∞ − ∞ (two overflowed values of unknown size) bounds nothing: the widest answer, never NaN.
        Assert.That(Rounding.AddUp(double.PositiveInfinity, double.NegativeInfinity), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Rounding.AddDown(double.PositiveInfinity, double.NegativeInfinity), Is.EqualTo(double.NegativeInfinity));
        Assert.That(Rounding.SubUp(double.NegativeInfinity, double.NegativeInfinity), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Rounding.SubDown(double.PositiveInfinity, double.PositiveInfinity), Is.EqualTo(double.NegativeInfinity));
        Assert.That(Rounding.AddUp(double.NaN, 1), Is.NaN);
        Assert.Throws<ArgumentException>(() => Rounding.DivUp(1, 0));
        Assert.Throws<ArgumentException>(() => Rounding.SqrtUp(-1));
    }
}
