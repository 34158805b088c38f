using Verify.Certify;
using Verify.Intervals;

namespace Verify.Tests.Certificates;

public class SplitTreeTests
{
    [Test]
    public void RebuildsTheBisectionsBehindTheLeaves()
    {
        var root = Box.FromBounds([0.0, 0.0], [1.0, 1.0]);
        var (left, right) = root.Bisect(0);
        var (rightLow, rightHigh) = right.Bisect(1);
        var tree = SplitTree.Rebuild(root, [rightHigh, left, rightLow]);
        Assert.That(tree.Select(n => n.Parent), Is.EqualTo(new[] { -1, 0, 0, 2, 2 }));
        Assert.That(tree[3].Box.Lower, Is.EqualTo(rightLow.Lower));
        Assert.That(tree[4].Box.Upper, Is.EqualTo(rightHigh.Upper));
    }

    [Test]
    public void NoLeavesIsTheBoxAlone()
    {
        var root = Box.FromBounds([0.0, 0.0], [1.0, 1.0]);
        Assert.That(SplitTree.Rebuild(root, []).Select(n => n.Parent), Is.EqualTo(new[] { -1 }));
    }
}
