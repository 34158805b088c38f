using Verify.Intervals;
using Verify.Model;

namespace Verify.Sensitivity;

/// <summary>
/// The network's linearisation at x inside its activation region: the activation pattern (derivative of every
/// activation at its pre-activation; at exactly 0 the right derivative), the hidden inputs h_l, and
/// A_l = ∂f/∂z_l (output × width of layer l) for every layer, from which the input Jacobian A_1·W_1 and every
/// parameter Jacobian ∂f/∂W_l = A_l ⊗ h_{l−1}ᵀ, ∂f/∂b_l = A_l follow. Exact (up to rounding) as long as x is not
/// on a region boundary, which <see cref="BoundaryNeurons"/> decides in exact arithmetic.
/// </summary>
public sealed class LocalLinearization
{
    public Network Network { get; }
    public double[] X { get; }
    public double[] Output { get; }

    /// <summary>Inputs of each layer: Inputs[0] = x, Inputs[l] = h_l.</summary>
    public double[][] Inputs { get; }

    /// <summary>∂f/∂z_l as row-major [output, Outputs of layer l].</summary>
    public double[][] A { get; }

    private LocalLinearization(Network net, double[] x, double[] output, double[][] inputs, double[][] a)
    {
        Network = net; X = x; Output = output; Inputs = inputs; A = a;
    }

    public static LocalLinearization At(Network net, double[] x)
    {
        int L = net.Depth;
        var inputs = new double[L][];
        var slopes = new double[L][];
        double[] h = x;
        for (int l = 0; l < L; l++)
        {
            var layer = net.Layers[l];
            inputs[l] = h;
            var z = new double[layer.Outputs];
            layer.PreActivation(h, z);
            var op = layer.Activation.Operator;
            slopes[l] = z.Select(op.Derivative).ToArray();
            h = z.Select(op.Apply).ToArray();
        }
        int p = net.OutputSize;
        var a = new double[L][];
        // A_L = diag(σ'_L); A_l = A_{l+1}·W_{l+1}·diag(σ'_l).
        a[L - 1] = new double[p * p];
        for (int k = 0; k < p; k++) a[L - 1][k * p + k] = slopes[L - 1][k];
        for (int l = L - 2; l >= 0; l--)
        {
            var next = net.Layers[l + 1];
            int m = net.Layers[l].Outputs, mNext = next.Outputs;
            var al = new double[p * m];
            for (int k = 0; k < p; k++)
                for (int i = 0; i < mNext; i++)
                {
                    double c = a[l + 1][k * mNext + i];
                    if (c == 0) continue;
                    var row = next.Row(i);
                    for (int j = 0; j < m; j++) al[k * m + j] += c * row[j];
                }
            for (int k = 0; k < p; k++)
                for (int j = 0; j < m; j++) al[k * m + j] *= slopes[l][j];
            a[l] = al;
        }
        return new LocalLinearization(net, x, h, inputs, a);
    }

    /// <summary>Df(x) = A_1·W_1, row-major [output, input].</summary>
    public double[] InputJacobian()
    {
        var w = Network.Layers[0];
        int p = Network.OutputSize, m = w.Outputs, n = w.Inputs;
        var j = new double[p * n];
        for (int k = 0; k < p; k++)
            for (int i = 0; i < m; i++)
            {
                double c = A[0][k * m + i];
                if (c == 0) continue;
                var row = w.Row(i);
                for (int t = 0; t < n; t++) j[k * n + t] += c * row[t];
            }
        return j;
    }

    /// <summary>
    /// Hidden neurons (1-based layer, 0-based neuron) whose pre-activation at x is exactly 0 in rational arithmetic,
    /// with a kinked activation: there x lies on the boundary of its activation region and the Jacobian is one-sided.
    /// </summary>
    public IReadOnlyList<(int Layer, int Neuron)> BoundaryNeurons()
    {
        var found = new List<(int, int)>();
        Network.ForwardExact(X.Select(Rational.FromDouble).ToArray(), (l, z) =>
        {
            if (!Network.Layers[l].Activation.IsPiecewiseLinearWithKink) return;
            for (int i = 0; i < z.Length; i++)
                if (z[i].IsZero) found.Add((l + 1, i));
        });
        return found;
    }
}
