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

    /// <summary>Split along y, then both halves along x: the leaves are also explained by x first, with other
    /// intermediate boxes (hence other enclosures down the tree); the recorded dimension rebuilds the search's own tree.</summary>
    [Test]
    public void RecordedDimensionsRebuildTheSearchsOwnTree()
    {
        var root = Box.FromBounds([0.0, 0.0], [1.0, 1.0]);
        var (low, high) = root.Bisect(1);
        var (a, b) = low.Bisect(0);
        var (c, d) = high.Bisect(0);
        Box[] leaves = [a, b, c, d];
        Assert.That(SplitTree.Rebuild(root, leaves)[1].Box.Upper, Is.EqualTo(new[] { 0.5, 1.0 }), "without the record: x first");
        var tree = SplitTree.Rebuild(root, leaves, box => box.Lower.SequenceEqual(root.Lower) && box.Upper.SequenceEqual(root.Upper) ? 1 : 0);
        Assert.That(tree[1].Box.Upper, Is.EqualTo(low.Upper));
        Assert.That(tree[4].Box.Lower, Is.EqualTo(high.Lower));
        Assert.That(tree, Has.Count.EqualTo(7));
    }

    [Test]
    public void NoLeavesIsTheBoxAlone()
    {
        var root = Box.FromBounds([0.0, 0.0], [1.0, 1.0]);
        Assert.That(SplitTree.Rebuild(root, []).Select(n => n.Parent), Is.EqualTo(new[] { -1 }));
    }
}
