using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Adversarial perturbed networks for class margins: from (x, θ), the corner of the admissible δ-box that maximises the
/// linearisation of y'_r − y'_c (each weight at hi where ∂/∂w &gt; 0, at lo where &lt; 0), iterated a few times from the
/// perturbed network. Evaluated exactly, such a network is the hardest test a margin bound gets from sampling.
/// </summary>
internal static class MarginOracle
{
    public static Network GradientCorner(Network net, ParameterBox delta, double[] x, int cls, int rival, int iterations = 3)
    {
        var current = net;
        for (int it = 0; it < iterations; it++)
        {
            var (zs, hs) = Forward(current, x);
            var layers = new DenseLayer[net.Depth];
            var g = new double[net.OutputSize];
            g[rival] = 1; g[cls] = -1;
            for (int l = net.Depth - 1; l >= 0; l--)
            {
                var L = current.Layers[l]; var nominal = net.Layers[l]; var inner = delta.Inner[l];
                var gz = new double[L.Outputs];
                for (int i = 0; i < gz.Length; i++) gz[i] = g[i] * L.Activation.Operator.Derivative(zs[l][i]);
                var w = nominal.Weights.ToArray(); var b = nominal.Bias.ToArray();
                for (int i = 0; i < L.Outputs; i++)
                {
                    b[i] = Pick(b[i], gz[i], inner.BiasLo[i], inner.BiasHi[i]);
                    for (int k = 0; k < L.Inputs; k++)
                        w[i * L.Inputs + k] = Pick(w[i * L.Inputs + k], gz[i] * hs[l][k], inner.WeightLo[i * L.Inputs + k], inner.WeightHi[i * L.Inputs + k]);
                }
                var prev = new double[L.Inputs];
                for (int i = 0; i < L.Outputs; i++)
                    for (int k = 0; k < L.Inputs; k++) prev[k] += gz[i] * L.W(i, k);
                g = prev;
                layers[l] = nominal.With(w, b);
            }
            current = net.WithLayers(layers);
        }
        return current;
    }

    /// <summary>θ + lo or θ + hi by the sign of the gradient, rounded so that the exact difference stays in [lo, hi].</summary>
    private static double Pick(double theta, double grad, double lo, double hi) =>
        grad == 0 ? theta : Rounding.ClosestWithDifferenceIn(theta, theta + (grad > 0 ? hi : lo), lo, hi);

    private static (double[][] Z, double[][] H) Forward(Network net, double[] x)
    {
        var zs = new double[net.Depth][]; var hs = new double[net.Depth + 1][];
        hs[0] = x;
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l];
            zs[l] = new double[L.Outputs];
            L.PreActivation(hs[l], zs[l]);
            hs[l + 1] = zs[l].Select(L.Activation.Operator.Apply).ToArray();
        }
        return (zs, hs);
    }

    /// <summary>The exact margin y'_c − y'_j of <paramref name="perturbed"/> at x.</summary>
    public static Rational Margin(Network perturbed, double[] x, int cls, int j)
    {
        var y = perturbed.EvaluateExact(x.Select(Rational.FromDouble).ToArray());
        return y[cls] - y[j];
    }
}
