using Verify.Bab;

namespace Verify.Tests.Bab;

public class BabEngineTests
{
    private static readonly BabOptions Sequential = new() { Threads = 1, BatchSize = 1 };

    [Test]
    public void ConvergesToTheMaximumWithSoundBounds()
    {
        var p = new SegmentMaximum();
        var exit = p.Build(new BabOptions { Threads = 2, BatchSize = 4 }).Run();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(BabExit.Exhausted));
            Assert.That(p.Engine.UndecidedCount, Is.Zero);
            Assert.That(p.Lower, Is.InRange(1 - p.Tolerance, 1));
            Assert.That(p.GlobalUpper(), Is.InRange(1, 1 + p.Tolerance), "closed leaves only: their maximum is the certified bound");
        });
    }

    [Test]
    public void NodesAreSplitBestBoundFirst()
    {
        var p = new SegmentMaximum();
        p.Build(Sequential).Run();
        // A child's bound is never above its parent's here, so best first means the bounds taken off never rise.
        Assert.That(p.TriagedUppers, Is.Ordered.Descending);
        Assert.That(p.TriagedUppers, Has.Count.GreaterThan(5));
    }

    [Test]
    public void LeavesCoverTheRootExactlyOnce([Values(1, 2)] int threads)
    {
        var p = new SegmentMaximum { Tolerance = 0 };
        var engine = p.Build(new BabOptions { Threads = threads, BatchSize = 3, MaxSplits = 40 });
        var exit = engine.Run();
        Assert.That(exit, Is.EqualTo(BabExit.SplitLimit));
        Assert.That(engine.Splits, Is.EqualTo(40));
        AssertCover(p.Leaves);
        Assert.That(p.Leaves, Has.Count.EqualTo(engine.Splits + 1), "a binary tree with s splits has s + 1 leaves");
    }

    [Test]
    public void GrowingRoundsStillCoverTheRootExactlyOnce([Values(1, 2)] int threads)
    {
        // A tolerance below 0 closes nothing, so the frontier keeps growing; nodes here take microseconds, so the rounds
        // grow from 2 towards 64 nodes as soon as they are measured.
        var p = new SegmentMaximum { Tolerance = -1 };
        var engine = p.Build(new BabOptions { Threads = threads, BatchSize = 2, MaxBatchSize = 64, TargetRoundSeconds = 10, MaxSplits = 300 });
        var exit = engine.Run();
        Assert.That(exit, Is.EqualTo(BabExit.SplitLimit));
        Assert.That(engine.Splits, Is.EqualTo(300));
        AssertCover(p.Leaves);
        Assert.That(p.Leaves, Has.Count.EqualTo(engine.Splits + 1));
        Assert.That(p.MaxRound, Is.EqualTo(64), "the rounds grew to MaxBatchSize");
    }

    [Test]
    public void ACancelledRoundPutsItsParentsBack()
    {
        using var cts = new CancellationTokenSource();
        var p = new SegmentMaximum { OnBound = n => { if (n == 8) cts.Cancel(); } };
        var engine = p.Build(new BabOptions { Threads = 1, BatchSize = 2 });
        var exit = engine.Run(cts.Token);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(BabExit.Cancelled));
            // Round 1 splits the root (bounds 1–2), round 2 both halves (bounds 3–6; two quarters close), round 3
            // (bounds 7–10, cancelled at the second) is undone: its two parents are open again.
            Assert.That(engine.Splits, Is.EqualTo(3));
            Assert.That(engine.Open.Count, Is.EqualTo(2));
            Assert.That(p.GlobalUpper(), Is.EqualTo(1 + 1.0 / 16), "the parents still bound their parts");
            Assert.That(p.Leaves.Where(l => l.Kind == LeafKind.Open).Count(), Is.EqualTo(engine.Open.Count));
        });
        AssertCover(p.Leaves);
    }

    [Test]
    public void AnExternallyCancelledTokenStopsBeforeTheFirstRound()
    {
        var p = new SegmentMaximum();
        var engine = p.Build(Sequential);
        Assert.That(engine.Run(new CancellationToken(canceled: true)), Is.EqualTo(BabExit.Cancelled));
        Assert.That(engine.Splits, Is.Zero);
        AssertCover(p.Leaves);
    }

    [Test]
    public void NodesThePolicyCannotSplitAreSettled()
    {
        var p = new SegmentMaximum { Tolerance = 0, MinWidth = 1.0 / 8 };
        var engine = p.Build(new BabOptions { Threads = 2, BatchSize = 4 });
        Assert.That(engine.Run(), Is.EqualTo(BabExit.Exhausted));
        Assert.That(engine.Settled, Is.Not.Empty);
        Assert.That(engine.Settled.All(n => n.Domain.Width < 1.0 / 8), Is.True);
        Assert.That(p.Leaves.Count(l => l.Kind == LeafKind.Settled), Is.EqualTo(engine.Settled.Count));
        AssertCover(p.Leaves);
    }

    [Test]
    public void KeepAndStopPutsTheNodeBackAndEnds()
    {
        var p = new SegmentMaximum { TriageOverride = n => n.Depth == 2 ? NodeFate.KeepAndStop : null };
        var engine = p.Build(Sequential);
        Assert.That(engine.Run(), Is.EqualTo(BabExit.Stopped));
        Assert.That(engine.Open.TryPeek(out var top, out _) && top.Depth == 2, Is.True, "the node is back on top of the frontier");
        AssertCover(p.Leaves);
    }

    [Test]
    public void FrozenNodesAreLeavesAndLeaveTheFrontier()
    {
        var p = new SegmentMaximum { Tolerance = 0 };
        var engine = p.Build(new BabOptions { Threads = 1, BatchSize = 4, MaxSplits = 12 });
        engine.Run();
        int open = engine.Open.Count;
        var frozen = new List<SegmentNode>();
        engine.Freeze(2, frozen.Add);
        Assert.Multiple(() =>
        {
            Assert.That(engine.Open.Count, Is.EqualTo(2));
            Assert.That(frozen, Has.Count.EqualTo(open - 2));
            Assert.That(p.Leaves.Count(l => l.Kind == LeafKind.Frozen), Is.EqualTo(open - 2));
        });
    }

    [Test]
    public void TheSameProblemGivesTheSameRun()
    {
        static (long, List<double>, List<(Segment, LeafKind)>) Once()
        {
            var p = new SegmentMaximum { Tolerance = 1.0 / 4096 };
            var e = p.Build(new BabOptions { Threads = 2, BatchSize = 4, MaxSplits = 60 });
            e.Run();
            return (e.Splits, p.TriagedUppers, p.Leaves);
        }
        var (s1, t1, l1) = Once();
        var (s2, t2, l2) = Once();
        Assert.That(s2, Is.EqualTo(s1));
        Assert.That(t2, Is.EqualTo(t1), "the same nodes are taken off in the same order");
        Assert.That(l2, Is.EqualTo(l1), "the same leaves are recorded in the same order");
    }

    /// <summary>The recorded leaves tile [0, 1]: sorted by their left end, each starts where the previous ends.</summary>
    private static void AssertCover(List<(Segment Domain, LeafKind Kind)> leaves)
    {
        var s = leaves.Select(l => l.Domain).OrderBy(d => d.Lo).ToList();
        Assert.That(s, Is.Not.Empty);
        Assert.That(s[0].Lo, Is.EqualTo(0));
        Assert.That(s[^1].Hi, Is.EqualTo(1));
        for (int i = 1; i < s.Count; i++) Assert.That(s[i].Lo, Is.EqualTo(s[i - 1].Hi), $"gap or overlap at leaf {i}");
    }
}
