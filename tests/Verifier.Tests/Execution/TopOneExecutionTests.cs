using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Tests.Execution;

/// <summary>
/// `certify --top1 --execution`: margins certified over the widened box hold for float evaluations of perturbed
/// networks (sampled: every summation order and FMA in float32; float16 is verified nowhere on this network, its
/// rounding alone leaves no positive margin), are never above the real-valued margins, and a flip is falsified only
/// when a float32 runtime flips too.
/// </summary>
public class TopOneExecutionTests
{
    private static readonly double[] X = [0.1, 0.2, -0.3, 0.4, 0.5];

    private static TopOneResult Run(double eps, ExecutionFormat? format, bool attack = true) =>
        TopOneEngine.Run(new TopOneQuery(TestData.Network("net_5_50x6_5.json"), Box.FromBounds(X, X),
            PerturbationModel.Absolute(eps) with { Execution = format }, BoundMethods.Linear, TimeSpan.FromSeconds(20))
        { AttackRestarts = attack ? 8 : 0 });

    [TestCase(3e-4)]
    [TestCase(1e-4)]
    public void VerifiedMarginsHoldForSampledFloat32EvaluationsAndAreBelowTheRealOnes(double eps)
    {
        var f = ExecutionFormat.Float32;
        var inFloat = Run(eps, f);
        var real = Run(eps, null);
        Assert.That(inFloat.Verdict, Is.EqualTo(Verdict.Verified), inFloat.Reason);
        for (int j = 0; j < real.MarginLower.Length; j++)
            if (j != real.Class) Assert.That(inFloat.MarginLower[j], Is.LessThanOrEqualTo(real.MarginLower[j]), $"class {j}");

        var net = TestData.Network("net_5_50x6_5.json");
        var arithmetic = FloatArithmetic.Float32;
        var rng = new Random(11);
        for (int s = 0; s < 20; s++)
        {
            var theta = net.Flatten();
            for (int k = 0; k < theta.Length; k++) theta[k] += s % 2 == 0 ? (rng.Next(2) == 0 ? -eps : eps) : eps * (2 * rng.NextDouble() - 1);
            var moved = net.WithParameters(theta);
            foreach (var order in Enum.GetValues<SummationOrder>())
            {
                var y = FloatEvaluator.Evaluate(moved, X, arithmetic, order);
                for (int j = 0; j < y.Length; j++)
                    if (j != inFloat.Class)
                        Assert.That(y[inFloat.Class] - y[j], Is.GreaterThanOrEqualTo(inFloat.MarginLower[j]), $"{order}, class {j}");
            }
        }
    }

    [Test]
    public void AFlipIsFalsifiedWhenOnnxRuntimeFlipsInFloat32()
    {
        var r = Run(3e-3, ExecutionFormat.Float32);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified), r.Reason);
        Assert.That(r.ExecutionCheck, Does.Contain("flips in float32 too"));
        Assert.That(r.FlipMargin!.Value.Sign, Is.LessThanOrEqualTo(0));
    }

    [Test]
    public void AFlipWithoutAFloatRuntimeIsUnknown()
    {
        var r = Run(3e-3, ExecutionFormat.Parse("float16"));
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(r.Reason, Does.Contain("not confirmed in float16"));
        Assert.That(r.Flip, Is.Not.Null, "the real-valued flip is still shown");
    }
}
