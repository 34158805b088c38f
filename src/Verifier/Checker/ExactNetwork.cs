using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>The network's parameters and activations as exact rationals, converted once for every leaf.</summary>
internal sealed class ExactNetwork
{
    public readonly Rational[][] W, B;
    public readonly int[] Inputs, Outputs;
    public readonly Rational[] P, N;
    public int Depth => W.Length;

    public ExactNetwork(Network net)
    {
        int L = net.Depth;
        W = new Rational[L][]; B = new Rational[L][]; Inputs = new int[L]; Outputs = new int[L]; P = new Rational[L]; N = new Rational[L];
        for (int k = 0; k < L; k++)
        {
            var layer = net.Layers[k];
            W[k] = layer.Weights.ToArray().Select(Rational.FromDouble).ToArray();
            B[k] = layer.Bias.ToArray().Select(Rational.FromDouble).ToArray();
            Inputs[k] = layer.Inputs; Outputs[k] = layer.Outputs;
            // Every activation is σ(t) = P·t (t ≥ 0), N·t (t ≤ 0) (identity: P = N = 1).
            var kink = layer.Activation.Operator.Kink;
            P[k] = Rational.FromDouble(kink.P); N[k] = Rational.FromDouble(kink.N);
        }
    }

    public Rational Sigma(int k, Rational t) => t.Sign >= 0 ? P[k] * t : N[k] * t;
}
