using Verify.Model;
using Verify.Results;
using Verify.Sensitivity;
using Verify.Specs;

namespace Verify.Tests.Sensitivity;

/// <summary>
/// Closed-form checks on a linear network f(x) = W x + b: noise η on W moves the output by exactly η x.
/// Gaussian η with iid N(0, σ²) entries: Δf ~ N(0, σ²‖x‖² I), so E|Δf| = σ‖x‖√(2/π) for one output and
/// E‖Δf‖₂ = σ‖x‖·√2·Γ((p+1)/2)/Γ(p/2) for p outputs.
/// </summary>
public class LinearNoiseTests
{
    private static readonly SensitivityOptions Fast = new() { Samples = 400, FirstOrderSamples = 2000, CertifyTimeout = null };

    private static double Sigma(Network net, double ratio)
    {
        var w = net.Layers[0];
        return ratio * NoiseGenerators.MatrixNormOf(w, MatrixNorm.Frobenius) * (1 - 1e-12) / Math.Sqrt(w.Outputs * w.Inputs);
    }

    [Test]
    public void NormalIntervalCoversExactMeanAtAboutTheStatedRate()
    {
        var net = TestNetworks.Linear(1, 4, seed: 3);
        double[] x = [0.5, -1.25, 2.0, 0.75];
        var spec = NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.1, NoiseDistribution.Gaussian);
        double exact = Sigma(net, 0.1) * TestNetworks.Norm2(x) * Math.Sqrt(2 / Math.PI);
        int covered = 0;
        for (int run = 0; run < 100; run++)
        {
            var r = SensitivityAnalysis.Run(net, spec, [x], null, Fast with { Seed = (ulong)(1000 + run) });
            if (r.Inf.Normal.Lo <= exact && exact <= r.Inf.Normal.Hi) covered++;
        }
        // Nominal 95%; with 100 runs, fewer than 90 hits has probability < 1% under correct coverage.
        Assert.That(covered, Is.GreaterThanOrEqualTo(90));
        Assert.That(covered, Is.LessThan(100), "an interval that always covers is suspiciously wide");
    }

    [Test]
    public void TwoNormMeanMatchesChiDistributionForSeveralOutputs()
    {
        var net = TestNetworks.Linear(3, 5, seed: 4);
        double[] x = [1, 0.5, -0.25, 2, -1];
        var spec = NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.05, NoiseDistribution.Gaussian);
        double chiMean = Math.Sqrt(2) * Math.Exp(SampleStatistics.LogGamma(2) - SampleStatistics.LogGamma(1.5));
        double exact = Sigma(net, 0.05) * TestNetworks.Norm2(x) * chiMean;
        var r = SensitivityAnalysis.Run(net, spec, [x], null, Fast with { Samples = 200_000 });
        Assert.That(exact, Is.InRange(r.L2.Normal.Lo, r.L2.Normal.Hi));
        Assert.That(r.L2.Mean, Is.EqualTo(exact).Within(1).Percent);
    }

    [Test]
    public void UniformSphereShortcutHasTheSphereMarginal()
    {
        // One output, n inputs: η x = r‖x‖·u₁ with u uniform on S^{n−1}; E|u₁| = Γ(n/2)/(√π Γ((n+1)/2)).
        int n = 6;
        var net = TestNetworks.Linear(1, n, seed: 5);
        double[] x = [1, -2, 0.5, 0.25, 1.5, -1];
        var spec = NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.2);
        double radius = 0.2 * NoiseGenerators.MatrixNormOf(net.Layers[0], MatrixNorm.Frobenius) * (1 - 1e-12);
        double eAbsU1 = Math.Exp(SampleStatistics.LogGamma(n / 2.0) - SampleStatistics.LogGamma((n + 1) / 2.0)) / Math.Sqrt(Math.PI);
        double exact = radius * TestNetworks.Norm2(x) * eAbsU1;
        var r = SensitivityAnalysis.Run(net, spec, [x], null, Fast with { Samples = 200_000 });
        Assert.That(exact, Is.InRange(r.Inf.Normal.Lo, r.Inf.Normal.Hi));
        // ‖η x‖ ≤ ‖η‖_F ‖x‖ = r‖x‖ on the sphere, and the maximum gets close to it only rarely.
        Assert.That(r.Inf.Max, Is.LessThanOrEqualTo(radius * TestNetworks.Norm2(x)));
        Assert.That(r.Inf.DistributionFree, Is.Not.Null);
        Assert.That(exact, Is.InRange(r.Inf.DistributionFree!.Lo, r.Inf.DistributionFree.Hi));
    }

    [Test]
    public void FirstOrderPredictionIsExactForALinearNetwork()
    {
        var net = TestNetworks.Linear(1, 4, seed: 6);
        double[] x = [0.5, -1.25, 2.0, 0.75];
        var spec = NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.1, NoiseDistribution.Gaussian);
        double sigma = Sigma(net, 0.1), xn = TestNetworks.Norm2(x);
        var r = SensitivityAnalysis.Run(net, spec, [x], null, Fast with { FirstOrderSamples = 200_000 });
        Assert.That(r.FirstOrder.RmsL2, Is.EqualTo(sigma * xn).Within(1e-12).Percent);
        Assert.That(r.FirstOrder.Inf, Is.EqualTo(sigma * xn * Math.Sqrt(2 / Math.PI)).Within(1).Percent);
    }

    [Test]
    public void UniformBoxNoiseMatchesItsVariance()
    {
        // Δf = Σ_j η_j x_j + η_b with η uniform in [−ε, ε]: E(Δf)² = ε²/3 (‖x‖² + 1).
        var net = TestNetworks.Linear(1, 3, seed: 7);
        double[] x = [1, -0.5, 2];
        var spec = new NoiseSpec(NoiseKind.Absolute, [0], MatrixNorm.Frobenius, 0, 0.01, NoiseDistribution.UniformBox);
        var r = SensitivityAnalysis.Run(net, spec, [x], null, Fast with { Samples = 100_000 });
        double rms = 0.01 * Math.Sqrt((x.Sum(v => v * v) + 1) / 3);
        double meanSquare = r.L2.StdDev * r.L2.StdDev + r.L2.Mean * r.L2.Mean;
        Assert.That(Math.Sqrt(meanSquare), Is.EqualTo(rms).Within(1).Percent);
        Assert.That(r.FirstOrder.RmsL2, Is.EqualTo(rms).Within(1e-9).Percent);
        Assert.That(r.Inf.Max, Is.LessThanOrEqualTo(0.01 * (x.Sum(Math.Abs) + 1)));
    }
}
