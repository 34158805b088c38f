using Verify.Certify;
using Verify.Specs;
using Verify.Tests.Search;

namespace Verify.Tests.Certify;

/// <summary>Falsified answers and --execution answers carry their best witness replayed through ONNX Runtime.</summary>
public class WitnessRuntimeReplayTests
{
    private static readonly Verify.Model.Network Net = SearchTestNets.Random(73, false, 2, 6, 6, 1);

    private static CertifyQuery Query(double? threshold, ExecutionFormat? execution) =>
        new(Net, SearchTestNets.Cube(2), PerturbationModel.Absolute(1e-2) with { Execution = execution }, BoundMethods.Linear, TimeSpan.FromSeconds(30))
        {
            AttackRestarts = 4, Seed = 3, Threshold = threshold,
        };

    [Test]
    public void AFalsifiedAnswerIsReplayedInFloat64AndAgreesWithTheExactReplay()
    {
        var r = CertifyEngine.Run(Query(threshold: 0, execution: null));
        Assert.That(r.Verdict, Is.EqualTo(Verify.Results.Verdict.Falsified));
        var rt = r.RuntimeReplay ?? throw new AssertionException("no runtime replay on a falsified answer");
        Assert.That(rt.Unavailable, Is.Null, rt.Unavailable);
        Assert.That(rt.Precision, Is.EqualTo("float64"));
        Assert.That(rt.Output, Is.EqualTo(r.SupLower!.Output));
        Assert.That(rt.Difference, Is.EqualTo(r.SupLower.Value).Within(1e-9 * (1 + r.SupLower.Value)));
        Assert.That(r.ToJson()["runtimeReplay"]!["precision"]!.GetValue<string>(), Is.EqualTo("float64"));
    }

    [Test]
    public void Float32ExecutionIsReplayedInFloat32AndAVerifiedRealAnswerIsNot()
    {
        var f32 = CertifyEngine.Run(Query(threshold: null, execution: ExecutionFormat.Float32));
        var rt = f32.RuntimeReplay ?? throw new AssertionException("no runtime replay with --execution");
        Assert.That(rt.Precision, Is.EqualTo("float32"));
        Assert.That(rt.Difference, Is.EqualTo(f32.SupLower!.Value).Within(1e-4 * (1 + Math.Abs(rt.Nominal))));
        // The certificate covers every float32 run of every admissible θ′ against the exact nominal output.
        var x = f32.SupLower.Witness.X.Select(Verify.Intervals.Rational.FromDouble).ToArray();
        var exactNominal = Net.EvaluateExact(x)[rt.Output];
        var gap = Verify.Intervals.Rational.Abs(Verify.Intervals.Rational.FromDouble(rt.Perturbed) - exactNominal);
        Assert.That(gap <= Verify.Intervals.Rational.FromDouble(f32.Upper[rt.Output]), Is.True, "a float32 run lies within the float32 certificate");

        var plain = CertifyEngine.Run(Query(threshold: null, execution: null));
        Assert.That(plain.RuntimeReplay, Is.Null, "no runtime figures unless asked by a falsified answer or --execution");
    }
}
