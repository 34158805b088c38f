using Verify.Bab;

namespace Verify.Tests.Bab;

public class RoundSizerTests
{
    private static readonly BabOptions Adaptive = new() { BatchSize = 8, MaxBatchSize = 128, TargetRoundSeconds = 0.5 };

    [Test]
    public void CheapNodesGrowTheRoundsToTheMaximum()
    {
        var sizer = new RoundSizer(Adaptive);
        Assert.That(sizer.Size, Is.EqualTo(8), "the first round is BatchSize nodes");
        for (int r = 0; r < 20; r++) sizer.Observe(sizer.Size, sizer.Size * 0.001);
        Assert.That(sizer.Size, Is.EqualTo(128), "0.5 s at 1 ms per node is 500 nodes, capped at MaxBatchSize");
    }

    [Test]
    public void TheSizeFollowsTheTargetBetweenItsBounds()
    {
        var sizer = new RoundSizer(Adaptive);
        for (int r = 0; r < 40; r++) sizer.Observe(sizer.Size, sizer.Size * 0.01);
        Assert.That(sizer.Size, Is.InRange(49, 50), "0.5 s at 10 ms per node");
        for (int r = 0; r < 40; r++) sizer.Observe(sizer.Size, sizer.Size * 1.0);
        Assert.That(sizer.Size, Is.EqualTo(8), "nodes that got dear shrink the rounds back to BatchSize, not below");
    }

    [Test]
    public void WithoutATargetTheSizeIsFixed()
    {
        var sizer = new RoundSizer(new BabOptions { BatchSize = 6, MaxBatchSize = 128 });
        for (int r = 0; r < 10; r++) sizer.Observe(sizer.Size, 1e-6);
        Assert.That(sizer.Size, Is.EqualTo(6));
    }
}
