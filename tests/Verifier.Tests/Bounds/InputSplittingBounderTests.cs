using Verify.Bounds;
using Verify.Intervals;
using Verify.Specs;
using Verify.Tests.Search;

namespace Verify.Tests.Bounds;

public class InputSplittingBounderTests
{
    [Test]
    public void RecordedLeavesTileTheBoxAndGiveTheBound()
    {
        var net = SearchTestNets.Random(7, false, 2, 8, 8, 2);
        var delta = PerturbationModel.Absolute(0.01).ToBox(net);
        var box = SearchTestNets.Cube(2);
        var leaves = new List<(Box Box, DeviationBound Bound)>();
        var r = new InputSplittingBounder { MaxSplits = 25, Parallelism = 2, Timeout = TimeSpan.FromSeconds(60), RecordLeaf = (b, d) => leaves.Add((b, d)) }
            .Run(net, box, delta);
        Assert.That(r.Splits, Is.EqualTo(25));
        Assert.That(leaves, Has.Count.EqualTo(r.OpenBoxes));
        Assert.That(leaves, Has.Count.EqualTo(r.Splits + 1), "every split replaces one box by two");
        double volume = leaves.Sum(l => (l.Box[0].Hi - l.Box[0].Lo) * (l.Box[1].Hi - l.Box[1].Lo));
        Assert.That(volume, Is.EqualTo(4.0), "dyadic halves of [-1, 1]²: the sum is exact");
        foreach (var (b, _) in leaves)
            for (int i = 0; i < 2; i++) Assert.That(b[i].Lo >= -1 && b[i].Hi <= 1, Is.True);
        for (int j = 0; j < 2; j++)
            Assert.That(r.Bound.Upper[j], Is.EqualTo(Math.Max(0, leaves.Max(l => l.Bound.Upper[j]))));
    }

    [Test]
    public void SameQueryGivesTheSameBoundsWithASplitCap()
    {
        var net = SearchTestNets.Random(8, false, 3, 10, 10, 2);
        var delta = PerturbationModel.Absolute(0.005).ToBox(net);
        DeviationBound Once() => new InputSplittingBounder { MaxSplits = 30, Parallelism = 2, Timeout = TimeSpan.FromSeconds(60) }
            .Bound(net, SearchTestNets.Cube(3), delta);
        var a = Once(); var b = Once();
        Assert.That(b.Upper, Is.EqualTo(a.Upper));
        Assert.That(b.DeltaLower, Is.EqualTo(a.DeltaLower));
        Assert.That(b.DeltaUpper, Is.EqualTo(a.DeltaUpper));
    }
}
