using Verify.Checker;

namespace Verify.Tests.Checker;

public class BoxCoverTests
{
    private static (double[], double[]) B(double x0, double x1, double y0, double y1) => ([x0, y0], [x1, y1]);

    [Test]
    public void BisectionsCoverTheirBox()
    {
        var leaves = new[] { B(0, 0.5, 0, 1), B(0.5, 1, 0, 0.5), B(0.5, 1, 0.5, 1) };
        Assert.That(BoxCover.Uncovered([0, 0], [1, 1], leaves), Is.Null);
    }

    [Test]
    public void OverlappingNonGuillotineLeavesCover()
    {
        // A pinwheel: no face cuts through all leaves, yet together they cover the square.
        var leaves = new[] { B(0, 0.6, 0, 0.4), B(0.6, 1, 0, 0.6), B(0.4, 1, 0.6, 1), B(0, 0.4, 0.4, 1), B(0.4, 0.6, 0.4, 0.6) };
        Assert.That(BoxCover.Uncovered([0, 0], [1, 1], leaves), Is.Null);
    }

    [Test]
    public void AHoleIsFound()
    {
        var leaves = new[] { B(0, 0.6, 0, 0.4), B(0.6, 1, 0, 0.6), B(0.4, 1, 0.6, 1), B(0, 0.4, 0.4, 1) };
        Assert.That(BoxCover.Uncovered([0, 0], [1, 1], leaves), Does.Contain("covered by no leaf"));
        Assert.That(BoxCover.Uncovered([0, 0], [1, 1], [B(0, 0.5, 0, 1)]), Is.Not.Null);
    }

    [Test]
    public void DegenerateDimensionsAreCovered()
    {
        Assert.That(BoxCover.Uncovered([0, 3], [1, 3], [B(0, 0.5, 3, 3), B(0.5, 1, 3, 3)]), Is.Null);
    }
}
