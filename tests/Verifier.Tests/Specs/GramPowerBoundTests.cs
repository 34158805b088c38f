using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Specs;

/// <summary>The Gram-power bound is above the exact lower bound of ‖W‖₂ (Rayleigh quotient) and within 1 % of it.</summary>
public class GramPowerBoundTests
{
    private static DenseLayer Layer(int outputs, int inputs, Func<int, double> w) =>
        new(outputs, inputs, Enumerable.Range(0, outputs * inputs).Select(w).ToArray(), new double[outputs], Activation.Relu);

    [TestCase(5, 5)]
    [TestCase(3, 9)]
    [TestCase(12, 4)]
    [TestCase(50, 50)]
    [TestCase(1, 7)]
    public void RandomMatricesAreBoundedTightly(int outputs, int inputs)
    {
        var rng = new Random(outputs * 31 + inputs);
        for (int t = 0; t < 5; t++)
        {
            double scale = Math.Pow(2, rng.Next(-30, 30));
            var w = Layer(outputs, inputs, _ => (2 * rng.NextDouble() - 1) * scale);
            double upper = GramPowerBound.Upper(w);
            var lowerSq = NormBall.NormSquaredLowerExact(w, MatrixNorm.Spectral);
            Assert.That(Rational.FromDouble(upper) * Rational.FromDouble(upper) >= lowerSq, Is.True, "below a certified lower bound");
            double lower = Math.Sqrt(lowerSq.ToDouble());
            Assert.That(upper, Is.LessThanOrEqualTo(lower * 1.01), $"{outputs}×{inputs}");
            Assert.That(SpectralNorm.SpectralUpper(w), Is.LessThanOrEqualTo(upper));
        }
    }

    [Test]
    public void ADiagonalMatrixGivesItsLargestEntry()
    {
        // Singular values 3, 2, 1 (two of them close to the top would loosen only the (2p)-th root of √2).
        var w = Layer(3, 3, k => k == 0 ? 3 : k == 4 ? -2 : k == 8 ? 1 : 0);
        double upper = GramPowerBound.Upper(w);
        Assert.That(upper, Is.GreaterThanOrEqualTo(3).And.LessThanOrEqualTo(3 * 1.000001));
        Assert.That(GramPowerBound.Upper(Layer(2, 2, _ => 0)), Is.EqualTo(0));
    }

    [Test]
    public void EqualSingularValuesStayWithinTheRankFactor()
    {
        // An orthogonal matrix times 4: every singular value is 4, the worst case rank^(1/(4p)).
        var w = Layer(2, 2, k => k switch { 0 => 4 * 0.6, 1 => 4 * 0.8, 2 => -4 * 0.8, _ => 4 * 0.6 });
        double upper = GramPowerBound.Upper(w);
        Assert.That(upper, Is.GreaterThanOrEqualTo(4 * (1 - 1e-12)).And.LessThanOrEqualTo(4 * Math.Pow(2, 1.0 / (4 << GramPowerBound.Squarings)) * 1.0001));
    }
}
