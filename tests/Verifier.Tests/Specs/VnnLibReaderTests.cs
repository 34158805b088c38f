using Verify.Errors;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Tests.Specs;

public class VnnLibReaderTests
{
    // ACAS Xu property 1 as VNN-COMP writes it (normalised coordinates), with comments.
    public const string Prop1 = """
        ; ACAS Xu property 1
        (declare-const X_0 Real)
        (declare-const X_1 Real)
        (declare-const X_2 Real)
        (declare-const X_3 Real)
        (declare-const X_4 Real)
        (declare-const Y_0 Real)
        (declare-const Y_1 Real)
        (declare-const Y_2 Real)
        (declare-const Y_3 Real)
        (declare-const Y_4 Real)
        ; input constraints
        (assert (<= X_0 0.679857769))
        (assert (>= X_0 0.6))
        (assert (<= X_1 0.5)) (assert (>= X_1 -0.5))
        (assert (and (<= X_2 0.5) (>= X_2 -0.5)))
        (assert (<= X_3 0.5))
        (assert (>= X_3 0.45))
        (assert (<= X_4 -0.45))
        (assert (>= X_4 -0.5))
        ; unsafe if COC is at least 1500 (normalised)
        (assert (>= Y_0 3.991125645861615))
        """;

    private static VnnLibSpec Parse(string text) => VnnLibReader.Parse("p.vnnlib", text);

    private static BadInputException Fails(string text) => Assert.Throws<BadInputException>(() => Parse(text))!;

    [Test]
    public void AcasProperty1GivesTheBoxAndOneOutputConstraint()
    {
        var spec = Parse(Prop1);
        Assert.That(spec.InputSize, Is.EqualTo(5));
        Assert.That(spec.OutputSize, Is.EqualTo(5));
        Assert.That(spec.ExactLower[0], Is.EqualTo(Rational.Parse("0.6")));
        Assert.That(spec.ExactUpper[0], Is.EqualTo(Rational.Parse("0.679857769")));
        Assert.That(spec.ExactLower[4], Is.EqualTo(Rational.Parse("-0.5")));
        // Decimal bounds are enclosed outward, so the double box contains the real one.
        for (int i = 0; i < 5; i++)
        {
            Assert.That(Rational.FromDouble(spec.InputBox[i].Lo) <= spec.ExactLower[i]);
            Assert.That(Rational.FromDouble(spec.InputBox[i].Hi) >= spec.ExactUpper[i]);
            // ...and tightly: the next double inward is already inside the real box.
            Assert.That(Rational.FromDouble(Math.BitIncrement(spec.InputBox[i].Lo)) > spec.ExactLower[i]);
            Assert.That(Rational.FromDouble(Math.BitDecrement(spec.InputBox[i].Hi)) < spec.ExactUpper[i]);
        }
        Assert.That(spec.InputBox[1].Lo, Is.EqualTo(-0.5), "dyadic bounds stay exact");
        Assert.That(spec.BoxWasWidened, Is.True, "0.6 is not a double");
        var c = spec.Output.Clauses.Single().Single().Single();
        // Y_0 >= c is stored as −Y_0 <= −c.
        Assert.That(c.Coefficients[0], Is.EqualTo(-Rational.One));
        Assert.That(c.Bound, Is.EqualTo(-Rational.Parse("3.991125645861615")));
        Assert.That(spec.Output.HoldsAt([4, 0, 0, 0, 0]), Is.True);
        Assert.That(spec.Output.HoldsAt([3, 0, 0, 0, 0]), Is.False);
    }

