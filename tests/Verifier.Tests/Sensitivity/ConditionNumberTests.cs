using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Sensitivity;
using Verify.Specs;

namespace Verify.Tests.Sensitivity;

/// <summary>
/// The network is affine on the activation region of x, so an exact rational finite difference with a step that
/// stays in the region equals the Jacobian exactly; the double Jacobian and the closed-form parameter norms must
/// agree with it up to rounding.
/// </summary>
public class ConditionNumberTests
{
    private static readonly Network Net = TestNetworks.Relu([3, 5, 4, 2], seed: 11);
    private static readonly double[] X = [0.375, -0.625, 0.8125];

    private static bool[] Pattern(Network net, Rational[] x)
    {
        var pattern = new List<bool>();
        var h = x;
        foreach (var layer in net.Layers)
        {
            var z = new Rational[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                Rational s = Rational.FromDouble(layer.B(i));
                for (int j = 0; j < layer.Inputs; j++) s += Rational.FromDouble(layer.W(i, j)) * h[j];
                pattern.Add(s.Sign > 0);
                z[i] = layer.Activation.Apply(s);
            }
            h = z;
        }
        return pattern.ToArray();
    }

    /// <summary>Column of the exact Jacobian: (f(θ', x') − f(θ, x))/step, checking the region did not change.</summary>
    private static double[] ExactColumn(Network net0, Network net1, Rational[] x0, Rational[] x1, Rational step)
    {
        Assert.That(Pattern(net1, x1), Is.EqualTo(Pattern(net0, x0)), "finite-difference step left the activation region");
        var y0 = net0.EvaluateExact(x0); var y1 = net1.EvaluateExact(x1);
        return y0.Select((v, k) => ((y1[k] - v) / step).ToDouble()).ToArray();
    }

