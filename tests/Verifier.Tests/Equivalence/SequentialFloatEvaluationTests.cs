using Verify.Equivalence;
using Verify.Model;
using Verify.Specs;
using Verify.Tests.Execution;

namespace Verify.Tests.Equivalence;

/// <summary>
/// The emulated sequential F-evaluation that `equiv --top1 --execution` falsifies with equals, bit for bit, the test
/// suite's own float evaluator in the same order (products left to right, then the bias) in float32, float16 and
/// bfloat16, differs from the exact double evaluation (so rounding happened), and reports an overflow as null.
/// </summary>
public class SequentialFloatEvaluationTests
{
    [TestCase("float32"), TestCase("float16"), TestCase("bfloat16")]
    public void EqualsTheIndependentEvaluatorInTheSameOrder(string format)
    {
        var f = ExecutionFormat.Parse(format);
        var arithmetic = format switch { "float32" => FloatArithmetic.Float32, "float16" => FloatArithmetic.Float16, _ => FloatArithmetic.BFloat16 };
        var net = TestData.Network("net_4_50x3_2.json");
        var rng = new Random(5);
        bool rounded = false;
        for (int s = 0; s < 100; s++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var mine = SequentialFloatEvaluation.Evaluate(net, x, f)!;
            var theirs = FloatEvaluator.Evaluate(net, x, arithmetic, SummationOrder.BiasLast);
            Assert.That(mine, Is.EqualTo(theirs), $"x = [{string.Join(", ", x)}]");
            rounded |= !mine.SequenceEqual(net.Evaluate(x));
        }
        Assert.That(rounded, Is.True, "some evaluation must differ from the double one");
    }

    [Test]
    public void AnOverflowGivesNull()
    {
        var net = new Network([new DenseLayer(1, 1, [60000.0], [0.0], Activation.Identity)]);
        Assert.That(SequentialFloatEvaluation.Evaluate(net, [2.0], ExecutionFormat.Float16), Is.Null, "120000 > 65504");
        Assert.That(SequentialFloatEvaluation.Evaluate(net, [1.0], ExecutionFormat.Float16), Is.EqualTo(new[] { 60000.0 }));
    }
}
