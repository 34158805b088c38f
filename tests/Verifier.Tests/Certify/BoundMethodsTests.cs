using Verify.Bounds;
using Verify.Certify;
using Verify.Errors;
using Verify.Search;

namespace Verify.Tests.Certify;

public class BoundMethodsTests
{
    [Test]
    public void MethodsAreOrderedCheapestFirstWithDistinctNamesAndOrders()
    {
        var all = BoundMethods.All;
        Assert.That(all.Select(m => m.Name), Is.EqualTo(new[] { "analytic", "ibp", "linear", "auto", "z3", "meanvalue" }));
        Assert.That(all.Select(m => m.Order), Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public void AskingForAMethodRunsTheCheaperOnePassMethodsToo()
    {
        static string[] Ladder(BoundMethod m) => BoundMethods.Ladder(m).Select(x => x.Name).ToArray();
        Assert.That(Ladder(BoundMethods.Analytic), Is.EqualTo(new[] { "analytic" }));
        Assert.That(Ladder(BoundMethods.Interval), Is.EqualTo(new[] { "analytic", "ibp" }));
        foreach (var m in new[] { BoundMethods.Linear, BoundMethods.Auto, BoundMethods.Z3 })
            Assert.That(Ladder(m), Is.EqualTo(new[] { "analytic", "ibp", "linear" }), m.Name);
        Assert.That(Ladder(BoundMethods.MeanValue), Is.EqualTo(new[] { "analytic", "ibp", "linear", "meanvalue" }));
    }

    [Test]
    public void SplittingAndExactFlags()
    {
        Assert.That(BoundMethods.All.Where(m => m.Splits).Select(m => m.Name), Is.EqualTo(new[] { "auto", "z3" }));
        Assert.That(BoundMethods.All.Where(m => m.Exact).Select(m => m.Name), Is.EqualTo(new[] { "z3" }));
        Assert.That(BoundMethods.Z3.Create, Is.Null, "z3 is an exact maximiser, not a bounder");
    }

    [Test]
    public void ParseIgnoresCaseAndNamesTheChoicesOnMisuse()
    {
        Assert.That(BoundMethods.Parse("LINEAR"), Is.SameAs(BoundMethods.Linear));
        var e = Assert.Throws<UsageException>(() => BoundMethods.Parse("magic"));
        Assert.That(e!.Message, Is.EqualTo("--method: 'magic' is not one of analytic, ibp, linear, auto, z3, meanvalue"));
    }

    [Test]
    public void EquivDefaultsToTheTightestOnePassBounder()
    {
        var d = BoundMethods.CreateBounders(null);
        Assert.That(d, Has.Count.EqualTo(1));
        Assert.That(d[0], Is.TypeOf<LinearDifferenceBounder>());
        Assert.That(BoundMethods.TightestOnePass, Is.SameAs(BoundMethods.Linear));
    }

    [Test]
    public void NamedBoundersAreBuiltEachOnceAndUnknownNamesListTheBounders()
    {
        var chosen = BoundMethods.CreateBounders(["ibp", "AUTO", "analytic"]);
        Assert.That(chosen.Select(b => b.Name), Is.EqualTo(new[] { "ibp", "auto", "analytic" }));
        Assert.That(chosen[1], Is.TypeOf<InputSplittingBounder>());
        var e = Assert.Throws<UsageException>(() => BoundMethods.CreateBounders(["z3"]));
        Assert.That(e!.Message, Is.EqualTo("--bounder 'z3': available: analytic, ibp, linear, auto, meanvalue"));
    }

    [Test]
    public void BranchAndBoundLeavesFollowTheMethod()
    {
        Assert.That(BoundMethods.Analytic.SearchLeaf(), Is.TypeOf<AnalyticBounder>());
        Assert.That(BoundMethods.Interval.SearchLeaf(), Is.TypeOf<IntervalDifferenceBounder>());
        foreach (var m in new[] { BoundMethods.Linear, BoundMethods.Auto, BoundMethods.Z3, BoundMethods.MeanValue })
            Assert.That(m.SearchLeaf(), Is.InstanceOf<IInfluenceBounder>(), m.Name);
        Assert.That(BoundMethods.MeanValue.SearchLeaf(), Is.TypeOf<MeanValueBounder>());
    }

    [Test]
    public void InputSplittingTakesTheLinearPassAndTheLimitsGiven()
    {
        var linear = new LinearDifferenceBounder { OptimizeSlopes = true };
        var limits = new SplitLimits(TimeSpan.FromSeconds(3), 17, 0.5, null);
        var b = BoundMethods.InputSplitting(new BounderSettings { Linear = linear, Splitting = limits });
        Assert.That(b.Leaf, Is.SameAs(linear));
        Assert.That((b.Timeout, b.MaxSplits, b.StopAtSupUpper), Is.EqualTo((TimeSpan.FromSeconds(3), 17, (double?)0.5)));
        var plain = BoundMethods.InputSplitting(BounderSettings.Default);
        var defaults = new InputSplittingBounder();
        Assert.That((plain.Timeout, plain.MaxSplits, plain.StopAtSupUpper), Is.EqualTo((defaults.Timeout, defaults.MaxSplits, defaults.StopAtSupUpper)));
    }
}
