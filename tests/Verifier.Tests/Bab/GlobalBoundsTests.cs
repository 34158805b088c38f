using Verify.Bab;

namespace Verify.Tests.Bab;

public class GlobalBoundsTests
{
    [Test]
    public void UpperIsTheMaximumOfTheClosedLeavesAndTheUndecidedNodes()
    {
        var g = new GlobalBounds(2);
        g.Close([0.5, 0.1]);
        g.Close(1, 0.2);
        double[][] open = [[0.3, 0.4], [0.6, 0.05]];
        Assert.That(g.Upper(open, u => u), Is.EqualTo(new[] { 0.6, 0.4 }));
        Assert.That(g.Upper(Array.Empty<double[]>(), u => u), Is.EqualTo(new[] { 0.5, 0.2 }));
    }

    [Test]
    public void ClosedStartIsKeptUntilALeafIsClosed()
    {
        var g = new GlobalBounds(1, double.NegativeInfinity);
        Assert.That(g.ClosedUpper()[0], Is.EqualTo(double.NegativeInfinity));
        g.Close(0, -1);
        Assert.That(g.ClosedUpper()[0], Is.EqualTo(-1));
    }

    [Test]
    public void ANaNBoundIsNotLost()
    {
        var g = new GlobalBounds(1);
        double[][] open = [[double.NaN]];
        Assert.That(g.Upper(open, u => u)[0], Is.NaN, "an unknown bound must not be dropped from the maximum");
    }

    [Test]
    public void LowerBoundsOnlyRise()
    {
        var g = new GlobalBounds(2);
        Assert.Multiple(() =>
        {
            Assert.That(g.RaiseLower(0, 0.3), Is.True);
            Assert.That(g.RaiseLower(0, 0.2), Is.False);
            Assert.That(g.RaiseLower(1, 0.25), Is.True);
            Assert.That(g.Lower(0), Is.EqualTo(0.3));
            Assert.That(g.LowerBounds(), Is.EqualTo(new[] { 0.3, 0.25 }));
            Assert.That(g.SupLower, Is.EqualTo(0.3));
        });
    }

    [Test]
    public void ConcurrentClosesKeepTheMaximum()
    {
        var g = new GlobalBounds(1);
        Parallel.For(0, 10_000, i => { g.Close(0, i); g.RaiseLower(0, i / 2.0); });
        Assert.Multiple(() =>
        {
            Assert.That(g.Upper(Array.Empty<double[]>(), u => u)[0], Is.EqualTo(9_999));
            Assert.That(g.Lower(0), Is.EqualTo(9_999 / 2.0));
        });
    }
}
