using Verify.Intervals;

namespace Verify.Intervals.Tests;

public class RationalTests
{
    [TestCase(0.1)]
    [TestCase(-3.5e-310)]
    [TestCase(1.7976931348623157e308)]
    [TestCase(5e-324)]
    public void DoubleConversionIsExactAndRoundTrips(double d)
    {
        var r = Rational.FromDouble(d);
        Assert.That(r.ToInterval(), Is.EqualTo(Interval.Point(d)));
        Assert.That(r.ToDouble(), Is.EqualTo(d));
    }

    [Test]
    public void OneThirdIsEnclosedByAdjacentDoubles()
    {
        var third = Rational.Parse("1/3");
        var iv = third.ToInterval();
        Assert.That(Math.BitIncrement(iv.Lo), Is.EqualTo(iv.Hi));
        Assert.That(Rational.FromDouble(iv.Lo) < third && third < Rational.FromDouble(iv.Hi));
    }
}

public class RationalArithmeticTests
{
    [TestCase("1/3", 1, 3)]
    [TestCase("-6/4", -3, 2)]
    [TestCase("6/-4", -3, 2)]
    [TestCase("0.1", 1, 10)]
    [TestCase("-.5", -1, 2)]
    [TestCase("1.25e-3", 1, 800)]
    [TestCase("7E+2", 700, 1)]
    [TestCase("+12", 12, 1)]
    [TestCase("0.5/3", 1, 6)]
    [TestCase("  42  ", 42, 1)]
    public void ParsesExactly(string text, long p, long q) =>
        Assert.That(Rational.Parse(text), Is.EqualTo(new Rational(p, q)));

    [TestCase("")]
    [TestCase("1/0")]
    [TestCase("abc")]
    [TestCase("1e")]
    [TestCase("1.2.3")]
    [TestCase("inf")]
    [TestCase("NaN")]
    [TestCase("1e999999999")]
    [TestCase("-")]
    [TestCase("1/2/3")]
    public void RejectsMalformedText(string text)
    {
        Assert.Throws<FormatException>(() => Rational.Parse(text));
        Assert.That(Rational.TryParse(text, out _), Is.False);
    }

    [Test]
    public void PowFloorCeilingReciprocal()
    {
        var x = Rational.Parse("-3/2");
        Assert.That(x.Pow(3), Is.EqualTo(Rational.Parse("-27/8")));
        Assert.That(x.Pow(-2), Is.EqualTo(Rational.Parse("4/9")));
        Assert.That(x.Pow(0), Is.EqualTo(Rational.One));
        Assert.Throws<DivideByZeroException>(() => Rational.Zero.Pow(-1));
        Assert.That(Rational.Floor(x), Is.EqualTo(new System.Numerics.BigInteger(-2)));
        Assert.That(Rational.Ceiling(x), Is.EqualTo(new System.Numerics.BigInteger(-1)));
        Assert.That(Rational.Floor(Rational.Parse("7/2")), Is.EqualTo(new System.Numerics.BigInteger(3)));
        Assert.That(Rational.Ceiling(Rational.Parse("7/2")), Is.EqualTo(new System.Numerics.BigInteger(4)));
        Assert.That(Rational.Floor(new Rational(4, 1)), Is.EqualTo(new System.Numerics.BigInteger(4)));
        Assert.That(x.Reciprocal(), Is.EqualTo(Rational.Parse("-2/3")));
        Assert.That(new Rational(4, 2).IsInteger && !x.IsInteger);
    }

    [Test]
    public void ToDoubleRoundsToNearestEven()
    {
        // 1 + 2^-53 is exactly halfway between 1 and 1 + 2^-52: ties go to the even significand, 1.
        var half = Rational.One + Rational.Parse("1/9007199254740992");
        Assert.That(half.ToDouble(), Is.EqualTo(1.0));
        // 1 + 3·2^-53 is halfway between 1 + 2^-52 (odd) and 1 + 2^-51 (even).
        var threeHalves = Rational.One + Rational.Parse("3/9007199254740992");
        Assert.That(threeHalves.ToDouble(), Is.EqualTo(1.0 + Math.ScaleB(1, -51)));
        Assert.That(Rational.Parse("0.1").ToDouble(), Is.EqualTo(0.1));
        Assert.That(Rational.Parse("1e400").ToDouble(), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Rational.Parse("-1e400").ToInterval(), Is.EqualTo(new Interval(double.NegativeInfinity, -double.MaxValue)));
        Assert.That(Rational.Parse("1e-400").ToInterval(), Is.EqualTo(new Interval(0, double.Epsilon)));
        // Just above MaxValue but below the overflow threshold rounds to MaxValue.
        Assert.That((Rational.FromDouble(double.MaxValue) + 1).ToDouble(), Is.EqualTo(double.MaxValue));
    }

    [Test]
    public void ToIntervalIsTightForRandomQuotients()
    {
        var pcg = new CsCheck.PCG(3, 1788);
        for (int i = 0; i < 2000; i++)
        {
            long p = (long)pcg.Next64() >> (int)pcg.Next(60), q = 1 + (long)(pcg.Next64() >> (int)(4 + pcg.Next(59)));
            var r = new Rational(p, q) * Rational.Parse("10").Pow((int)pcg.Next(40) - 20);
            var iv = r.ToInterval();
            var lo = Rational.FromDouble(iv.Lo); var hi = Rational.FromDouble(iv.Hi);
            Assert.That(lo <= r && r <= hi, $"{r} not in {iv}");
            Assert.That(iv.IsPoint || Math.BitIncrement(iv.Lo) == iv.Hi, $"{iv} is not tight around {r}");
        }
    }

    [Test]
    public void ArithmeticIdentities()
    {
        var a = Rational.Parse("2/3"); var b = Rational.Parse("-5/7");
        Assert.That(a + b - b, Is.EqualTo(a));
        Assert.That(a * b / b, Is.EqualTo(a));
        Assert.That(a.CompareTo(b), Is.GreaterThan(0));
        Assert.That(default(Rational), Is.EqualTo(Rational.Zero));
        Assert.That(Rational.Min(a, b), Is.EqualTo(b));
        Assert.That(new Rational(3, 6).GetHashCode(), Is.EqualTo(new Rational(1, 2).GetHashCode()));
        Assert.That(Rational.Parse("-7/3").ToString(), Is.EqualTo("-7/3"));
    }
}
