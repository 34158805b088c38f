using Verify.Intervals;
using Verify.Model;
using Verify.Symmetry;

namespace Verify.Tests.Symmetry;

public class CanonicalizerTests
{
    private static readonly CanonicalScaling[] Forms = [CanonicalScaling.Balanced, CanonicalScaling.UnitIncoming];

    [TestCaseSource(nameof(Forms))]
    public void ExactCanonOfPowerOfTwoCopiesIsBitIdentical(CanonicalScaling form)
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var net = RandomNets.Create(rng, 5, 7, 6, 3);
            var copy = RandomNets.PermutedScaledCopy(rng, net, pow2: true);
            var opts = new CanonOptions(form, ExactScaling: true);
            var c1 = Canonicalizer.Canonicalize(net, opts).Network.Flatten();
            var c2 = Canonicalizer.Canonicalize(copy, opts).Network.Flatten();
            Assert.That(c2.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(c1.Select(BitConverter.DoubleToInt64Bits)), $"trial {trial}");
            Assert.That(net.Flatten(), Is.Not.EqualTo(copy.Flatten()));
        }
    }

    [TestCaseSource(nameof(Forms))]
    public void RealCanonOfRescaledCopiesAgreesUpToRounding(CanonicalScaling form)
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 20; trial++)
        {
            var net = RandomNets.Create(rng, 4, 6, 5, 2);
            var copy = RandomNets.PermutedScaledCopy(rng, net, pow2: false);
            var opts = new CanonOptions(form, ExactScaling: false);
            var c1 = Canonicalizer.Canonicalize(net, opts).Network;
            var c2 = Canonicalizer.Canonicalize(copy, opts).Network;
            Assert.That(ParameterVectors.LInf(c1, c2), Is.LessThan(1e-12), $"trial {trial}");
        }
    }

    [Test]
    public void ExactCanonPreservesTheFunctionExactly()
    {
        var rng = new Random(13);
        var net = RandomNets.Create(rng, Activation.Leaky(0.125), 3, 5, 4, 2);
        var canon = Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.Balanced, true)).Network;
        for (int t = 0; t < 10; t++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => Rational.FromDouble(rng.NextDouble() * 4 - 2)).ToArray();
            Assert.That(canon.EvaluateExact(x), Is.EqualTo(net.EvaluateExact(x)));
        }
    }

    [Test]
    public void FormsHaveTheirDefiningNormsAndOrder()
    {
        var rng = new Random(14);
        var net = RandomNets.Create(rng, 4, 6, 5, 2);
        var unit = new EditableNetwork(Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.UnitIncoming, false)).Network);
        var unit2 = new EditableNetwork(Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.UnitIncoming, true)).Network);
        var bal = new EditableNetwork(Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.Balanced, false)).Network);
        var bal2 = new EditableNetwork(Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.Balanced, true)).Network);
        for (int i = 0; i < 5; i++)
        {
            // The last hidden layer is balanced exactly: its outgoing weights go to the (unscaled) outputs.
            Assert.That(bal.IncomingNorm(1, i) / bal.OutgoingNorm(1, i), Is.EqualTo(1).Within(1e-9));
            double r = bal2.IncomingNorm(1, i) / bal2.OutgoingNorm(1, i);
            Assert.That(r, Is.GreaterThanOrEqualTo(1).And.LessThan(4));
        }
        for (int l = 0; l < 2; l++)
            for (int i = 0; i < unit.Width(l); i++)
            {
                Assert.That(unit.IncomingNorm(l, i), Is.EqualTo(1).Within(1e-15));
                Assert.That(unit2.IncomingNorm(l, i), Is.GreaterThanOrEqualTo(1).And.LessThan(2));
                if (i > 0) Assert.That(unit.B[l][i - 1], Is.GreaterThanOrEqualTo(unit.B[l][i]), "bias descending");
            }
    }

    [Test]
    public void NullNeuronsGetZeroOutgoingWeights()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0, 2.0], [0.0, 0.0]], [0.5, 0.0], Activation.Relu),
            DenseLayer.FromRows([[3.0, 7.0]], [0.0], Activation.Identity)]);
        var r = Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.Balanced, true));
        Assert.That(r.NullNeurons, Is.EqualTo(1));
        Assert.That(r.Network.Layers[1].Weights.ToArray(), Does.Contain(0.0));
        Assert.That(r.Network.Layers[1].Weights.ToArray(), Does.Not.Contain(7.0));
    }

    [Test]
    public void BalanceExponentIsInvariantUnderPowerOfTwoShifts()
    {
        var rng = new Random(15);
        for (int t = 0; t < 1000; t++)
        {
            double a = Math.Exp(rng.NextDouble() * 20 - 10), o = Math.Exp(rng.NextDouble() * 20 - 10);
            int k = PowerOfTwo.BalanceExponent(a, o);
            double ra = Math.ScaleB(a, k) / Math.ScaleB(o, -k);
            Assert.That(ra, Is.GreaterThanOrEqualTo(1).And.LessThan(4));
            int j = rng.Next(-20, 21);
            Assert.That(PowerOfTwo.BalanceExponent(Math.ScaleB(a, j), Math.ScaleB(o, -j)), Is.EqualTo(k - j));
        }
    }

    [Test]
    public void ExactScalingRefusesUnderflow()
    {
        var net = new Network([
            DenseLayer.FromRows([[1e-300, 1.0]], [0.0], Activation.Relu),
            DenseLayer.FromRows([[1e-300]], [0.0], Activation.Identity)]);
        Assert.Throws<Verify.Errors.ModelException>(() =>
            Canonicalizer.Canonicalize(net, new CanonOptions(CanonicalScaling.Balanced, true)));
    }
}
