using Verify.Certify;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Certify;

/// <summary>certify's --split: parsing, the automatic rule, the refusal with certificates, and the engine's answer.</summary>
public class PhaseSplitChoiceTests
{
    [Test]
    public void AutoStaysAutoExceptWithACertificateAndAnExplicitChoiceIsKept()
    {
        Assert.That(SplitChoice.Resolve(SplitKind.Auto, 5, certificate: false), Is.EqualTo(SplitKind.Auto));
        Assert.That(SplitChoice.Resolve(SplitKind.Auto, 784, certificate: false), Is.EqualTo(SplitKind.Auto));
        Assert.That(SplitChoice.Resolve(SplitKind.Auto, 784, certificate: true), Is.EqualTo(SplitKind.Input));
        Assert.That(SplitChoice.Resolve(SplitKind.Phase, 5, certificate: false), Is.EqualTo(SplitKind.Phase));
        Assert.That(SplitChoice.Resolve(SplitKind.Input, 784, certificate: false), Is.EqualTo(SplitKind.Input));
        Assert.That(SplitChoice.Resolve(SplitKind.Hybrid, 5, certificate: false), Is.EqualTo(SplitKind.Hybrid));
        Assert.That(SplitChoice.Parse("PHASE"), Is.EqualTo(SplitKind.Phase));
        Assert.That(SplitChoice.Parse("hybrid"), Is.EqualTo(SplitKind.Hybrid));
        var e = Assert.Throws<UsageException>(() => SplitChoice.Parse("neurons"));
        Assert.That(e!.Message, Does.Contain("input, phase, hybrid, auto"));
    }

    [TestCase(100.0, 100.0, true)]
    [TestCase(100.0, 96.0, true)]
    [TestCase(100.0, 95.0, false)]
    [TestCase(100.0, 40.0, false)]
    [TestCase(100.0, double.NaN, true)]
    public void InputSplittingHasStalledBelowFivePerCentProgress(double before, double now, bool stalled) =>
        Assert.That(SplitChoice.Stalled(before, now), Is.EqualTo(stalled));

    /// <summary>
    /// 784 inputs (a box of ±0.03, as the MNIST properties): bisecting one dimension at a time cannot move sup U by 5 %
    /// in the probe share of a few seconds, so auto gives input splitting up for phase branching; both bounds are
    /// reported and U is their element-wise minimum. With --split input it never switches.
    /// </summary>
    [Test]
    public void AutoSwitchesToPhasesWhenInputSplittingStalls()
    {
        var net = Verify.Tests.Search.SearchTestNets.Random(17, false, 784, 12, 12, 3);
        var rng = new Random(5);
        var centre = Enumerable.Range(0, 784).Select(_ => rng.Next(0, 65) / 64.0).ToArray();
        var box = Box.FromBounds(centre.Select(c => c - 0.03).ToArray(), centre.Select(c => c + 0.03).ToArray());
        var query = new CertifyQuery(net, box, PerturbationModel.Relative(1e-2), BoundMethods.Auto, TimeSpan.FromSeconds(4)) { AttackRestarts = 1 };

        var auto = CertifyEngine.Run(query);
        var names = auto.Methods.Select(m => m.Name).ToArray();
        Assert.That(names, Does.Contain(BoundMethods.Auto.Name).And.Contain(CertifyEngine.PhaseMethodName));
        for (int j = 0; j < auto.Upper.Length; j++)
        {
            Assert.That(auto.Upper[j], Is.EqualTo(auto.Methods.Min(m => m.Upper[j])), $"output {j}");
            if (auto.Lower?[j] is { } l) Assert.That(l.Value, Is.LessThanOrEqualTo(auto.Upper[j]));
        }
        Assert.That(auto.History.Select(h => h.Splits), Is.Ordered);

        var input = CertifyEngine.Run(query with { Split = SplitKind.Input, Timeout = TimeSpan.FromSeconds(2) });
        Assert.That(input.Methods.Select(m => m.Name), Does.Not.Contain(CertifyEngine.PhaseMethodName));
    }

    private static CertifyQuery Query(SplitKind split) =>
        new(TestData.Network("net_2_16_16_1.json"), Box.FromBounds([-1, -1], [1, 1]), PerturbationModel.Absolute(1e-3), BoundMethods.Auto,
            TimeSpan.FromSeconds(30)) { Split = split, MaxSplits = 6, AttackRestarts = 2 };

    [TestCase(SplitKind.Phase, "--split phase")]
    [TestCase(SplitKind.Hybrid, "--split hybrid")]
    public void PhaseAndHybridSplittingRefuseACertificate(SplitKind split, string named)
    {
        var e = Assert.Throws<UsageException>(() => CertifyEngine.RunWithCertificate(Query(split) with { Certificate = true }));
        Assert.That(e!.Message, Does.Contain(named).And.Contain("--certificate"));
    }

    [Test]
    public void SplitIsRefusedForAMethodThatDoesNotSplit()
    {
        var e = Assert.Throws<UsageException>(() => CertifyEngine.Run(Query(SplitKind.Input) with { Method = BoundMethods.Linear }));
        Assert.That(e!.Message, Does.Contain("--split"));
    }

    [TestCase(SplitKind.Phase, CertifyEngine.PhaseMethodName)]
    [TestCase(SplitKind.Hybrid, CertifyEngine.HybridMethodName)]
    public void CertifyWithPhaseOrHybridSplittingReportsItsMethodAndStaysAboveTheWitness(SplitKind split, string method)
    {
        var r = CertifyEngine.Run(Query(split));
        Assert.That(r.Methods.Select(m => m.Name), Does.Contain(method));
        var linear = r.Methods.Single(m => m.Name == "linear").Upper;
        for (int j = 0; j < r.Upper.Length; j++)
        {
            Assert.That(r.Upper[j], Is.LessThanOrEqualTo(linear[j]));
            if (r.Lower?[j] is { } l) Assert.That(l.Value, Is.LessThanOrEqualTo(r.Upper[j]));
        }
    }
}
