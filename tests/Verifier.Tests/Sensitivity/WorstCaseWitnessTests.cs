using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Sensitivity;
using Verify.Specs;

namespace Verify.Tests.Sensitivity;

/// <summary>A sweep's witness line lies between the sampled maximum and the certified bound, for norm balls at a fixed x.</summary>
public class WorstCaseWitnessTests
{
    private static readonly Network Net = TestNetworks.Relu([4, 16, 16, 3], seed: 21);
    private static readonly double[] X = [0.5, -0.25, 0.75, 0.125];

    [TestCase(MatrixNorm.Frobenius)]
    [TestCase(MatrixNorm.Spectral)]
    public void TheWitnessLineLiesBetweenTheSampledMaximumAndTheCertifiedBound(MatrixNorm norm)
    {
        var rows = RatioSweep.Run(Net, NoiseSpec.OneLayer(1, norm, 0.01), [X], null, [1e-3, 1e-2],
            new SensitivityOptions { Samples = norm == MatrixNorm.Spectral ? 400 : 4000, FirstOrderSamples = 200 });
        foreach (var row in rows)
        {
            Assert.That(row.WitnessLowerInf, Is.Not.Null);
            Assert.That(row.CertifiedUpperInf, Is.Not.Null);
            Assert.That(row.WitnessLowerInf!.Value, Is.LessThanOrEqualTo(row.CertifiedUpperInf!.Value), $"ratio {row.Level}");
            Assert.That(row.WitnessLowerInf.Value, Is.GreaterThanOrEqualTo(row.MaxInf), $"ratio {row.Level}: the attack beats random noise");
        }
        // At a small ratio the dual-norm bound is within a few percent of the rank-one witness.
        Assert.That(rows[0].CertifiedUpperInf!.Value, Is.LessThanOrEqualTo(1.1 * rows[0].WitnessLowerInf!.Value));
    }

    [Test]
    public void SeveralNormNoisedMatricesHaveNoWitness()
    {
        var spec = NoiseSpec.OneLayer(1, MatrixNorm.Frobenius, 0.01) with { Layers = [0, 1] };
        Assert.That(WorstCaseWitness.Lower(Net, Box.FromBounds(X, X), spec, 1), Is.Null);
    }
}
