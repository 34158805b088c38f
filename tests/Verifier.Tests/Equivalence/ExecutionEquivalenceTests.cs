using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;
using Verify.Tests.Execution;

namespace Verify.Tests.Equivalence;

/// <summary>`equiv --execution`: the bounds cover float evaluations of both networks, and the verdicts follow the
/// triangle inequality (verified within ε − margin, falsified beyond ε + margin, unknown between).</summary>
public class ExecutionEquivalenceTests
{
    private static readonly Network First = EquivFixtures.Random(11, 3, 8, 8, 2);
    private static readonly Network Second = EquivFixtures.Jitter(First, 1e-3, 5);
    private static readonly Box Cube = EquivFixtures.Cube(3, 1);

    private static EquivalenceResult Check(Network a, Network b, double eps, ExecutionFormat f) =>
        ExecutionEquivalence.Check(new EquivalenceChecker(), new EquivalenceQuery(a, b, Cube, eps, false) { Timeout = TimeSpan.FromSeconds(20) }, f);

    [TestCase("float32"), TestCase("float16"), TestCase("bfloat16")]
    public void UpperBoundCoversFloatEvaluationsOfBothNetworksInEveryOrder(string format)
    {
        var f = ExecutionFormat.Parse(format);
        var arithmetic = format switch { "float32" => FloatArithmetic.Float32, "float16" => FloatArithmetic.Float16, _ => FloatArithmetic.BFloat16 };
        var r = Check(First, Second, 0.05, f);
        Assert.That(r.Execution, Is.Not.Null);
        Assert.That(r.Upper.All(double.IsFinite), Is.True, "no overflow is possible on this box");
        // FMA orders exist for float32 only (FloatEvaluator has no fused narrow formats).
        var orders = Enum.GetValues<SummationOrder>().Where(o => format == "float32" || !o.ToString().StartsWith("Fma")).ToArray();
        var rng = new Random(3);
        for (int s = 0; s < 300; s++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => s % 10 == 0 ? (rng.Next(2) * 2 - 1.0) : rng.NextDouble() * 2 - 1).ToArray();
            foreach (var o1 in orders)
            {
                var y1 = FloatEvaluator.Evaluate(First, x, arithmetic, o1);
                var y2 = FloatEvaluator.Evaluate(Second, x, arithmetic, orders[(Array.IndexOf(orders, o1) + s) % orders.Length]);
                for (int j = 0; j < y1.Length; j++)
                    Assert.That(Math.Abs(y2[j] - y1[j]), Is.LessThanOrEqualTo(r.Upper[j]), $"x = [{string.Join(", ", x)}], output {j}, order {o1}");
            }
        }
    }

    [Test]
    public void VerifiedInFloat32WhenTheMarginLeavesRoomAndNeverWhenItDoesNot()
    {
        var f32 = Check(First, Second, 0.05, ExecutionFormat.Float32);
        Assert.That(f32.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(f32.MaxUpper, Is.LessThanOrEqualTo(0.05));
        // The same pair in bfloat16: the execution margin alone exceeds ε, so nothing can be verified.
        var bf = Check(First, Second, 1e-3, ExecutionFormat.BFloat16);
        Assert.That(bf.Execution!.Total.Max(), Is.GreaterThan(1e-3));
        Assert.That(bf.Verdict, Is.Not.EqualTo(Verdict.Verified));
    }

    [Test]
    public void FalsifiedOnlyBeyondEpsPlusTheMarginAndTheWitnessReplaysExactly()
    {
        var shifted = EquivFixtures.ShiftOutput(First, 1, 0.5);
        var r = Check(First, shifted, 0.1, ExecutionFormat.Float32);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified));
        var w = r.Witness!;
        var x = w.X.Select(Rational.FromDouble).ToArray();
        var d = shifted.EvaluateExact(x)[w.Output!.Value] - First.EvaluateExact(x)[w.Output.Value];
        Assert.That(Rational.Abs(d) > Rational.FromDouble(0.1) + Rational.FromDouble(r.Execution!.Total[w.Output.Value]), Is.True);
        Assert.That(r.Lower.Max(), Is.GreaterThan(0.1));
    }

    /// <summary>With a certificate the margins the answer uses are the two margin certificates' claims, and the claimed
    /// bound per output is at least the exact sum of the three parts.</summary>
    [Test]
    public void CertificateMarginsAreTheAnswersMarginsAndSumToTheClaim()
    {
        var q = new EquivalenceQuery(First, Second, Cube, 0.05, false) { Timeout = TimeSpan.FromSeconds(20) };
        var (r, cert, why) = ExecutionEquivalence.CheckWithCertificate(new EquivalenceChecker(), q, ExecutionFormat.Float32);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(cert, Is.Not.Null, why);
        var pe = cert!.PairExecution!;
        Assert.That(pe.Format, Is.EqualTo("float32"));
        Assert.That(pe.First.Upper, Is.EqualTo(r.Execution!.First));
        Assert.That(pe.Second.Upper, Is.EqualTo(r.Execution.Second));
        Assert.That(pe.First.Execution!.Format, Is.EqualTo("float32"));
        for (int j = 0; j < pe.Upper!.Length; j++)
            Assert.That(Rational.FromDouble(pe.Upper[j]) >= Rational.FromDouble(cert.Upper![j]) + Rational.FromDouble(pe.First.Upper![j]) + Rational.FromDouble(pe.Second.Upper![j]),
                Is.True, $"output {j}");
    }

    [Test]
    public void TopOneIsRefusedAsAUsageError() =>
        Assert.Throws<Verify.Errors.UsageException>(() => ExecutionEquivalence.Check(new EquivalenceChecker(),
            new EquivalenceQuery(First, Second, Cube, 0, true), ExecutionFormat.Float32));
}
