using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

public enum MatrixNorm { Frobenius, Spectral }

/// <summary>
/// {δW_layer : ‖δW‖ ≤ Radius} on one weight matrix (0-based <see cref="Layer"/>), all other parameters fixed.
/// <see cref="Radius"/> is a sound upper bound of ratio·‖W‖ and <see cref="RadiusSquaredExact"/> the exact square of
/// ratio·‖W‖_F for the Frobenius norm (so membership can be decided exactly).
/// </summary>
public sealed record NormBall(int Layer, MatrixNorm Norm, double Ratio, double Radius)
{
    /// <summary>
    /// Exact admissibility: Frobenius: ‖δ‖_F² ≤ ratio²·‖W‖_F², decided in rationals. Spectral: the sufficient condition
    /// ‖δ‖_F² ≤ ratio²·‖Wv‖²/‖v‖² for the power-iteration vector v (a certified lower bound of ‖W‖₂²), since ‖δ‖₂ ≤ ‖δ‖_F.
    /// </summary>
    public bool AdmitsExact(Network nominal, Network perturbed)
    {
        var a = nominal.Layers[Layer]; var b = perturbed.Layers[Layer];
        Rational deltaSq = Rational.Zero;
        for (int k = 0; k < a.Weights.Length; k++)
        {
            if (a.Weights[k] == b.Weights[k]) continue;
            var d = Rational.FromDouble(b.Weights[k]) - Rational.FromDouble(a.Weights[k]);
            deltaSq += d * d;
        }
        var r = Rational.FromDouble(Ratio);
        return deltaSq <= r * r * NormSquaredLowerExact(a, Norm);
    }

    /// <summary>An exact rational lower bound of ‖W‖² (equal to it for Frobenius).</summary>
    public static Rational NormSquaredLowerExact(DenseLayer w, MatrixNorm norm)
    {
        if (norm == MatrixNorm.Frobenius)
        {
            Rational s = Rational.Zero;
            foreach (var x in w.Weights) if (x != 0) { var q = Rational.FromDouble(x); s += q * q; }
            return s;
        }
        var v = SpectralNorm.TopRightSingularVector(w);
        Rational vv = Rational.Zero, wvwv = Rational.Zero;
        var vr = v.Select(Rational.FromDouble).ToArray();
        foreach (var q in vr) vv += q * q;
        if (vv.IsZero) return Rational.Zero;
        for (int i = 0; i < w.Outputs; i++)
        {
            Rational s = Rational.Zero;
            var row = w.Row(i);
            for (int j = 0; j < row.Length; j++) if (row[j] != 0) s += Rational.FromDouble(row[j]) * vr[j];
            wvwv += s * s;
        }
        return wvwv / vv;
    }
}
