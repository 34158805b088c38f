using Verify.Bounds;

namespace Verify.Tests.Bounds;

public class SplitNodeBoundsTests
{
    /// <summary>The child's Δ-interval is tight above, its parent's below: the capped magnitude is that of the
    /// intersection, below both magnitudes.</summary>
    [Test]
    public void CapUsesTheIntersectionOfTheDeltaIntervals()
    {
        var child = new DeviationBound([0.07], [-0.03], [0.07]);
        var capped = SplitNodeBounds.CappedBy(child, [0.07], [-0.07], [0.02]);
        Assert.That(capped.Upper[0], Is.EqualTo(0.03));
        Assert.That(capped.DeltaLower![0], Is.EqualTo(-0.03));
        Assert.That(capped.DeltaUpper![0], Is.EqualTo(0.02));
    }

    /// <summary>Any Δ that both intervals admit (and both magnitudes bound) stays within the capped bound.</summary>
    [Test]
    public void CapNeverExcludesAValueBothBoundsAdmit()
    {
        var rng = new Random(11);
        for (int s = 0; s < 10_000; s++)
        {
            double v = rng.NextDouble() * 2 - 1;
            double cl = v - rng.NextDouble(), ch = v + rng.NextDouble(), pl = v - rng.NextDouble(), ph = v + rng.NextDouble();
            double cu = Math.Max(Math.Abs(cl), Math.Abs(ch)) + rng.NextDouble() * 0.1, pu = Math.Max(Math.Abs(pl), Math.Abs(ph));
            var capped = SplitNodeBounds.CappedBy(new DeviationBound([cu], [cl], [ch]), [pu], [pl], [ph]);
            Assert.That(capped.Upper[0], Is.GreaterThanOrEqualTo(Math.Abs(v)), $"v = {v}");
            Assert.That(capped.Upper[0], Is.LessThanOrEqualTo(Math.Min(cu, pu)));
            Assert.That(capped.DeltaLower![0], Is.LessThanOrEqualTo(v));
            Assert.That(capped.DeltaUpper![0], Is.GreaterThanOrEqualTo(v));
        }
    }
}
