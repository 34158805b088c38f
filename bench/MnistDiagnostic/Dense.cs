using Verify.Model;

namespace Verify.Bench.Mnist;

/// <summary>The nominal network as flat arrays with a double forward pass that keeps every pre-activation, and the
/// backward pass of a vector through it; the diagnostics' only arithmetic (plain doubles: they estimate, never certify).</summary>
internal sealed class Dense
{
    public readonly int Depth;
    public readonly int[] In, Out;
    public readonly double[][] W, B;

    public Dense(Network net)
    {
        Depth = net.Depth;
        In = net.Layers.Select(l => l.Inputs).ToArray();
        Out = net.Layers.Select(l => l.Outputs).ToArray();
        W = net.Layers.Select(l => l.Weights.ToArray()).ToArray();
        B = net.Layers.Select(l => l.Bias.ToArray()).ToArray();
        for (int l = 0; l < Depth; l++)
        {
            var a = net.Layers[l].Activation;
            bool ok = l == Depth - 1 ? a.Operator.IsIdentity : a.Kind == ActivationKind.Relu;
            if (!ok) throw new ArgumentException("the diagnostic handles ReLU hidden layers and an identity output only");
        }
    }

    /// <summary>z[l] = pre-activations of layer l for input x, with <paramref name="w"/>/<paramref name="b"/> in place
    /// of the nominal parameters when given; h[l] = ReLU(z[l]) (identity on the last layer).</summary>
    public void Forward(ReadOnlySpan<double> x, double[][] z, double[][] h, double[][]? w = null, double[][]? b = null, int upTo = -1)
    {
        int last = upTo < 0 ? Depth - 1 : upTo;
        ReadOnlySpan<double> prev = x;
        for (int l = 0; l <= last; l++)
        {
            AffineKernels.Forward((w ?? W)[l], (b ?? B)[l], In[l], prev, z[l]);
            for (int i = 0; i < Out[l]; i++) h[l][i] = l == Depth - 1 ? z[l][i] : Math.Max(0, z[l][i]);
            prev = h[l];
        }
    }

    /// <summary>g ← ∂(gᵀ z[l])/∂h[l−1] (or ∂/∂x for l = 0, into <paramref name="into"/>): one step down through W_l.</summary>
    public void BackAffine(int l, ReadOnlySpan<double> g, Span<double> into) => AffineKernels.Transpose(W[l], In[l], g, into);

    public double[][] NewLayers() => Out.Select(n => new double[n]).ToArray();
}
