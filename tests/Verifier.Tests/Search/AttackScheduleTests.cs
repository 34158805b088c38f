using Verify.Search;

namespace Verify.Tests.Search;

/// <summary>The attack's round-by-round order of ascents (restart 0 of every objective first) keeps each run's
/// identity from objective-major order, so a completed attack draws the same random streams and breaks ties the same way.</summary>
public class AttackScheduleTests
{
    [TestCase(1, 1, 0)]
    [TestCase(20, 16, 8)]
    [TestCase(4, 3, 5)]
    [TestCase(6, 2, 1)]
    public void EveryRunOccursOnceWithItsObjectiveMajorIdentity(int objectives, int restarts, int aligned)
    {
        var runs = new AttackSchedule(objectives, restarts, aligned).Runs;
        int plain = objectives * restarts;
        Assert.That(runs, Has.Count.EqualTo(objectives * (restarts + aligned)));
        Assert.That(runs.Select(r => r.Id).Order(), Is.EqualTo(Enumerable.Range(0, runs.Count)));
        foreach (var r in runs)
        {
            int expectedId = r.Aligned ? plain + r.Objective * aligned + r.Restart : r.Objective * restarts + r.Restart;
            Assert.That(r.Id, Is.EqualTo(expectedId), r.ToString());
            Assert.That(r.Restart, Is.LessThan(r.Aligned ? aligned : restarts), r.ToString());
            Assert.That(r.Objective, Is.InRange(0, objectives - 1), r.ToString());
        }
    }

    [TestCase(20, 16, 8)]
    [TestCase(4, 1, 3)]
    public void TheFirstRoundStartsEveryObjectivePlainAndAlignedBeforeAnySecondRestart(int objectives, int restarts, int aligned)
    {
        var runs = new AttackSchedule(objectives, restarts, aligned).Runs;
        var first = runs.Take(2 * objectives).ToArray();
        Assert.That(first.All(r => r.Restart == 0), Is.True);
        Assert.That(first.Where(r => !r.Aligned).Select(r => r.Objective), Is.EqualTo(Enumerable.Range(0, objectives)));
        Assert.That(first.Where(r => r.Aligned).Select(r => r.Objective), Is.EqualTo(Enumerable.Range(0, objectives)));
        // Rounds never go backwards.
        Assert.That(runs.Select(r => r.Restart), Is.Ordered);
    }

    /// <summary>The screen's runs come after every other run, aligned, with identities after theirs, so the other runs
    /// are exactly those of the schedule without them (same order, identities, random streams).</summary>
    [TestCase(10, 8, 4, 3)]
    [TestCase(2, 1, 1, 2)]
    public void ScreenedRunsFollowAllOthersWithoutChangingThem(int objectives, int restarts, int aligned, int screened)
    {
        var plain = new AttackSchedule(objectives, restarts, aligned).Runs;
        var runs = new AttackSchedule(objectives, restarts, aligned, screened).Runs;
        Assert.That(runs.Take(plain.Count), Is.EqualTo(plain));
        var extra = runs.Skip(plain.Count).ToArray();
        Assert.That(extra, Has.Length.EqualTo(objectives * screened));
        Assert.That(extra.All(r => r.Aligned && r.Restart >= restarts && r.Restart < restarts + screened), Is.True);
        Assert.That(runs.Select(r => r.Id).Order(), Is.EqualTo(Enumerable.Range(0, runs.Count)));
        Assert.That(extra.Select(r => (r.Objective, r.Restart)).Distinct().Count(), Is.EqualTo(extra.Length));
    }

    [Test]
    public void NegativeCountsAreRefused() =>
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new AttackSchedule(2, -1, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new AttackSchedule(2, 1, 0, -1));
        });
}
