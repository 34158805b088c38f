namespace Verify.Intervals.Tests;

public class BoxTests
{
    [Test]
    public void BisectionCoversTheBox()
    {
        var box = Box.FromBounds([0.0, -1.0], [1.0, 1.0]);
        var (l, r) = box.Bisect(1);
        Assert.That(l[1].Hi, Is.EqualTo(r[1].Lo));
        Assert.That(l[1].Lo, Is.EqualTo(-1.0));
        Assert.That(r[1].Hi, Is.EqualTo(1.0));
        Assert.That(box.Contains([0.5, 0.0]) && !box.Contains([2.0, 0.0]));
        Assert.That(box.Contains([Rational.Parse("1/3"), Rational.Parse("-1")]));
    }

    [Test]
    public void RejectsEmptyAndUnboundedBoxes()
    {
        Assert.Throws<ArgumentException>(() => Box.FromBounds([1.0], [0.0]));
        Assert.Throws<ArgumentException>(() => Box.FromBounds([double.NegativeInfinity], [0.0]));
        Assert.Throws<ArgumentException>(() => new Box([Interval.Entire]));
        Assert.Throws<ArgumentException>(() => new Box([]));
    }
}
