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
