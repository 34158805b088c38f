using Verify.Results;
using Verify.Sensitivity;

namespace Verify.Tests.Sensitivity;

public class RngTests
{
    [Test]
    public void NormalsHaveUnitVarianceAndNormalTails()
    {
        var rng = new Rng(42);
        const int n = 400_000;
        double s = 0, s2 = 0, s4 = 0; int beyond2 = 0;
        for (int i = 0; i < n; i++)
        {
            double z = rng.NextNormal();
            s += z; s2 += z * z; s4 += z * z * z * z;
            if (Math.Abs(z) > 2) beyond2++;
        }
        Assert.That(s / n, Is.EqualTo(0).Within(0.01));
        Assert.That(s2 / n, Is.EqualTo(1).Within(0.01));
        Assert.That(s4 / n, Is.EqualTo(3).Within(0.06));
        Assert.That(beyond2 / (double)n, Is.EqualTo(0.0455).Within(0.002));
    }

    [Test]
    public void ChiSquareHasMeanAndVarianceOfItsDegreesOfFreedom()
    {
        var rng = new Rng(7);
        foreach (long k in new long[] { 1, 3, 245 })
        {
            const int n = 100_000;
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) { double c = rng.NextChiSquare(k); s += c; s2 += c * c; }
            double mean = s / n, variance = s2 / n - mean * mean;
            Assert.That(mean, Is.EqualTo((double)k).Within(0.02 * k + 0.02), $"k = {k}");
            Assert.That(variance, Is.EqualTo(2.0 * k).Within(0.1 * k), $"k = {k}");
        }
    }

    [Test]
    public void StreamsAreReproducibleAndDistinct()
    {
        var a = new Rng(1, 2, 3); var b = new Rng(1, 2, 3); var c = new Rng(1, 2, 4);
        ulong x = a.NextUInt64();
        Assert.That(b.NextUInt64(), Is.EqualTo(x));
        Assert.That(c.NextUInt64(), Is.Not.EqualTo(x));
    }
}
