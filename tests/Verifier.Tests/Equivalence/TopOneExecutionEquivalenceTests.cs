using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;
using Verify.Tests.Execution;

namespace Verify.Tests.Equivalence;

/// <summary>
/// `equiv --top1 --execution F`: verified only when both networks' `certify --top1 --execution F` answers certify the
/// same class (and then every sampled float evaluation of both, in every order, picks it), falsified when both certify
/// different classes, unknown naming the side that failed. net_4_50x3_2 and its float16 copy (every parameter rounded to
/// the nearest half) on a small box where both lead with class 0 by about 3.
/// </summary>
public class TopOneExecutionEquivalenceTests
{
    private static readonly Network First = TestData.Network("net_4_50x3_2.json");
    private static readonly Network Second = First.WithParameters(First.Flatten().Select(v => (double)(Half)v).ToArray());
    private static readonly Box Small = Box.FromBounds([-0.73, 0.48, 0.72, -0.43], [-0.63, 0.58, 0.82, -0.33]);

    private static EquivalenceResult Check(Network a, Network b, ExecutionFormat f, double seconds = 20) =>
        TopOneExecutionEquivalence.Check(new EquivalenceQuery(a, b, Small, 0, true) { Timeout = TimeSpan.FromSeconds(seconds) }, f);

