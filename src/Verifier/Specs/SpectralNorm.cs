using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>Norms of a weight matrix: estimates by power iteration and sound upper bounds.</summary>
public static class SpectralNorm
{
    /// <summary>Power iteration for the top right singular vector of W (an estimate; used where any vector is valid).</summary>
    public static double[] TopRightSingularVector(DenseLayer w, int iterations = 200)
    {
        var v = new double[w.Inputs];
        for (int j = 0; j < v.Length; j++) v[j] = 1.0 + 0.01 * j;
        var u = new double[w.Outputs];
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < w.Outputs; i++)
            {
                var row = w.Row(i); double s = 0;
                for (int j = 0; j < row.Length; j++) s += row[j] * v[j];
                u[i] = s;
            }
            Array.Clear(v);
            for (int i = 0; i < w.Outputs; i++)
            {
                var row = w.Row(i);
                for (int j = 0; j < row.Length; j++) v[j] += row[j] * u[i];
            }
            double n = Math.Sqrt(v.Sum(x => x * x));
            if (n == 0 || !double.IsFinite(n)) return v;
            for (int j = 0; j < v.Length; j++) v[j] /= n;
        }
        return v;
    }

    /// <summary>A sound upper bound of ‖W‖_F (outward rounded).</summary>
    public static double FrobeniusUpper(DenseLayer w)
    {
        double s = 0;
        foreach (var x in w.Weights) s = Rounding.AddUp(s, Rounding.MulUp(x, x));
        return Rounding.Up(Math.Sqrt(s));
    }

    /// <summary>A sound upper bound of ‖W‖₂: min(‖W‖_F, √(‖W‖₁‖W‖∞), the Gram-power bound of
    /// <see cref="GramPowerBound"/> (nearly tight; for a smaller side ≤ its size limit)), outward rounded.</summary>
    public static double SpectralUpper(DenseLayer w)
    {
        double inf = 0;
        for (int i = 0; i < w.Outputs; i++)
        {
            double s = 0;
            foreach (var x in w.Row(i)) s = Rounding.AddUp(s, Math.Abs(x));
            inf = Math.Max(inf, s);
        }
        var colSums = new double[w.Inputs];
        for (int i = 0; i < w.Outputs; i++)
        {
            var row = w.Row(i);
            for (int j = 0; j < row.Length; j++) colSums[j] = Rounding.AddUp(colSums[j], Math.Abs(row[j]));
        }
        double one = colSums.Max();
        double cheap = Math.Min(FrobeniusUpper(w), Rounding.SqrtUp(Rounding.MulUp(one, inf)));
        return Math.Min(cheap, GramPowerBound.Upper(w));
    }
}
