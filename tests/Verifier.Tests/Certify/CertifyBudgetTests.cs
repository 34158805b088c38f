using Verify.Certify;

namespace Verify.Tests.Certify;

public class CertifyBudgetTests
{
    [Test]
    public void SharesAreTakenOfWhatRemains()
    {
        var total = TimeSpan.FromHours(1);
        var budget = new CertifyBudget(total);
        // Remaining only shrinks, so each share lies between its share of (total − elapsed) and its share of total.
        var attack = budget.SearchFirst(branchAndBound: false);
        var bnb = budget.SearchFirst(branchAndBound: true);
        var exact = budget.Exact();
        var elapsed = budget.Elapsed;
        Assert.That(attack, Is.InRange((total - elapsed) * CertifyBudget.AttackShareFirst, total * CertifyBudget.AttackShareFirst));
        Assert.That(bnb, Is.InRange((total - elapsed) * CertifyBudget.BranchAndBoundShareFirst, total * CertifyBudget.BranchAndBoundShareFirst));
        Assert.That(exact, Is.InRange((total - elapsed) * CertifyBudget.ExactShareOfRest, total * CertifyBudget.ExactShareOfRest));
    }

    [Test]
    public void TheFirstAttackReplaysWithinALargerShareThanItSearches()
    {
        var budget = new CertifyBudget(TimeSpan.FromHours(1));
        var limit = budget.SearchFirstLimit(branchAndBound: false);
        var search = budget.SearchFirst(branchAndBound: false);
        Assert.That(limit, Is.GreaterThan(search));
        Assert.That(limit, Is.LessThanOrEqualTo(TimeSpan.FromHours(1) * CertifyBudget.AttackLimitShareFirst));
        // Branch and bound replays as it goes: its limit is its search time (Remaining only shrinks, so the later
        // call is the smaller).
        var bnb = budget.SearchFirst(branchAndBound: true);
        Assert.That(budget.SearchFirstLimit(branchAndBound: true), Is.LessThanOrEqualTo(bnb));
    }

    [Test]
    public void SplittingsTimeoutLeavesOutItsRootBound()
    {
        static TimeSpan s(double seconds) => TimeSpan.FromSeconds(seconds);
        Assert.That(CertifyBudget.SplitTimeout(s(5), s(1)), Is.EqualTo(s(4)));
        Assert.That(CertifyBudget.SplitTimeout(s(1), s(2)), Is.EqualTo(TimeSpan.Zero));
        Assert.That(CertifyBudget.SplitTimeout(s(1), TimeSpan.Zero), Is.EqualTo(s(1)));
    }

    [Test]
    public void TheStopLatencyIsAShareOfTheRootBound()
    {
        static TimeSpan s(double seconds) => TimeSpan.FromSeconds(seconds);
        Assert.That(CertifyBudget.StopLatency(s(0.8)).TotalSeconds, Is.EqualTo(0.8 * CertifyBudget.StopLatencyOfRoot).Within(1e-9));
        Assert.That(CertifyBudget.StopLatency(s(0.8)), Is.LessThan(s(0.8)), "less than the root bound it is a share of");
        Assert.That(CertifyBudget.StopLatency(TimeSpan.Zero), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void NothingRemainsOfAnExhaustedBudget()
    {
        var budget = new CertifyBudget(TimeSpan.Zero);
        Assert.That(budget.Remaining, Is.EqualTo(TimeSpan.Zero));
        Assert.That(budget.Exact(), Is.EqualTo(TimeSpan.Zero));
    }
}
