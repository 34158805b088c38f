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
    public void NothingRemainsOfAnExhaustedBudget()
    {
        var budget = new CertifyBudget(TimeSpan.Zero);
        Assert.That(budget.Remaining, Is.EqualTo(TimeSpan.Zero));
        Assert.That(budget.Exact(), Is.EqualTo(TimeSpan.Zero));
    }
}
