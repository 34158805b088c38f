using Verify.Model;
using Verify.Symmetry;

namespace Verify.Tests.Symmetry;

public class ComplexityAnalysisTests
{
    [Test]
    public void PermutationDiscountOf128ReluNeuronsIsAbout10To215()
    {
        Assert.That(ComplexityAnalysis.LogFactorial(128) / Math.Log(10), Is.EqualTo(215.5862).Within(1e-3));
        var net = RandomNets.Create(new Random(1), 4, 128, 1);
        var r = ComplexityAnalysis.Compute(net, 1, 0.1);
        Assert.That(r.PermutationDiscount / Math.Log(10), Is.EqualTo(215.586).Within(1e-3));
    }

    [Test]
    public void LogFactorialAgreesWithDirectSums()
    {
        foreach (int n in new[] { 0, 1, 5, 63, 64, 65, 200 })
        {
            double s = 0;
            for (int k = 2; k <= n; k++) s += Math.Log(k);
            Assert.That(ComplexityAnalysis.LogFactorial(n), Is.EqualTo(s).Within(1e-9 * Math.Max(1, s)));
        }
    }

    [Test]
    public void HandCheckableNetwork()
    {
        // 2-3-1: S = 3·2+3 + 1·3+1 = 13, U = 3, L = 2, B = 4; neurons 0 and 2 are positive multiples, so 2 distinct.
        var net = new Network([
            DenseLayer.FromRows([[1.0, -2.0], [0.5, 0.5], [2.0, -4.0]], [1.0, 0.0, 2.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, -1.0, 3.0]], [0.25], Activation.Identity)]);
        var r = ComplexityAnalysis.Compute(net, inputRadius: 1, epsilon: 0.5);
        Assert.That((r.Parameters, r.HiddenNeurons, r.Depth, r.MaxWidth), Is.EqualTo((13, 3, 2, 3)));
        Assert.That(r.DistinctNeurons, Is.EqualTo(new[] { 2 }));
        Assert.That(r.MaxAbsParameter, Is.EqualTo(4));
        // 13·ln(4·3·2·8^4·(2·3·1)/0.5) and ln 3! = ln 6.
        double expected = 13 * Math.Log(4.0 * 3 * 2 * Math.Pow(8, 4) * 6 / 0.5);
        Assert.That(r.LogCovering, Is.EqualTo(expected).Within(1e-9));
        Assert.That(r.PermutationDiscount, Is.EqualTo(Math.Log(6)).Within(1e-12));
        Assert.That(r.LogCoveringModuloPermutation, Is.EqualTo(expected - Math.Log(6)).Within(1e-9));
    }

    [Test]
    public void NegativeMultiplesAreDistinct()
    {
        var layer = DenseLayer.FromRows([[1.0, 2.0], [-1.0, -2.0], [3.0, 6.0], [0.0, 0.0], [0.0, 0.0]], [0.5, -0.5, 1.5, 0, 0], Activation.Relu);
        Assert.That(ComplexityAnalysis.CountDistinctNeurons(layer), Is.EqualTo(3));
    }
}
