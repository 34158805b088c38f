using Verify.Intervals;
using Verify.Model;

namespace Verify.Tests.Model;

/// <summary>
/// Every activation operator keeps its rules consistent with its own definition: double and exact evaluation, the
/// derivative, the kink shape, the interval image and its part of the joint interval pass all describe the same σ.
/// </summary>
public class ActivationOperatorTests
{
    private static readonly Activation[] All =
        [Activation.Relu, Activation.Identity, Activation.Leaky(0.0), Activation.Leaky(0.1), Activation.Leaky(1.5)];

    private static IEnumerable<Activation> Cases() => All;

    private static readonly double[] Points = [-3.5, -1, -0.25, -1e-300, 0, 1e-300, 0.125, 1, 7.75];

    [Test]
    public void EveryKindHasAnOperator()
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
            Assert.That(new Activation(kind, 0.5).Operator, Is.Not.Null, kind.ToString());
    }

    [TestCaseSource(nameof(Cases))]
    public void DoubleExactAndKinkEvaluationAgree(Activation a)
    {
        var op = a.Operator;
        foreach (double z in Points)
        {
            var exact = op.Apply(Rational.FromDouble(z));
            Assert.That(op.Apply(z), Is.EqualTo(exact.ToDouble()), $"{a}({z:R})");
            Assert.That(op.Kink.Eval(z), Is.EqualTo(op.Apply(z)), $"{a} kink at {z:R}");
            Assert.That(a.Apply(z), Is.EqualTo(op.Apply(z)));
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void DerivativeIsTheSlopeOfTheLocalPiece(Activation a)
    {
        var op = a.Operator;
        foreach (double z in new[] { -2.0, -0.5, 0.5, 3.0 })
        {
            double h = 1e-3, fd = (op.Apply(z + h) - op.Apply(z - h)) / (2 * h);
            Assert.That(op.Derivative(z), Is.EqualTo(fd).Within(1e-12), $"{a}'({z})");
        }
        Assert.That(op.Derivative(0), Is.EqualTo(op.Kink.N), "the negative piece's slope at the kink");
        Assert.That(op.IsIdentity, Is.EqualTo(op.Kink.P == op.Kink.N));
    }

    [TestCaseSource(nameof(Cases))]
    public void IntervalImageEnclosesEveryPointAndIsExactAtDyadicEndpoints(Activation a)
    {
        var op = a.Operator;
        foreach (double lo in Points)
            foreach (double hi in Points)
            {
                if (lo > hi) continue;
                var img = op.Image(new Interval(lo, hi));
                foreach (double z in Points)
                    if (lo <= z && z <= hi) Assert.That(img.Contains(op.Apply(z)), $"{a}([{lo}, {hi}]) = {img} misses σ({z:R})");
                // σ is monotone: the image is [σ(lo), σ(hi)] up to outward rounding.
                Assert.That(img.Lo, Is.LessThanOrEqualTo(op.Apply(lo)));
                Assert.That(img.Hi, Is.GreaterThanOrEqualTo(op.Apply(hi)));
            }
        var unbounded = op.Image(Interval.Entire);
        Assert.That(unbounded.Contains(op.Apply(-1e300)) && unbounded.Contains(op.Apply(1e300)));
        Assert.That(op.Image(new Interval(-2, 4)), Is.EqualTo(op.Kink.Range(-2, 4)), "dyadic endpoints: both exact");
    }

    [TestCaseSource(nameof(Cases))]
    public void JointDifferenceEnclosesEverySampledDifference(Activation a)
    {
        var op = a.Operator;
        var rng = new Random(15);
        for (int trial = 0; trial < 400; trial++)
        {
            double zl = rng.NextDouble() * 4 - 2, zh = zl + rng.NextDouble() * 2;
            double dl = rng.NextDouble() * 2 - 1, dh = dl + rng.NextDouble();
            double pl = Math.Min(zl + dl, zh + dh) - rng.NextDouble() * 0.1, ph = zh + dh;
            var e = new JointEnclosure(zl, zh, dl, dh, pl, ph);
            var h = op.Kink.Range(zl, zh);
            var hp = op.Kink.Range(pl, ph);
            var diff = op.DifferenceImage(e, h, hp);
            for (int s = 0; s < 20; s++)
            {
                double z = zl + rng.NextDouble() * (zh - zl), d = dl + rng.NextDouble() * (dh - dl);
                double zp = z + d;
                if (zp < pl || zp > ph) continue;
                var exact = op.Apply(Rational.FromDouble(zp)) - op.Apply(Rational.FromDouble(z));
                // z' = fl(z + d): the pair's exact Δz is z' − z, which must lie in [dl, dh] for e to enclose it.
                var dz = Rational.FromDouble(zp) - Rational.FromDouble(z);
                if (dz < Rational.FromDouble(dl) || dz > Rational.FromDouble(dh)) continue;
                Assert.That(Rational.FromDouble(diff.Lo) <= exact && exact <= Rational.FromDouble(diff.Hi),
                    $"{a}: Δh = σ({zp:R}) − σ({z:R}) outside {diff} for {e}");
            }
        }
    }

    [Test]
    public void ActivationsCompareByKindAndSlope()
    {
        Assert.That(Activation.Leaky(0.1), Is.EqualTo(new Activation(ActivationKind.LeakyRelu, 0.1)));
        Assert.That(Activation.Leaky(0.1), Is.Not.EqualTo(Activation.Leaky(0.2)));
        Assert.That(default(Activation), Is.EqualTo(Activation.Relu));
        Assert.That(default(Activation).Operator, Is.SameAs(ReluOperator.Instance));
        Assert.That(Activation.Leaky(0.1).Name, Is.EqualTo("leaky_relu"));
        Assert.That(Activation.Leaky(0.1).ToString(), Is.EqualTo("leaky_relu(0.1)"));
        Assert.That(Activation.Identity.IsPiecewiseLinearWithKink, Is.False);
        Assert.That(Activation.Relu.IsPiecewiseLinearWithKink, Is.True);
    }
}
