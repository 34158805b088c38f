using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Results;
using Verify.Specs;

namespace Verify.Tests.Results;

/// <summary>The inverse-stability answers' JSON layout (key names and order are what scripts read).</summary>
public class InverseStabilityJsonTests
{
    private static readonly FiberDomain Square = new([-Rational.One, -Rational.One], [Rational.One, Rational.One]);

    private static PaperConditionsReport Report(params ConditionViolation[] v) =>
        new(v, Balanced: true, C2: true, C3aGamma: true, C3aTheta: false, C3b: true, LastTwoPositive: true, SemiNorm: null, Beta: null);

    [Test]
    public void ConditionsWithoutThetaWriteNullForTheCrossConditions()
    {
        var o = new ConditionsResult(Report(new ConditionViolation("C.2", "neurons 0 and 1")), WithTheta: false, null, null).ToJson();
        Assert.That(o.Select(p => p.Key), Is.EqualTo(new[] { "balanced", "c1", "c2", "c3aGamma", "c3aTheta", "c3b", "inNStar", "violations", "theorem" }));
        Assert.That(o["c3aTheta"], Is.Null);
        Assert.That(o["c1"], Is.Null);
        Assert.That(o["theorem"], Is.Null);
        Assert.That((string)o["violations"]![0]!["condition"]!, Is.EqualTo("C.2"));
    }

    [Test]
    public void ConditionsWithThetaAndASkippedTheoremSayWhy()
    {
        var o = new ConditionsResult(Report(), WithTheta: true, null, "too large").ToJson();
        Assert.That((bool)o["c3aTheta"]!, Is.False);
        Assert.That((string)o["theorem"]!["skipped"]!, Is.EqualTo("too large"));
    }

    [Test]
    public void FiberAnswerKeepsRationalsAsStrings()
    {
        var member = new FiberMember("permutation", new Rational(1, 3), "exact", [new Rational(1, 3), Rational.One]);
        var r = new FiberResult(Square, BiasFree: true, new Rational(1, 4), member, [new FiberPoint([Rational.Zero, Rational.Zero], [], "origin")],
            [new FiberSolverCheck(new Rational(1, 4), "unsat", "", 0.5, null)], [member], []);
        var o = r.ToJson();
        Assert.That(o.Select(p => p.Key), Is.EqualTo(new[] { "domain", "biasFree", "lower", "upper", "points", "checks", "candidates" }));
        Assert.That((string)o["upper"]!["distance"]!, Is.EqualTo("1/3"));
        Assert.That((string)o["lower"]!["value"]!, Is.EqualTo("1/4"));
        Assert.That(o["checks"]![0]!["exactModel"], Is.Null);
        Assert.That(((JsonArray)o["domain"]!["lo"]!).Select(v => (string)v!), Is.EqualTo(new[] { "-1", "-1" }));
    }
}