    [Test]
    public void InputConditionNumbersMatchExactFiniteDifferences()
    {
        var lin = LocalLinearization.At(Net, X);
        var x0 = X.Select(Rational.FromDouble).ToArray();
        var step = Rational.FromDouble(Math.Pow(2, -30));
        int p = Net.OutputSize, n = Net.InputSize;
        var fd = new double[p * n];
        for (int j = 0; j < n; j++)
        {
            var x1 = (Rational[])x0.Clone();
            x1[j] += step;
            var col = ExactColumn(Net, Net, x0, x1, step);
            for (int k = 0; k < p; k++) fd[k * n + j] = col[k];
        }
        var jac = lin.InputJacobian();
        for (int i = 0; i < fd.Length; i++) Assert.That(jac[i], Is.EqualTo(fd[i]).Within(1e-12 * (1 + Math.Abs(fd[i]))));
        var cond = ConditionNumberAnalysis.At(lin, NoiseSpec.OneLayer(1, MatrixNorm.Frobenius, 0.1));
        Assert.That(cond.OnRegionBoundary, Is.False);
        Assert.That(cond.InputAbsolute.Inf, Is.EqualTo(OperatorNorms.Inf(fd, p, n)).Within(1e-10).Percent);
        Assert.That(cond.InputAbsolute.L2, Is.EqualTo(OperatorNorms.Two(fd, p, n)).Within(1e-9).Percent);
        var y = Net.Evaluate(X);
        Assert.That(cond.InputRelative.L2, Is.EqualTo(cond.InputAbsolute.L2 * TestNetworks.Norm2(X) / TestNetworks.Norm2(y)).Within(1e-12).Percent);
        Assert.That(Net.Evaluate(X).Max(Math.Abs), Is.GreaterThan(0));
    }

    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(2, true)]
    public void ParameterConditionNumbersMatchExactFiniteDifferences(int layer, bool withBiases)
    {
        var noise = withBiases
            ? new NoiseSpec(NoiseKind.Absolute, [layer], MatrixNorm.Frobenius, 0, 0.01, NoiseDistribution.UniformBox)
            : NoiseSpec.OneLayer(layer, MatrixNorm.Frobenius, 0.1);
        var x0 = X.Select(Rational.FromDouble).ToArray();
        var theta = Net.Flatten();
        int offset = Net.Layers.Take(layer).Sum(l => l.ParameterCount);
        var L = Net.Layers[layer];
        int count = L.Weights.Length + (withBiases ? L.Outputs : 0);
        int p = Net.OutputSize;
        var fd = new double[p * count];
        double h = Math.Pow(2, -30);
        double thetaInf = 0, thetaSq = 0;
        for (int c = 0; c < count; c++)
        {
            var t1 = (double[])theta.Clone();
            t1[offset + c] += h; // exact: the weights are dyadic with few bits
            var step = Rational.FromDouble(t1[offset + c]) - Rational.FromDouble(theta[offset + c]);
            var col = ExactColumn(Net, Net.WithParameters(t1), x0, x0, step);
            for (int k = 0; k < p; k++) fd[k * count + c] = col[k];
            thetaInf = Math.Max(thetaInf, Math.Abs(theta[offset + c])); thetaSq += theta[offset + c] * theta[offset + c];
        }
        var cond = ConditionNumberAnalysis.At(LocalLinearization.At(Net, X), noise);
        Assert.That(cond.ParameterAbsolute.Inf, Is.EqualTo(OperatorNorms.Inf(fd, p, count)).Within(1e-10).Percent);
        Assert.That(cond.ParameterAbsolute.L2, Is.EqualTo(OperatorNorms.Two(fd, p, count)).Within(1e-9).Percent);
        var y = Net.Evaluate(X);
        Assert.That(cond.ParameterRelative.Inf, Is.EqualTo(OperatorNorms.Inf(fd, p, count) * thetaInf / y.Max(Math.Abs)).Within(1e-9).Percent);
        Assert.That(cond.ParameterRelative.L2, Is.EqualTo(OperatorNorms.Two(fd, p, count) * Math.Sqrt(thetaSq) / TestNetworks.Norm2(y)).Within(1e-9).Percent);
    }

    [Test]
    public void ReportsAPointOnARegionBoundary()
    {
        // Hidden neuron 0: z = x₀ − x₁, exactly 0 at x₀ = x₁.
        var net = new Network([
            DenseLayer.FromRows([[1.0, -1.0], [0.5, 0.5]], [0.0, 0.25], Activation.Relu),
            DenseLayer.FromRows([[1.0, 2.0]], [0.0], Activation.Identity)]);
        var onIt = ConditionNumberAnalysis.At(LocalLinearization.At(net, [0.3, 0.3]), NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.1));
        Assert.That(onIt.BoundaryNeurons, Is.EqualTo(new[] { (1, 0) }));
        var off = ConditionNumberAnalysis.At(LocalLinearization.At(net, [0.3, 0.2]), NoiseSpec.OneLayer(0, MatrixNorm.Frobenius, 0.1));
        Assert.That(off.OnRegionBoundary, Is.False);
    }

    [Test]
    public void JacobiEigenvalueAndOperatorNormsOnKnownMatrices()
    {
        // [[2,1],[1,2]] has eigenvalues 3 and 1.
        Assert.That(OperatorNorms.LargestEigenvalue([2, 1, 1, 2], 2), Is.EqualTo(3).Within(1e-14));
        // diag(3, −4, 1) as a 3×3: ‖·‖₂ = 4, ‖·‖∞ = 4; a 1×3 row vector: ‖·‖₂ = Euclidean norm, ‖·‖∞ = ℓ1 norm.
        Assert.That(OperatorNorms.Two([3, 0, 0, 0, -4, 0, 0, 0, 1], 3, 3), Is.EqualTo(4).Within(1e-14));
        Assert.That(OperatorNorms.Two([1, -2, 2], 1, 3), Is.EqualTo(3).Within(1e-14));
        Assert.That(OperatorNorms.Inf([1, -2, 2], 1, 3), Is.EqualTo(5));
        Assert.That(OperatorNorms.Two([1, -2, 2], 3, 1), Is.EqualTo(3).Within(1e-14));
    }
}
