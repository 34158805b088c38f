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
    public void AutoSplitsTheInputAndAnExplicitChoiceIsKept()
    {
        Assert.That(SplitChoice.Resolve(SplitKind.Auto, 5, certificate: false), Is.EqualTo(SplitKind.Input));
        Assert.That(SplitChoice.Resolve(SplitKind.Auto, 784, certificate: false), Is.EqualTo(SplitKind.Input));
        Assert.That(SplitChoice.Resolve(SplitKind.Phase, 5, certificate: false), Is.EqualTo(SplitKind.Phase));
        Assert.That(SplitChoice.Resolve(SplitKind.Input, 784, certificate: false), Is.EqualTo(SplitKind.Input));
        Assert.That(SplitChoice.Parse("PHASE"), Is.EqualTo(SplitKind.Phase));
        Assert.Throws<UsageException>(() => SplitChoice.Parse("neurons"));
    }

    private static CertifyQuery Query(SplitKind split) =>
        new(TestData.Network("net_2_16_16_1.json"), Box.FromBounds([-1, -1], [1, 1]), PerturbationModel.Absolute(1e-3), BoundMethods.Auto,
            TimeSpan.FromSeconds(30)) { Split = split, MaxSplits = 6, AttackRestarts = 2 };

    [Test]
    public void PhaseSplittingRefusesACertificate()
    {
        var e = Assert.Throws<UsageException>(() => CertifyEngine.RunWithCertificate(Query(SplitKind.Phase) with { Certificate = true }));
        Assert.That(e!.Message, Does.Contain("--split phase").And.Contain("--certificate"));
    }

    [Test]
    public void SplitIsRefusedForAMethodThatDoesNotSplit()
    {
        var e = Assert.Throws<UsageException>(() => CertifyEngine.Run(Query(SplitKind.Input) with { Method = BoundMethods.Linear }));
        Assert.That(e!.Message, Does.Contain("--split"));
    }

    [Test]
    public void CertifyWithPhaseSplittingReportsItsMethodAndStaysAboveTheWitness()
    {
        var r = CertifyEngine.Run(Query(SplitKind.Phase));
        Assert.That(r.Methods.Select(m => m.Name), Does.Contain(CertifyEngine.PhaseMethodName));
        var linear = r.Methods.Single(m => m.Name == "linear").Upper;
        for (int j = 0; j < r.Upper.Length; j++)
        {
            Assert.That(r.Upper[j], Is.LessThanOrEqualTo(linear[j]));
            if (r.Lower?[j] is { } l) Assert.That(l.Value, Is.LessThanOrEqualTo(r.Upper[j]));
        }
    }
}
