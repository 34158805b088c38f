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
            var op = layer.Activation.Operator;
            var next = new double[layer.Outputs];
            for (int i = 0; i < next.Length; i++) next[i] = op.Apply(_pre[l][i]);
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
            layer.Activation.Operator.Backward(_pre[l], g);
            var prev = new double[layer.Inputs];
            layer.Transpose(g, prev);
            g = prev;
        }
        return g;
    }
}
