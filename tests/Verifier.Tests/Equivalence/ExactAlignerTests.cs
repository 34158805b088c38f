using Verify.Equivalence;
using Verify.Model;

namespace Verify.Tests.Equivalence;

public class ExactAlignerTests
{
    [Test]
    public void NetworkAlignsWithItselfByTheIdentity()
    {
        var a = EquivFixtures.Random(1, 3, 8, 8, 2);
        var al = ExactAligner.Align(a, a);
        Assert.That(al, Is.Not.Null);
        Assert.That(al!.IsIdentity, Is.True);
    }

    [Test]
    public void PermutedRescaledCopyAligns()
    {
        var a = EquivFixtures.Random(2, 3, 8, 8, 2);
        var b = EquivFixtures.SymmetricCopy(a, 5);
        Assert.That(b.Flatten(), Is.Not.EqualTo(a.Flatten()));
        var al = ExactAligner.Align(a, b);
        Assert.That(al, Is.Not.Null);
        Assert.That(al!.IsIdentity, Is.False);
        // The copy is the same function: spot-check exactly.
        var x = new[] { 0.25, -0.5, 0.125 }.Select(Verify.Intervals.Rational.FromDouble).ToArray();
        Assert.That(b.EvaluateExact(x), Is.EqualTo(a.EvaluateExact(x)));
    }

    [Test]
    public void OneChangedWeightOrNegativeScaleIsNotAnAlignment()
    {
        var a = EquivFixtures.Random(3, 3, 6, 2);
        var b = EquivFixtures.SymmetricCopy(a, 9);
        var theta = b.Flatten();
        theta[4] = Math.BitIncrement(theta[4]);
        Assert.That(ExactAligner.Align(a, b.WithParameters(theta)), Is.Null);

        // Scaling a ReLU neuron by −1 changes the function: must not align.
        var L = a.Layers[0];
        var w = L.Weights.ToArray(); var bias = L.Bias.ToArray();
        for (int j = 0; j < L.Inputs; j++) w[j] = -w[j];
        bias[0] = -bias[0];
        var next = a.Layers[1];
        var wn = next.Weights.ToArray();
        for (int o = 0; o < next.Outputs; o++) wn[o * next.Inputs] = -wn[o * next.Inputs];
        var flipped = a.WithLayers([L.With(w, bias), next.With(wn)]);
        Assert.That(ExactAligner.Align(a, flipped), Is.Null);
    }

    [Test]
    public void DifferentActivationsAreDifferentArchitectures()
    {
        var a = EquivFixtures.Random(4, 2, 4, 1);
        var b = a.WithLayers([a.Layers[0].With(activation: Activation.Leaky(0.1)), a.Layers[1]]);
        Assert.That(ExactAligner.SameArchitecture(a, b), Is.False);
        Assert.That(ExactAligner.Align(a, b), Is.Null);
    }
}
