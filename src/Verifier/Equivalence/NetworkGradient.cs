using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Double-precision forward pass that remembers the activation pattern, and the gradient of a weighted sum of
/// outputs with respect to the input. Only steers heuristics (attack steps, split choices); never certifies.
/// </summary>
public sealed class NetworkGradient
{
    private readonly Network _net;
    private readonly double[][] _pre;

    public double[] Output { get; private set; } = [];

    public NetworkGradient(Network net)
    {
        _net = net;
        _pre = net.Layers.Select(l => new double[l.Outputs]).ToArray();
    }

    public double[] Forward(ReadOnlySpan<double> x)
    {
        double[] h = x.ToArray();
        for (int l = 0; l < _net.Depth; l++)
        {
            var layer = _net.Layers[l];
            layer.PreActivation(h, _pre[l]);
            var next = new double[layer.Outputs];
            for (int i = 0; i < next.Length; i++) next[i] = layer.Activation.Apply(_pre[l][i]);
            h = next;
        }
        Output = h;
        return h;
    }

    /// <summary>∇_x Σ_j weights_j·f_j(x) at the point of the last <see cref="Forward"/> call.</summary>
    public double[] Backward(ReadOnlySpan<double> outputWeights)
    {
        double[] g = outputWeights.ToArray();
        for (int l = _net.Depth - 1; l >= 0; l--)
        {
            var layer = _net.Layers[l];
            for (int i = 0; i < g.Length; i++) g[i] *= Derivative(layer.Activation, _pre[l][i]);
            var prev = new double[layer.Inputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                if (g[i] == 0) continue;
                var row = layer.Row(i);
                for (int j = 0; j < row.Length; j++) prev[j] += g[i] * row[j];
            }
            g = prev;
        }
        return g;
    }

    private static double Derivative(Activation a, double z) => a.Kind switch
    {
        ActivationKind.Relu => z > 0 ? 1 : 0,
        ActivationKind.Identity => 1,
        _ => z > 0 ? 1 : a.Slope,
    };
}
