using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>
/// A sample-independent upper bound U ≥ ‖f(x;θ+η) − f(x;θ)‖₂ (≥ the ∞-norm) for every η in the noise support,
/// for the distribution-free interval of the mean. With D_l ≥ ‖Δh_l‖₂ and H_l ≥ ‖h_l‖₂ (h_l from outward-rounded
/// interval evaluation at x): ‖Δz_l‖₂ ≤ ‖W_l‖₂·D_{l−1} + ‖η_l‖₂·(H_{l−1} + D_{l−1}) + ‖η_b,l‖₂ and
/// D_l ≤ Lip(σ_l)·‖Δz_l‖₂, all rounded upward. Null for unbounded (Gaussian) noise.
/// </summary>
public static class AprioriDeviationBound
{
    public static double? At(Network net, LayerNoise?[] noise, double[] x)
    {
        var h = x.Select(Interval.Point).ToArray();
        double d = 0;
        for (int l = 0; l < net.Depth; l++)
        {
            var layer = net.Layers[l];
            double hNorm = NormUpper(h);
            double dz = Rounding.MulUp(SpectralNorm.SpectralUpper(layer), d);
            if (noise[l] is { } nl)
            {
                if (nl.SupportNorm2 is not { } s) return null;
                dz = Rounding.AddUp(dz, Rounding.AddUp(Rounding.MulUp(s.Weights, Rounding.AddUp(hNorm, d)), s.Biases));
            }
            double lip = layer.Activation.Operator.Kink.Lipschitz;
            d = Rounding.MulUp(lip, dz);
            h = Forward(layer, h);
        }
        return d;
    }

    private static Interval[] Forward(DenseLayer layer, Interval[] h) => Bounds.IntervalPropagation.Layer(layer, h);

    private static double NormUpper(Interval[] v)
    {
        double s = 0;
        foreach (var a in v) { double m = a.Magnitude; s = Rounding.AddUp(s, Rounding.MulUp(m, m)); }
        return Rounding.Up(Math.Sqrt(s));
    }
}
