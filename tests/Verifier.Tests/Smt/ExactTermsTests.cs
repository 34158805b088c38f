using Microsoft.Z3;
using Verify.Intervals;
using Verify.Smt;

namespace Verify.Tests.Smt;

public class ExactTermsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [TestCase(0.1)]
    [TestCase(-0.1)]
    [TestCase(1.0 / 3.0)]
    [TestCase(4.9406564584124654e-324)] // smallest subnormal
    [TestCase(2.2250738585072009e-308)] // largest subnormal
    [TestCase(1e300)]
    [TestCase(-1e300)]
    [TestCase(double.MaxValue)]
    [TestCase(0.0)]
    [TestCase(-0.0)]
    [TestCase(123456789.125)]
    public void DoublesReachZ3AsTheirExactRationalAndComeBackUnchanged(double d)
    {
        using var s = new SolverSession(Limit);
        var ctx = s.Context;
        var x = ctx.MkRealConst("x");
        s.Assert(ctx.MkEq(x, ExactTerms.Real(ctx, d)));
        var r = s.Check();
        Assert.That(r.Status, Is.EqualTo(SmtStatus.Sat));
        var v = ExactTerms.Evaluate(r.Model!, x)!.Value;
        Assert.That(v.IsExact, Is.True);
        Assert.That(v.Value, Is.EqualTo(Rational.FromDouble(d)));
        Assert.That(v.Value.ToDouble(), Is.EqualTo(d));
    }

    [Test]
    public void PointOneIsNotOneTenthInZ3()
    {
        using var s = new SolverSession(Limit);
        var ctx = s.Context;
        // If 0.1 were sent as the decimal "0.1", this would be unsat.
        s.Assert(ctx.MkNot(ctx.MkEq(ExactTerms.Real(ctx, 0.1), ctx.MkReal(1, 10))));
        Assert.That(s.Check().Status, Is.EqualTo(SmtStatus.Sat));
        Assert.That(ExactTerms.Real(ctx, 0.1).ToString(), Is.EqualTo("3602879701896397/36028797018963968"));
    }

    [Test]
    public void NegativeRationalsAndAffineTermsAreExact()
    {
        using var s = new SolverSession(Limit);
        var ctx = s.Context;
        var x = ctx.MkRealConst("x");
        var y = ctx.MkRealConst("y");
        var third = Rational.Parse("-1/3");
        // y = -1/3·x + 7/5 with x = 3/7
        s.Assert(ctx.MkEq(y, ExactTerms.Affine(ctx, [third], [x], Rational.Parse("7/5"))),
                 ctx.MkEq(x, ExactTerms.Real(ctx, Rational.Parse("3/7"))));
        var r = s.Check();
        Assert.That(ExactTerms.Evaluate(r.Model!, y)!.Value.Value, Is.EqualTo(Rational.Parse("-1/7") + Rational.Parse("7/5")));
    }

    [Test]
    public void AlgebraicModelValuesAreEnclosuresNeverExact()
    {
        using var s = new SolverSession(Limit);
        var ctx = s.Context;
        var x = ctx.MkRealConst("x");
        s.Assert(ctx.MkEq(ctx.MkMul(x, x), ctx.MkReal(2)), ctx.MkGt(x, ctx.MkReal(0)));
        var r = s.Check();
        Assert.That(r.Status, Is.EqualTo(SmtStatus.Sat));
        var v = ExactTerms.Evaluate(r.Model!, x)!.Value;
        Assert.That(v.IsExact, Is.False);
        Assert.That(v.Lower * v.Lower < 2, Is.True);
        Assert.That(v.Upper * v.Upper > 2, Is.True);
        Assert.Throws<InvalidOperationException>(() => _ = v.Value);
    }

    [TestCase("5")]
    [TestCase("-3/4")]
    public void ParsesZ3Numerals(string text) => Assert.That(ExactTerms.ParseNumeral(text), Is.EqualTo(Rational.Parse(text)));

    [TestCase("1.4142135623?")]
    [TestCase("0.5")]
    public void RejectsApproximateNumerals(string text) => Assert.Throws<FormatException>(() => ExactTerms.ParseNumeral(text));
}
