using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Equivalence;

/// <summary>
/// The rounded copy of a network that users compare against with `verify equiv`. float16/bfloat16: every
/// parameter rounded to nearest, ties to even. int8: symmetric per-tensor quantisation, dequantised; each layer's
/// W and b are separate tensors with their own scale s = max|t|/127, q = round-half-even(t/s) clamped to
/// [−127, 127], stored value q·s (a tensor of zeros stays zero).
/// </summary>
public static class ParameterRounding
{
    public static RoundingResult Round(Network network, RoundingTarget target)
    {
        var layers = new DenseLayer[network.Depth];
        for (int l = 0; l < network.Depth; l++)
        {
            var L = network.Layers[l];
            var w = RoundTensor(L.Weights, target, $"layer {l + 1} W");
            var b = RoundTensor(L.Bias, target, $"layer {l + 1} b");
            layers[l] = L.With(w, b);
        }
        var rounded = network.WithLayers(layers);
        var (maxChange, changed) = MaxAbsChange(network, rounded);
        return new RoundingResult(rounded, maxChange, changed);
    }

    public static double[] RoundTensor(ReadOnlySpan<double> t, RoundingTarget target, string where)
    {
        var r = new double[t.Length];
        if (target == RoundingTarget.Int8)
        {
            QuantizeInt8(t, r);
            return r;
        }
        for (int i = 0; i < t.Length; i++)
        {
            r[i] = target == RoundingTarget.Float16 ? FloatRounding.ToFloat16(t[i]) : FloatRounding.ToBFloat16(t[i]);
            if (!double.IsFinite(r[i]))
                throw new ModelException($"{where}[{i}] = {t[i]:R} overflows {target.Name()}");
        }
        return r;
    }

    /// <summary>Symmetric per-tensor int8 quantisation, dequantised back to doubles.</summary>
    public static void QuantizeInt8(ReadOnlySpan<double> t, Span<double> result)
    {
        double max = 0;
        foreach (var v in t) max = Math.Max(max, Math.Abs(v));
        if (max == 0) { result.Clear(); return; }
        double s = max / 127.0;
        for (int i = 0; i < t.Length; i++)
        {
            double q = Math.Clamp(Math.Round(t[i] / s, MidpointRounding.ToEven), -127.0, 127.0);
            result[i] = q * s;
        }
    }

    /// <summary>max |θ'_k − θ_k|, rounded up from the exact difference, and how many parameters changed.</summary>
    public static (double Max, int Changed) MaxAbsChange(Network a, Network b)
    {
        var ta = a.Flatten(); var tb = b.Flatten();
        double max = 0; int changed = 0;
        for (int k = 0; k < ta.Length; k++)
        {
            if (ta[k] == tb[k]) continue;
            changed++;
            var d = Rational.Abs(Rational.FromDouble(tb[k]) - Rational.FromDouble(ta[k])).ToInterval().Hi;
            max = Math.Max(max, d);
        }
        return (max, changed);
    }
}
