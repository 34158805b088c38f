using Verify.Equivalence;
using Verify.Intervals;

namespace Verify.Tests.Equivalence;

public class ParameterDifferenceTests
{
    [Test]
    public void EnclosesTheExactDifferenceAndIsAPointWhenExact()
    {
        var a = EquivFixtures.Random(1, 3, 5, 2);
        var b = EquivFixtures.Jitter(a, 1e-3, 2);
        var t = a.Flatten(); var u = b.Flatten();
        // one far-apart pair whose double difference is inexact
        t[0] = 1e-30; u[0] = 1.0;
        a = a.WithParameters(t); b = b.WithParameters(u);
        var box = ParameterDifference.Of(a, b);
        var lo = box.Layers.SelectMany(l => l.WeightLo.Concat(l.BiasLo)).ToArray();
        var hi = box.Layers.SelectMany(l => l.WeightHi.Concat(l.BiasHi)).ToArray();
        // Flatten order is W then b per layer, like the box layout above.
        for (int k = 0; k < t.Length; k++)
        {
            var d = Rational.FromDouble(u[k]) - Rational.FromDouble(t[k]);
            Assert.That(Rational.FromDouble(lo[k]) <= d && d <= Rational.FromDouble(hi[k]), Is.True, $"parameter {k}");
        }
        Assert.That(lo[0], Is.LessThan(hi[0]));               // 1 − 1e-30 is not a double
        Assert.That(lo[1], Is.EqualTo(hi[1]));                // close values: Sterbenz, exact
        Assert.That(box.Admits(a, b), Is.True);
    }
}
