using Verify.Model;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// One concrete evaluation of a network in a floating-point format F, emulated exactly: the input and every parameter
/// rounded to nearest (ties to even) in F, each neuron summed left to right (w₁h₁ + w₂h₂ + … + wₙhₙ, then + b), every
/// product and every sum rounded to nearest in F, ReLU exact, a leaky slope rounded and its product rounded. Each
/// operation is first computed in double and then rounded to F: a product of two F values (≤ 24 significant bits) is
/// exact in double, and a sum rounded to double and then to F equals the sum rounded once to F because 53 ≥ 2p + 2 for
/// every F here (p ≤ 24; Figueroa, "When is double rounding innocuous?", 1995). Gradual underflow; an overflow gives
/// null (no evaluation is claimed). This is one of the evaluations `--execution` covers (docs/execution.md).
/// </summary>
public static class SequentialFloatEvaluation
{
    /// <summary>The output of the sequential F-evaluation at x, exact as doubles, or null when a value overflows.</summary>
    public static double[]? Evaluate(Network net, IReadOnlyList<double> x, ExecutionFormat format)
    {
        Func<double, double> round = RoundingOf(format);
        var h = x.Select(round).ToArray();
        foreach (var layer in net.Layers)
        {
            var next = new double[layer.Outputs];
            double slope = round(layer.Activation.Slope);
            for (int i = 0; i < layer.Outputs; i++)
            {
                var row = layer.Row(i);
                double acc = 0;
                for (int j = 0; j < row.Length; j++)
                {
                    double product = round(round(row[j]) * h[j]);
                    acc = j == 0 ? product : round(acc + product);
                }
                double z = row.Length == 0 ? round(layer.B(i)) : round(acc + round(layer.B(i)));
                next[i] = layer.Activation.Kind switch
                {
                    ActivationKind.Relu => Math.Max(0, z),
                    ActivationKind.Identity => z,
                    ActivationKind.LeakyRelu => z > 0 ? z : round(slope * z),
                    _ => throw new NotSupportedException($"no float emulation of {layer.Activation.Kind}"),
                };
                if (!double.IsFinite(next[i])) return null;
            }
            h = next;
        }
        return h;
    }

    /// <summary>Round to nearest even in F, from a double; the -ftz variants are evaluated with gradual underflow,
    /// which those formats admit too.</summary>
    public static Func<double, double> RoundingOf(ExecutionFormat format) => format.UnitRoundoff switch
    {
        var u when u == Math.ScaleB(1.0, -24) => v => (double)(float)v,
        var u when u == Math.ScaleB(1.0, -11) => FloatRounding.ToFloat16,
        var u when u == Math.ScaleB(1.0, -8) => FloatRounding.ToBFloat16,
        _ => throw new NotSupportedException($"no float emulation of {format.Name}"),
    };
}
