using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>
/// δ = θ2 − θ1 of two networks of one architecture as a sound <see cref="ParameterBox"/>: each entry is the
/// tightest double interval around the exact difference of the two doubles (a point when the double subtraction is
/// exact, as Sterbenz guarantees for close values). f2 = f(·; θ1 + δ) for a δ in the box, so every certified bound
/// of the deviation over the box bounds f2 − f1.
/// </summary>
public static class ParameterDifference
{
    public static ParameterBox Of(Network first, Network second)
    {
        if (!ExactAligner.SameArchitecture(first, second))
            throw new ArgumentException("parameter difference needs two networks of the same architecture");
        var layers = new ParameterBox.LayerBox[first.Depth];
        for (int l = 0; l < first.Depth; l++)
        {
            var a = first.Layers[l]; var b = second.Layers[l];
            var (wlo, whi) = Enclose(a.Weights, b.Weights);
            var (blo, bhi) = Enclose(a.Bias, b.Bias);
            layers[l] = new ParameterBox.LayerBox(wlo, whi, blo, bhi);
        }
        return new ParameterBox(layers);
    }

    private static (double[] Lo, double[] Hi) Enclose(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var lo = new double[a.Length]; var hi = new double[a.Length];
        for (int k = 0; k < a.Length; k++)
        {
            double d = b[k] - a[k];
            if (IsExactDifference(a[k], b[k], d)) { lo[k] = hi[k] = d; continue; }
            var iv = (Rational.FromDouble(b[k]) - Rational.FromDouble(a[k])).ToInterval();
            lo[k] = iv.Lo; hi[k] = iv.Hi;
        }
        return (lo, hi);
    }

    /// <summary>Exact test with the error-free TwoSum: b − a = d + err, and err = 0 means d is exact.</summary>
    private static bool IsExactDifference(double a, double b, double d)
    {
        double na = -a;
        double bb = d - b;
        double err = (b - (d - bb)) + (na - bb);
        return err == 0 && double.IsFinite(d);
    }
}