    [TestCase("float32"), TestCase("float16")]
    public void VerifiedAndEverySampledFloatEvaluationOfBothPicksTheClass(string format)
    {
        var r = Check(First, Second, ExecutionFormat.Parse(format));
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified), r.TopOneExecution?.Reason);
        var sides = r.TopOneExecution!;
        Assert.That(sides.First.Class, Is.EqualTo(0));
        Assert.That(sides.Second.Class, Is.EqualTo(0));
        Assert.That(sides.First.WorstMarginLower, Is.GreaterThan(0));
        Assert.That(sides.Second.WorstMarginLower, Is.GreaterThan(0));
        Assert.That(r.Witness, Is.Null);
        var arithmetic = format == "float32" ? FloatArithmetic.Float32 : FloatArithmetic.Float16;
        var orders = Enum.GetValues<SummationOrder>().Where(o => format == "float32" || !o.ToString().StartsWith("Fma")).ToArray();
        var rng = new Random(7);
        for (int s = 0; s < 200; s++)
        {
            var x = Enumerable.Range(0, 4).Select(k => Small[k].Lo + (s % 10 == 0 ? rng.Next(2) : rng.NextDouble()) * (Small[k].Hi - Small[k].Lo)).ToArray();
            foreach (var o in orders)
                foreach (var (n, name) in new[] { (First, "first"), (Second, "second") })
                {
                    var y = FloatEvaluator.Evaluate(n, x, arithmetic, o);
                    // The certified margin is a strict lower bound of y_0 − y_1 for every float evaluation.
                    Assert.That(y[0] - y[1], Is.GreaterThanOrEqualTo((name == "first" ? sides.First : sides.Second).WorstMarginLower),
                        $"{name}, x = [{string.Join(", ", x)}], order {o}");
                }
        }
    }

    [Test]
    public void TheFloat16MarginsAreBelowTheFloat32Ones()
    {
        var f32 = Check(First, Second, ExecutionFormat.Float32).TopOneExecution!;
        var f16 = Check(First, Second, ExecutionFormat.Float16).TopOneExecution!;
        Assert.That(f16.First.WorstMarginLower, Is.LessThan(f32.First.WorstMarginLower));
        Assert.That(f16.Second.WorstMarginLower, Is.LessThan(f32.Second.WorstMarginLower));
    }

    /// <summary>The second network with its two output rows swapped: class 1 everywhere on the box, certified in float32,
    /// so every pair of float32 evaluations disagrees everywhere.</summary>
    [Test]
    public void BothCertifiedWithDifferentClassesIsFalsified()
    {
        var r = Check(First, SwapOutputs(Second), ExecutionFormat.Float32);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified), r.TopOneExecution?.Reason);
        Assert.That(r.Witness!.FirstClass, Is.EqualTo(0));
        Assert.That(r.Witness.SecondClass, Is.EqualTo(1));
        Assert.That(r.Witness.X, Is.EqualTo(Small.Center));
        // The claim at the reported point, checked exactly on the real networks (float evaluations are bounded by the margins).
        var xr = r.Witness.X.Select(Rational.FromDouble).ToArray();
        Assert.That(TopOne.Disagreement(First.EvaluateExact(xr), SwapOutputs(Second).EvaluateExact(xr)), Is.EqualTo((0, 1)));
    }

    /// <summary>The second network's class-1 bias raised so that its two outputs tie at the box centre: its class changes
    /// inside the box, the first network's does not. The second side is named as the one that failed, and the
    /// sequential float32 evaluations disagree somewhere: falsified at a point the test's own evaluator confirms.</summary>
    [Test]
    public void ATiedSecondNetworkNamesItsSideAndIsFalsifiedBySequentialEvaluations()
    {
        var y = Second.Evaluate(Small.Center);
        var tied = EquivFixtures.ShiftOutput(Second, 1, y[0] - y[1]);
        var r = Check(First, tied, ExecutionFormat.Float32, seconds: 6);
        Assert.That(r.TopOneExecution!.First.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.TopOneExecution.Second.Verdict, Is.Not.EqualTo(Verdict.Verified));
        var (verdict, reason) = TopOneExecutionEquivalence.Decide(r.TopOneExecution.First, r.TopOneExecution.Second, ExecutionFormat.Float32);
        Assert.That(verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(reason, Does.StartWith("the second network's").And.Not.Contain("first network"));
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified), r.TopOneExecution.Reason);
        Assert.That(r.TopOneExecution.Reason, Does.Contain("sequential float32 evaluations"));
        var w = r.Witness!;
        Assert.That(Small.Contains(w.X), Is.True);
        var y1 = FloatEvaluator.Evaluate(First, w.X, FloatArithmetic.Float32, SummationOrder.BiasLast);
        var y2 = FloatEvaluator.Evaluate(tied, w.X, FloatArithmetic.Float32, SummationOrder.BiasLast);
        Assert.That(TopOne.ArgmaxSet(y1), Is.EqualTo(new[] { w.FirstClass!.Value }));
        Assert.That(TopOne.ArgmaxSet(y2), Is.EqualTo(new[] { w.SecondClass!.Value }));
        Assert.That(w.FirstClass, Is.Not.EqualTo(w.SecondClass));
    }

    /// <summary>bfloat16 rounding of 50-term sums leaves no positive margin here, and the networks agree: unknown, both sides named.</summary>
    [Test]
    public void UnknownNamesBothSidesWhenBothFail()
    {
        var r = Check(First, Second, ExecutionFormat.BFloat16, seconds: 4);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(r.Witness, Is.Null);
        Assert.That(r.TopOneExecution!.Reason, Does.StartWith("the first network's margins are not certified positive for its bfloat16 evaluations")
            .And.Contain("; the second network's margins are not certified positive"));
    }

    [Test]
    public void AnEpsQueryIsNotATopOneExecutionQuery() =>
        Assert.Throws<InvalidOperationException>(() =>
            TopOneExecutionEquivalence.Check(new EquivalenceQuery(First, Second, Small, 0.1, false), ExecutionFormat.Float32));

    private static Network SwapOutputs(Network n)
    {
        var last = n.Layers[^1];
        var rows = Enumerable.Range(0, last.Outputs).Reverse().ToArray();
        var swapped = rows.SelectMany(i => last.Row(i).ToArray()).ToArray();
        var layers = n.Layers.ToArray();
        layers[^1] = last.With(weights: swapped, bias: rows.Select(i => last.B(i)).ToArray());
        return n.WithLayers(layers);
    }
}
