using Verify.Certify;
using Verify.Errors;
using Verify.Specs;
using Verify.Tests.Search;

namespace Verify.Tests.Certify;

public class CertifyEngineTests
{
    private static readonly Verify.Model.Network Net = SearchTestNets.Random(71, false, 2, 6, 6, 2);

    private static CertifyQuery Query(BoundMethod method) =>
        new(Net, SearchTestNets.Cube(2), PerturbationModel.Absolute(0.01), method, TimeSpan.FromSeconds(30))
        {
            NetworkPath = "net.json", NetworkSha256 = "00", AttackRestarts = 2, MaxSplits = 12,
        };

    [Test]
    public void LinearRunsTheLadderAndTakesTheMinimum()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Linear));
        Assert.That(r.Methods.Select(m => m.Name), Is.EqualTo(new[] { "analytic", "ibp", "linear" }));
        for (int j = 0; j < r.Upper.Length; j++)
            Assert.That(r.Upper[j], Is.EqualTo(r.Methods.Min(m => m.Upper[j])));
        Assert.That(r.Splits, Is.Zero);
        Assert.That(r.Lower, Is.Not.Null, "the attack runs after the bounds");
        Assert.That(r.SupLower!.Value, Is.LessThanOrEqualTo(r.SupUpper));
    }

    [Test]
    public void AutoSplitsWithinMaxSplitsAndIsNeverLooserThanLinear()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Auto));
        Assert.That(r.Method, Is.EqualTo("auto"));
        var linear = r.Methods.Single(m => m.Name == "linear").Upper;
        for (int j = 0; j < r.Upper.Length; j++) Assert.That(r.Upper[j], Is.LessThanOrEqualTo(linear[j]));
        Assert.That(r.Methods.Select(m => m.Name), Is.EqualTo(new[] { "analytic", "ibp", "linear", "auto" }));
        Assert.That(r.Splits, Is.InRange(1, 12));
        Assert.That(r.History, Is.Not.Empty);
    }

    [Test]
    public void JsonKeysAreThoseOfTheCertifyFormat()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Interval) with { Threshold = 100 });
        Assert.That(r.ToJson().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "upper", "supUpper", "method", "seconds", "splits", "perturbation", "box", "network", "methods", "history",
            "lower", "supLower", "supLowerExact", "witness", "threshold", "verdict",
        }));
        Assert.That(r.ToJson()["verdict"]!.GetValue<string>(), Is.EqualTo("verified"));
    }

    [TestCase(-1, false, 20)]
    [TestCase(null, true, 20)]
    [TestCase(null, false, 0)]
    public void MisuseIsAUsageError(int? maxSplits, bool optimizeSlopes, int slopeIterations)
    {
        var q = Query(BoundMethods.Interval) with { MaxSplits = maxSplits, OptimizeSlopes = optimizeSlopes, SlopeIterations = slopeIterations };
        Assert.Throws<UsageException>(() => CertifyEngine.Run(q));
    }
}
