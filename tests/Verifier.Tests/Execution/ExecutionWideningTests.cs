using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Execution;

public class ExecutionWideningTests
{
    private static Network Net => TestData.Network("net_2_16_16_1.json");

    [Test]
    public void WithoutExecutionZeroEpsIsTheZeroBox()
    {
        var box = PerturbationModel.Absolute(0).ToBox(Net);
        Assert.That(box.Layers.All(l => l.IsZero), Is.True);
        Assert.That(box.Execution, Is.Null);
        Assert.That(box.RealArithmetic, Is.SameAs(box));
    }

    /// <summary>One weight, hand-computed: float32, n = 1, so γ₂ = 2u/(1 − 2u); the input is rounded (ι = u), the
    /// weight is stored rounded (1 + u): radius ((1+u)²(1+γ₂) − 1)·|w| plus underflow terms of order 2⁻¹⁵⁰. The directed
    /// rounding of "product − 1" costs up to ulp(1) ≈ 2e-16, a relative 1e-9 of the radius: hence the tolerance.</summary>
    [Test]
    public void OneWeightMatchesTheHandDerivation()
    {
        var net = new Network([DenseLayer.FromRows([[2.0]], [1.0], Activation.Identity)]);
        var box = (PerturbationModel.Absolute(0) with { Execution = ExecutionFormat.Float32 }).ToBox(net);
        var u = Rational.FromDouble(Math.ScaleB(1, -24));
        var gamma = 2 * u / (Rational.One - 2 * u);
        var one = Rational.One;
        var weightRadius = ((one + u) * (one + u) * (one + gamma) - one) * 2;
        var biasRadius = ((one + u) * (one + gamma) - one) * 1;
        var l = box.Layers[0];
        Assert.That(Rational.FromDouble(l.WeightHi[0]), Is.GreaterThanOrEqualTo(weightRadius));
        Assert.That(Rational.FromDouble(-l.WeightLo[0]), Is.GreaterThanOrEqualTo(weightRadius));
        Assert.That(l.WeightHi[0], Is.EqualTo(weightRadius.ToDouble()).Within(1e-6).Percent);
        Assert.That(Rational.FromDouble(l.BiasHi[0]), Is.GreaterThanOrEqualTo(biasRadius));
        Assert.That(l.BiasHi[0], Is.EqualTo(biasRadius.ToDouble()).Within(1e-6).Percent);
    }

    [Test]
    public void WidenedBoxContainsTheUsersBoxAndRemembersIt()
    {
        var model = PerturbationModel.Relative(1e-3);
        var user = model.ToBox(Net);
        var widened = (model with { Execution = ExecutionFormat.Float16 }).ToBox(Net);
        Assert.That(widened.Execution, Is.EqualTo(ExecutionFormat.Float16));
        Assert.That(widened.RealArithmetic.Layers.Select(l => l.WeightHi), Is.EqualTo(user.Layers.Select(l => l.WeightHi)));
        for (int l = 0; l < user.Layers.Count; l++)
        {
            var a = user.Layers[l]; var b = widened.Layers[l]; var w = Net.Layers[l].Weights.ToArray();
            for (int k = 0; k < a.WeightHi.Length; k++)
            {
                Assert.That(b.WeightLo[k], Is.LessThanOrEqualTo(a.WeightLo[k]));
                Assert.That(b.WeightHi[k], Is.GreaterThan(a.WeightHi[k] + ExecutionFormat.Float16.UnitRoundoff * Math.Abs(w[k]) * 0.999));
            }
            for (int i = 0; i < a.BiasHi.Length; i++) Assert.That(b.BiasHi[i], Is.GreaterThan(a.BiasHi[i]));
        }
    }

    [Test]
    public void FlushToZeroAndLeakySlopesOnlyWiden()
    {
        var relu = new Network([DenseLayer.FromRows([[1.0, -0.5], [0.25, 0.75]], [0.0, 0.5], Activation.Relu),
                                DenseLayer.FromRows([[1.0, 1.0]], [0.0], Activation.Identity)]);
        var leaky = relu.WithLayers([relu.Layers[0].With(activation: Activation.Leaky(0.1)), relu.Layers[1]]);
        var model = PerturbationModel.Absolute(0);
        var plain = (model with { Execution = ExecutionFormat.Float16 }).ToBox(relu);
        var ftz = (model with { Execution = ExecutionFormat.Parse("float16-ftz") }).ToBox(relu);
        var afterLeaky = (model with { Execution = ExecutionFormat.Float16 }).ToBox(leaky);
        for (int l = 0; l < 2; l++)
            for (int k = 0; k < plain.Layers[l].WeightHi.Length; k++)
                Assert.That(ftz.Layers[l].WeightHi[k], Is.GreaterThan(plain.Layers[l].WeightHi[k]));
        // The second layer's inputs come out of a rounded leaky product: its weights move by about 2u more.
        Assert.That(afterLeaky.Layers[1].WeightHi[0], Is.GreaterThan(plain.Layers[1].WeightHi[0] + 1.9 * ExecutionFormat.Float16.UnitRoundoff));
        Assert.That(afterLeaky.Layers[1].BiasHi[0], Is.GreaterThan(plain.Layers[1].BiasHi[0]));
    }
}
