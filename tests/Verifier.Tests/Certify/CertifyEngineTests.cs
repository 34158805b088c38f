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

    /// <summary>
    /// A short --timeout on a net whose exact replays take milliseconds: the time rule of the first attack and of the
    /// splitting beside it (the replays are kept, the splitter gives way) still leaves every output an exactly replayed
    /// witness, as certify had before the rule.
    /// </summary>
    [Test]
    public void AutoWithAShortTimeoutStillReplaysAWitnessForEveryOutput()
    {
        var net = SearchTestNets.Random(72, false, 3, 16, 16, 3);
        var box = SearchTestNets.Cube(3);
        var model = PerturbationModel.Absolute(1e-3);
        var q = new CertifyQuery(net, box, model, BoundMethods.Auto, TimeSpan.FromSeconds(1)) { NetworkPath = "net.json", NetworkSha256 = "00" };
        var r = CertifyEngine.Run(q);
        Assert.That(r.Methods.Select(m => m.Name), Does.Contain("auto"), "splitting ran");
        Assert.That(r.Lower, Is.Not.Null);
        var delta = model.ToBox(net);
        for (int j = 0; j < net.OutputSize; j++)
        {
            Assert.That(r.Lower![j], Is.Not.Null, $"output {j}");
            Assert.That(r.Lower[j]!.Witness.Replay(net, box, delta), Is.EqualTo(r.Lower[j]!.Exact), $"output {j}");
            Assert.That(r.Lower[j]!.Value, Is.LessThanOrEqualTo(r.Upper[j]));
        }
    }
}
