using Verify.Search;

namespace Verify.Tests.Search;

/// <summary>The budget rule of a time-limited attack, as a pure function of the measured costs and the time left.</summary>
public class ReplayBudgetTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    // MNIST 256x4 on 2 threads, as measured: a run 0.7 s, a build 0.2 s, a replay 1.3 s.
    private static readonly ReplayCosts Mnist = new(S(0.7), S(0.2), S(1.3));

    [Test]
    public void ReserveIsOneRunThenTheBuildsAndTheReplaysSpreadOverTheThreads()
    {
        // 20 objectives on 2 threads: 10 rounds of builds; 10 outputs: 5 rounds of replays.
        double expected = ReplayBudget.Safety * (0.7 + 10 * 0.2 + 5 * 1.3) + ReplayBudget.Slack.TotalSeconds;
        Assert.That(ReplayBudget.Reserve(Mnist, 20, 10, 2).TotalSeconds, Is.EqualTo(expected).Within(1e-9));
        // An odd count needs a further round: 3 outputs on 2 threads replay in 2 rounds.
        double three = ReplayBudget.Safety * (0.7 + 3 * 0.2 + 2 * 1.3) + ReplayBudget.Slack.TotalSeconds;
        Assert.That(ReplayBudget.Reserve(Mnist, 6, 3, 2).TotalSeconds, Is.EqualTo(three).Within(1e-9));
    }

    [Test]
    public void ReserveGrowsWithTheOutputsAndShrinksWithTheThreads()
    {
        Assert.That(ReplayBudget.Reserve(Mnist, 20, 10, 2), Is.GreaterThan(ReplayBudget.Reserve(Mnist, 10, 5, 2)));
        Assert.That(ReplayBudget.Reserve(Mnist, 20, 10, 4), Is.LessThan(ReplayBudget.Reserve(Mnist, 20, 10, 2)));
        Assert.That(ReplayBudget.Reserve(default, 20, 10, 2), Is.EqualTo(ReplayBudget.Slack));
    }

    [Test]
    public void ARunStartsOnlyWhileItAndAllClosingWorkFit()
    {
        var need = ReplayBudget.Reserve(Mnist, 4, 2, 2);
        Assert.That(ReplayBudget.MayStartRun(Mnist, need, 4, 2, 2), Is.True);
        Assert.That(ReplayBudget.MayStartRun(Mnist, need - TimeSpan.FromMilliseconds(1), 4, 2, 2), Is.False);
        // A further output's first run needs its replay too: what fits 2 outputs does not fit 3 on 2 threads.
        Assert.That(ReplayBudget.MayStartRun(Mnist, need, 6, 3, 2), Is.False);
    }

    [TestCase(7.5, 10, 2, 1)]     // 7 rounds of 2 replays: 14 slots, one per output
    [TestCase(76.5, 10, 2, 15)]   // 152 slots
    [TestCase(0.5, 10, 2, 1)]     // none fits, yet each output may try its first (Fits decides)
    [TestCase(0.0, 10, 2, 1)]
    [TestCase(20.5, 2, 1, 10)]
    public void ReplaysPerOutputSpreadsTheReplaysThatFit(double rounds, int outputs, int threads, int expected)
    {
        var replay = S(1.3);
        var remaining = S(rounds * ReplayBudget.Safety * 1.3);
        Assert.That(ReplayBudget.ReplaysPerOutput(replay, remaining, outputs, threads), Is.EqualTo(expected));
    }

    [Test]
    public void AnUnmeasuredReplayCostLeavesTheCountUnlimited() =>
        Assert.That(ReplayBudget.ReplaysPerOutput(TimeSpan.Zero, S(1), 10, 2), Is.EqualTo(int.MaxValue));

    [Test]
    public void AReplayStartsOnlyIfItEndsBeforeTheLimit()
    {
        Assert.That(ReplayBudget.Fits(S(1.3), S(1.4)), Is.True);
        Assert.That(ReplayBudget.Fits(S(1.3), S(1.2)), Is.False);
        Assert.That(ReplayBudget.Fits(TimeSpan.Zero, TimeSpan.Zero), Is.False);
        Assert.That(ReplayBudget.Fits(TimeSpan.Zero, S(-1)), Is.False);
    }

    [Test]
    public void ClosingIsThePendingReplaysSpreadOverTheThreads()
    {
        // 10 pending on 2 threads: 5 rounds; 3 pending: 2 rounds.
        Assert.That(ReplayBudget.Closing(S(0.6), 10, 2).TotalSeconds,
                    Is.EqualTo(ReplayBudget.Safety * 5 * 0.6 + ReplayBudget.Slack.TotalSeconds).Within(1e-9));
        Assert.That(ReplayBudget.Closing(S(0.6), 3, 2).TotalSeconds,
                    Is.EqualTo(ReplayBudget.Safety * 2 * 0.6 + ReplayBudget.Slack.TotalSeconds).Within(1e-9));
        Assert.That(ReplayBudget.Closing(S(0.6), 0, 2), Is.EqualTo(TimeSpan.Zero), "nothing pending: nothing to keep");
        Assert.That(ReplayBudget.Closing(TimeSpan.Zero, 4, 2), Is.EqualTo(ReplayBudget.Slack), "cost unknown: only the slack");
    }

    [Test]
    public void TheSplitterStopsWhenThePendingReplaysNoLongerFitAfterIt()
    {
        // MNIST 256x4: one replay 0.6 s on 2 threads. With 4 s left and 3 candidates pending (2 rounds, 1.2 s) the
        // splitter may go on for the rest; with 10 pending (3 s) for less; once they no longer fit, not at all.
        var replay = S(0.6);
        Assert.That(ReplayBudget.SplitterStopsIn(replay, 3, 2, S(4)), Is.EqualTo(S(4) - ReplayBudget.Closing(replay, 3, 2)));
        Assert.That(ReplayBudget.SplitterStopsIn(replay, 10, 2, S(4)), Is.LessThan(ReplayBudget.SplitterStopsIn(replay, 3, 2, S(4))));
        Assert.That(ReplayBudget.SplitterStopsIn(replay, 0, 2, S(4)), Is.EqualTo(S(4)), "nothing pending: until the limit");
        Assert.That(ReplayBudget.SplitterStopsIn(replay, 10, 2, S(2)), Is.EqualTo(TimeSpan.Zero));
        Assert.That(ReplayBudget.SplitterStopsIn(replay, 0, 2, S(-1)), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void BadCountsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayBudget.Closing(S(1), -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayBudget.Closing(S(1), 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayBudget.Reserve(Mnist, 2, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayBudget.Reserve(Mnist, -1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayBudget.ReplaysPerOutput(S(1), S(1), 0, 1));
    }
}
