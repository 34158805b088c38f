using NUnit.Framework;
using Verify.Cli;

namespace Verify.Tests.Cli;

public class BoxTextTests
{
    [Test]
    public void SmallBoxesPrintEverySide()
    {
        Assert.That(BoxText.Of([0, -1], [0.5, 1]), Is.EqualTo("[0, 0.5] × [-1, 1]"));
    }

    [Test]
    public void WideBoxesPrintASummaryWithTheFixedDimensionsCounted()
    {
        var lo = Enumerable.Range(0, 20).Select(i => i < 5 ? 0.25 : 0.0).ToArray();
        var hi = Enumerable.Range(0, 20).Select(i => i < 5 ? 0.25 : 0.5 + i / 100.0).ToArray();
        string s = BoxText.Of(lo, hi);
        Assert.That(s, Does.StartWith("20 dimensions: widths in [0, 0.69] (5 fixed)"));
        Assert.That(s, Does.Contain("lower bounds in [0, 0.25], upper bounds in [0.25, 0.69]"));
        Assert.That(s, Does.Not.Contain("×"));
    }
}
