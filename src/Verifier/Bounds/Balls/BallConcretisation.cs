using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// sup of w·z′ over the tail's input set {c + v : c ∈ [lo, hi], ‖v‖₂ ≤ R} intersected with the first tail layer's fixed
/// phases s_k·z′_k ≥ 0. For any β ≥ 0, λ·z′ ≤ (λ + β∘s)·z′ on that set, so with w = λ + β∘s the supremum is at most
/// max_c w·c + R‖w‖₂ (a Lagrangian bound; docs/normballs.md). Any w with sign(w_k − λ_k) = s_k (or w_k = λ_k) is sound;
/// β only decides how tight. The chosen w is evaluated with upward rounding, so the result is a certified upper bound.
/// </summary>
public static class BallConcretisation
{
    /// <summary>Upper bound of sup λ·z′ over the constrained set; <paramref name="signs"/>[k] ∈ {−1, 0, +1}
    /// (null: no constraint). May return a value below every feasible one (even −∞) when the set is empty.</summary>
    public static double Sup(ReadOnlySpan<double> lambda, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, double radius,
                             ReadOnlySpan<sbyte> signs)
    {
        int n = lambda.Length;
        bool constrained = false;
        foreach (var s in signs) if (s != 0) { constrained = true; break; }
        if (!constrained || !(radius > 0)) return Evaluate(lambda, lo, hi, radius);
        // The optimal β has w_k = max(λ_k, −c_k·t) (s_k = +1) or min(λ_k, −c_k·t) (s_k = −1) for the scalar t = ‖w‖/R
        // (stationarity of the Lagrangian, c the centre of the box): search t on a log grid, then by the fixed point.
        Span<double> w = n <= 256 ? stackalloc double[n] : new double[n];
        Span<double> best = n <= 256 ? stackalloc double[n] : new double[n];
        lambda.CopyTo(best);
        double bestValue = Approximate(lambda, lo, hi, radius);
        double t0 = Math.Max(Norm(lambda), 1e-300) / radius;
        void Try(double t, Span<double> w, Span<double> best, ReadOnlySpan<double> lambda, ReadOnlySpan<double> lo,
                 ReadOnlySpan<double> hi, ReadOnlySpan<sbyte> signs, ref double bestValue)
        {
            Fill(t, w, lambda, lo, hi, signs);
            double v = Approximate(w, lo, hi, radius);
            if (v < bestValue) { bestValue = v; w.CopyTo(best); }
        }
        for (int g = -12; g <= 12; g += 2) Try(t0 * Math.Pow(2, g), w, best, lambda, lo, hi, signs, ref bestValue);
        Try(0, w, best, lambda, lo, hi, signs, ref bestValue);
        double t = Norm(best) / radius;
        for (int it = 0; it < 15 && t > 0 && double.IsFinite(t); it++)
        {
            Try(t, w, best, lambda, lo, hi, signs, ref bestValue);
            Fill(t, w, lambda, lo, hi, signs);
            t = Norm(w) / radius;
        }
        // An empty set: the dual falls without bound along a direction of the constraints.
        for (int g = 14; g <= 40; g += 13) Try(t0 * Math.Pow(2, g), w, best, lambda, lo, hi, signs, ref bestValue);
        return Evaluate(best, lo, hi, radius);
    }

    private static void Fill(double t, Span<double> w, ReadOnlySpan<double> lambda, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi,
                             ReadOnlySpan<sbyte> signs)
    {
        for (int k = 0; k < w.Length; k++)
        {
            double target = -(0.5 * lo[k] + 0.5 * hi[k]) * t;
            // max/min are exact, so w_k − λ_k has the constraint's sign whatever rounding produced the target.
            w[k] = signs[k] > 0 ? Math.Max(lambda[k], target) : signs[k] < 0 ? Math.Min(lambda[k], target) : lambda[k];
        }
    }

    /// <summary>max over the box of w·c plus R‖w‖₂, rounded upward.</summary>
    public static double Evaluate(ReadOnlySpan<double> w, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, double radius)
    {
        double s = 0;
        for (int k = 0; k < w.Length; k++)
            if (w[k] != 0) s = Rounding.AddUp(s, w[k] > 0 ? Rounding.MulUp(w[k], hi[k]) : Rounding.MulUp(w[k], lo[k]));
        return Rounding.AddUp(s, Rounding.MulUp(radius, EuclideanNorm.Upper(w)));
    }

    private static double Approximate(ReadOnlySpan<double> w, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, double radius)
    {
        double s = 0;
        for (int k = 0; k < w.Length; k++) s += w[k] > 0 ? w[k] * hi[k] : w[k] * lo[k];
        return s + radius * Norm(w);
    }

    private static double Norm(ReadOnlySpan<double> w)
    {
        double s = 0;
        foreach (var x in w) s += x * x;
        return Math.Sqrt(s);
    }
}
