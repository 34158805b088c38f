using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// A linear constraint A·z′ + C ≥ 0 that holds on a whole phase domain of the ball: a fixed phase s·z_k ≥ 0 of a tail
/// neuron together with a certified linear upper bound s·z_k ≤ A·z′ + C over the domain (exact once every neuron
/// before it has a fixed phase; docs/normballs.md). The first tail layer's phases are A = s·e_k, C = 0.
/// </summary>
public sealed record BallHalfSpace(double[] A, double C)
{
    /// <summary>For a neuron of a hidden tail layer after the first, the same upper bound of s·z_k before the first
    /// tail layer's ReLUs are relaxed: s·z_k ≤ H·relu(z′) + CH, so H·relu(z′) + CH ≥ 0 on the domain — tighter than
    /// A·z′ + C ≥ 0, and separable for the first layer's dual (docs/normballs.md). Null where not recorded.</summary>
    public double[]? H { get; init; }
    public double CH { get; init; }

    /// <summary>Whether this is a first tail layer's phase s·z′_k ≥ 0, which the first layer's dual already has as the
    /// coordinate's range.</summary>
    public bool FirstLayerPhase { get; init; }
}

/// <summary>
/// sup λ·z′ over the tail's input set {c + v : c ∈ [lo, hi], ‖v‖₂ ≤ R} intersected with half-spaces A_k·z′ + C_k ≥ 0: for
/// any β ≥ 0 it is at most sup (λ + Σβ_k A_k)·z′ + Σβ_k C_k (a Lagrangian bound, sound for every β ≥ 0). β is found by
/// coordinate descent in floating point; the chosen β is then evaluated with outward rounding (the coefficients
/// λ + Σβ_k A_k as enclosures, their width times max|z′_i| added), so the result is a certified upper bound whatever
/// the search found. An empty domain may give a value below every feasible one (−∞ included).
/// </summary>
public static class BallHalfSpaces
{
    public static double Sup(double[] lambda, IReadOnlyList<BallHalfSpace> constraints, double[] lo, double[] hi, double radius) =>
        Sup(lambda, constraints, lo, hi, radius, out _);

    /// <summary>As above; <paramref name="multipliers"/> receives the multipliers found (any β ≥ 0 is sound for the same
    /// constraints, so a caller may reuse them for another objective).</summary>
    public static double Sup(double[] lambda, IReadOnlyList<BallHalfSpace> constraints, double[] lo, double[] hi, double radius, out double[] multipliers)
    {
        var beta = multipliers = new double[constraints.Count];
        if (constraints.Count == 0 || !(radius > 0)) return BallConcretisation.Evaluate(lambda, lo, hi, radius);
        int n = lambda.Length, m = constraints.Count;
        var w = (double[])lambda.Clone();
        var trial = new double[n];
        double betaC = 0;
        double current = Approximate(w, lo, hi, radius);
        for (int sweep = 0; sweep < 4; sweep++)
        {
            double before = current;
            for (int k = 0; k < m; k++)
            {
                var a = constraints[k].A; double ck = constraints[k].C;
                double scale = Norm(w) / Math.Max(Norm(a), 1e-300);
                double F(double b)
                {
                    double d = b - beta[k];
                    for (int i = 0; i < n; i++) trial[i] = w[i] + d * a[i];
                    return Approximate(trial, lo, hi, radius) + betaC + d * ck;
                }
                // Bracket the convex 1-D minimum on [0, top], then golden-section search.
                double top = Math.Max(beta[k], scale);
                double fTop = F(top);
                for (int g = 0; g < 40 && fTop < F(0.5 * top) && double.IsFinite(fTop); g++) { top *= 2; fTop = F(top); }
                double x0 = 0, x1 = top;
                const double phi = 0.6180339887498949;
                double p = x1 - phi * (x1 - x0), q = x0 + phi * (x1 - x0), fp = F(p), fq = F(q);
                for (int it = 0; it < 30; it++)
                {
                    if (fp < fq) { x1 = q; q = p; fq = fp; p = x1 - phi * (x1 - x0); fp = F(p); }
                    else { x0 = p; p = q; fp = fq; q = x0 + phi * (x1 - x0); fq = F(q); }
                }
                double best = fp < fq ? p : q, fBest = Math.Min(fp, fq);
                double f0 = F(0);
                if (f0 <= fBest) { best = 0; fBest = f0; }
                if (fBest < current)
                {
                    double d = best - beta[k];
                    for (int i = 0; i < n; i++) w[i] += d * a[i];
                    betaC += d * ck;
                    beta[k] = best; current = fBest;
                }
            }
            if (!(current < before - 1e-12 * Math.Abs(before))) break;
        }
        return Certified(lambda, beta, constraints, lo, hi, radius);
    }

    /// <summary>The bound of β evaluated with outward rounding.</summary>
    public static double Certified(double[] lambda, double[] beta, IReadOnlyList<BallHalfSpace> constraints, double[] lo, double[] hi, double radius)
    {
        int n = lambda.Length;
        var wLo = (double[])lambda.Clone(); var wHi = (double[])lambda.Clone();
        double constant = 0;
        for (int k = 0; k < beta.Length; k++)
        {
            double b = beta[k];
            if (!(b > 0)) continue;   // β = 0 (or a NaN from the search) contributes nothing
            var a = constraints[k].A;
            for (int i = 0; i < n; i++)
            {
                if (a[i] == 0) continue;
                wLo[i] = Rounding.AddDown(wLo[i], Rounding.MulDown(b, a[i]));
                wHi[i] = Rounding.AddUp(wHi[i], Rounding.MulUp(b, a[i]));
            }
            constant = Rounding.AddUp(constant, Rounding.MulUp(b, constraints[k].C));
        }
        var w = new double[n];
        double slack = 0;
        for (int i = 0; i < n; i++)
        {
            w[i] = Math.Clamp(0.5 * wLo[i] + 0.5 * wHi[i], wLo[i], wHi[i]);
            double r = Math.Max(Rounding.SubUp(wHi[i], w[i]), Rounding.SubUp(w[i], wLo[i]));
            if (r > 0) slack = Rounding.AddUp(slack, Rounding.MulUp(r, Rounding.AddUp(Math.Max(Math.Abs(lo[i]), Math.Abs(hi[i])), radius)));
        }
        double total = Rounding.AddUp(Rounding.AddUp(BallConcretisation.Evaluate(w, lo, hi, radius), slack), constant);
        return double.IsNaN(total) ? double.PositiveInfinity : total;
    }

    private static double Approximate(double[] w, double[] lo, double[] hi, double radius)
    {
        double s = 0, nn = 0;
        for (int i = 0; i < w.Length; i++) { s += w[i] > 0 ? w[i] * hi[i] : w[i] * lo[i]; nn += w[i] * w[i]; }
        return s + radius * Math.Sqrt(nn);
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (var x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