    [Test]
    public void OrOfAndsOverOutputsIsKeptAsDisjunctionOfConjunctions()
    {
        var spec = Parse("""
            (declare-const X_0 Real) (declare-const Y_0 Real) (declare-const Y_1 Real) (declare-const Y_2 Real)
            (assert (<= X_0 1)) (assert (>= X_0 (- 1)))
            (assert (or (and (<= Y_0 Y_1) (<= Y_0 Y_2)) (and (>= Y_2 (+ Y_1 0.5)) (< (* 2 Y_0) 3))))
            """);
        var clause = spec.Output.Clauses.Single();
        Assert.That(clause, Has.Count.EqualTo(2));
        var first = clause[0][0];   // Y_0 − Y_1 <= 0
        Assert.That(first.Coefficients[0], Is.EqualTo(Rational.One));
        Assert.That(first.Coefficients[1], Is.EqualTo(-Rational.One));
        Assert.That(first.Bound, Is.EqualTo(Rational.Zero));
        var strict = clause[1][1];  // 2 Y_0 − 3 < 0
        Assert.That(strict.Strict, Is.True);
        Assert.That(strict.Coefficients[0], Is.EqualTo((Rational)2));
        Assert.That(strict.Bound, Is.EqualTo((Rational)3));
        Assert.That(spec.InputBox[0].Lo, Is.EqualTo(-1.0));
        Assert.That(spec.Output.HoldsAt([0, 1, 2]), Is.True);     // first case
        Assert.That(spec.Output.HoldsAt([1, 0, 2]), Is.True);     // second case: 2 >= 0.5, 2 < 3
        Assert.That(spec.Output.HoldsAt([2, 0, 1]), Is.False);
    }

    [Test]
    public void TighterOfRepeatedBoundsWins()
    {
        var spec = Parse("(declare-const X_0 Real)(assert (<= X_0 3))(assert (<= X_0 2))(assert (>= X_0 -1))(assert (>= (* 2 X_0) 0))");
        Assert.That(spec.InputBox[0].Lo, Is.EqualTo(0.0));
        Assert.That(spec.InputBox[0].Hi, Is.EqualTo(2.0));
        Assert.That(spec.OutputSize, Is.EqualTo(0));
        Assert.That(spec.Output.IsEmpty);
    }

    [TestCase("(declare-const X_0 Real)(assert (<= X_0 1))", "X_0 has no lower bound: the input box is unbounded")]
    [TestCase("(declare-const X_0 Real)(assert (<= X_0 1))(assert (>= X_0 2))", "empty input box: X_0 ≥ 2 and X_0 ≤ 1")]
    [TestCase("(declare-const X_0 Real)(declare-const Y_0 Real)(assert (<= X_0 Y_0))", "mixing inputs X and outputs Y")]
    [TestCase("(declare-const X_0 Real)(assert (<= X_1 1))", "X_1 is used but not declared")]
    [TestCase("(declare-const X_0 Real)(assert (<= X_0 1)", "never closed")]
    [TestCase("(declare-const X_0 Real))", "unbalanced ')'")]
    [TestCase("(declare-const X_0 Real)(assert (or (<= X_0 1) (>= X_0 2)))", "disjunctions over inputs are not supported")]
    [TestCase("(declare-const X_0 Real)(declare-const X_1 Real)(assert (<= (+ X_0 X_1) 1))", "bound one variable each")]
    [TestCase("(declare-const X_0 Real)(assert (<= X_0 abc))", "'abc' is neither a number nor a declared variable")]
    [TestCase("(declare-const X_0 Int)", "only Real is supported")]
    [TestCase("(declare-const X_1 Real)(assert (<= X_1 1))(assert (>= X_1 0))", "numbered X_0")]
    [TestCase("(declare-const X_0 Real)(assert (<= (* X_0 X_0) 1))", "not linear")]
    [TestCase("(push 1)", "unsupported command 'push'")]
    [TestCase("; nothing\n", "declares no input variables")]
    public void BadSpecsAreNamedClearly(string text, string expected)
    {
        var e = Fails(text);
        Assert.That(e.Message, Does.StartWith("p.vnnlib"));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void ErrorsCarryTheLineNumber()
    {
        var e = Fails("(declare-const X_0 Real)\n; comment\n(assert (<= X_0 1))\n(assert (>= X_0 foo))\n");
        Assert.That(e.Position, Is.EqualTo("4"));
    }
}
