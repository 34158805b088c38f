using System.Globalization;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// The range of magnitudes the certified bounds are offered for. They are computed in outward-rounded double
/// arithmetic whose error analysis assumes that no intermediate value overflows; near 1e308 that fails (a product of
/// two bounds overflows, ∞ − ∞ gives NaN, an enclosure is clamped). Rather than answer from such arithmetic, a query
/// whose values can leave the range is rejected up front with one line: every pre-activation, nominal or perturbed,
/// and every product of layer gains along a path must stay below <see cref="Limit"/> (1e100, far above any trained
/// network on a sensible box, far below where products overflow).
/// </summary>
public static class NumericRange
{
    public const double Limit = 1e100;

    /// <summary>Throws <see cref="BadInputException"/> when the query's magnitudes can exceed <see cref="Limit"/>.</summary>
    public static void Check(Network network, Box box, ParameterBox delta, string? file = null)
    {
        double m = 0; // bound of |h| for the current layer's input (nominal or perturbed)
        for (int i = 0; i < box.Dimension; i++) m = Math.Max(m, Math.Max(Math.Abs(box[i].Lo), Math.Abs(box[i].Hi)));
        if (!(m <= Limit)) Reject(file, $"the input box reaches {Show(m)}");
        double gain = 1; // bound of the product of the layers' gains: the size of back-substituted coefficients
        for (int l = 0; l < network.Depth; l++)
        {
            var layer = network.Layers[l];
            var d = delta.Layers[l];
            double rowSum = 0, bias = 0;
            for (int i = 0; i < layer.Outputs; i++)
            {
                var row = layer.Row(i);
                double s = 0;
                for (int j = 0; j < row.Length; j++)
                {
                    int k = i * layer.Inputs + j;
                    s = Rounding.AddUp(s, Rounding.AddUp(Math.Abs(row[j]), Math.Max(-d.WeightLo[k], d.WeightHi[k])));
                }
                rowSum = Math.Max(rowSum, s);
                bias = Math.Max(bias, Rounding.AddUp(Math.Abs(layer.Bias[i]), Math.Max(-d.BiasLo[i], d.BiasHi[i])));
            }
            m = Rounding.AddUp(Rounding.MulUp(rowSum, m), bias);
            gain = Rounding.MulUp(gain, Math.Max(1, rowSum));
            if (!(m <= Limit)) Reject(file, $"values as large as {Show(m)} can arise in layer {l + 1} (weights, biases and their perturbation included)");
            if (!(gain <= Limit)) Reject(file, $"the layers' gains multiply to {Show(gain)} by layer {l + 1} (weights and their perturbation included)");
        }
    }

    private static void Reject(string? file, string what) =>
        throw new BadInputException(file,
            $"{what}: certified bounds are computed in double precision and offered only up to magnitudes of {Show(Limit)}; rescale the network, the box or ε");

    private static string Show(double v) => double.IsFinite(v) ? v.ToString("G3", CultureInfo.InvariantCulture) : "∞ (beyond the double range)";
}
