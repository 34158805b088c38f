using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// sup of Σ_i μ_i·relu(z′_i) + w_i(z′_i) over the tail's input set {c + v : c ∈ [cLo, cHi], ‖v‖₂ ≤ R} ∩ [yLo, yHi]
/// without relaxing the first tail layer's ReLUs: the objective is separable, so for every λ ≥ 0
///   sup ≤ λR² + Σ_i sup_{y ∈ [a_i, b_i]} (μ_i·relu(y) + w_i(y) − λ·d_i(y)²),
/// with d_i(y) the distance from y to [cLo_i, cHi_i] (the least |v_i| that reaches y) and [a_i, b_i] = [yLo_i, yHi_i] ∩
/// [cLo_i − R, cHi_i + R] (a Lagrangian bound of the one constraint Σ d_i² ≤ R²; docs/normballs.md). Each one-dimensional
/// supremum is of a concave quadratic on each piece between the breakpoints 0, cLo_i and cHi_i, so it is found in
/// closed form and evaluated with upward rounding: the result is certified for whichever λ the search picks.
/// It is never looser than relaxing each ReLU by a line on [a_i, b_i] and concretising over the ball, because that line
/// lies above μ_i·relu on [a_i, b_i] and the ball's dual is the same Lagrangian of the line.
/// w_i(y) = wHi_i·y for y ≥ 0 and wLo_i·y for y ≤ 0 covers a linear term whose coefficient is only enclosed in [wLo_i, wHi_i].
/// </summary>
public static class FirstLayerDual
{
    /// <summary>The certified upper bound (+∞ when an input is not finite or a coordinate's range is empty).</summary>
    public static double Sup(ReadOnlySpan<double> mu, ReadOnlySpan<double> wLo, ReadOnlySpan<double> wHi, ReadOnlySpan<double> yLo,
                             ReadOnlySpan<double> yHi, ReadOnlySpan<double> cLo, ReadOnlySpan<double> cHi, double radius)
    {
        int n = mu.Length;
        if (!(radius >= 0) || !double.IsFinite(radius)) return double.PositiveInfinity;
        var pieces = new Coordinate[n];
        int used = 0;
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            double wl = wLo.IsEmpty ? 0 : wLo[i], wh = wHi.IsEmpty ? 0 : wHi[i];
            if (mu[i] == 0 && wl == 0 && wh == 0) continue; // contributes at most 0 (sup of −λd² ≤ 0)
            double a = Math.Max(yLo[i], Rounding.SubDown(cLo[i], radius)), b = Math.Min(yHi[i], Rounding.AddUp(cHi[i], radius));
            if (!(a <= b) || !double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(mu[i]) || !double.IsFinite(wl) || !double.IsFinite(wh)
                || !(cLo[i] <= cHi[i]))
                return double.PositiveInfinity;
            double sp = Rounding.AddUp(mu[i], wh), sn = wl; // slopes of an upper bound of the objective for y ≥ 0 and y ≤ 0
            if (!double.IsFinite(sp)) return double.PositiveInfinity;
            pieces[used++] = new Coordinate(a, b, cLo[i], cHi[i], sp, sn);
            double m = Math.Max(Math.Abs(sp), Math.Abs(sn));
            scale += m * m;
        }
        var coords = pieces.AsSpan(0, used);
        double best = Value(coords, 0, radius);
        if (used == 0 || !(radius > 0)) return best;
        // D(λ) is convex in λ: scan powers of 2 around the scale of the linear case (‖s‖/2R), then bisect on the sign of
        // D′(λ) = R² − Σ d_i(y_i*)² in log λ, both on round-to-nearest values; only the λ found is evaluated with upward
        // rounding, so the search decides how tight the bound is, never whether it holds.
        double l0 = Math.Sqrt(scale) / (2 * radius);
        if (!(l0 > 0) || !double.IsFinite(l0)) return best;
        double logL0 = Math.Log(l0), step = Math.Log(2), bestLog = logL0, bestValue = double.PositiveInfinity;
        for (int k = -ScanSteps; k <= ScanSteps; k++)
        {
            double t = logL0 + k * step;
            double v = Approximate(coords, Math.Exp(t), radius, out _);
            if (v < bestValue) { bestValue = v; bestLog = t; }
        }
        double x0 = bestLog - step, x1 = bestLog + step;
        for (int it = 0; it < BisectionSteps; it++)
        {
            double xm = 0.5 * (x0 + x1);
            double v = Approximate(coords, Math.Exp(xm), radius, out double slope);
            if (v < bestValue) { bestValue = v; bestLog = xm; }
            if (slope > 0) x1 = xm; else x0 = xm;
        }
        return Math.Min(best, Value(coords, Math.Exp(bestLog), radius));
    }

    /// <summary>Powers of 2 scanned either side of ‖s‖/2R (the optimum when every coordinate's maximiser is on the
    /// ball's boundary along the same side), and bisection steps after the scan: λ to 0.5 % in log λ, which moves the
    /// bound by far less than that near the minimum (scan ±8 with 14 steps: the same U at 10 s on the benchmark balls,
    /// with 25 % fewer domains).</summary>
    private const int ScanSteps = 5, BisectionSteps = 8;

    /// <summary>One coordinate: its range [A, B], the box [CLo, CHi] around which v is measured, and the slopes of the
    /// objective's upper bound for y ≥ 0 (SP) and y ≤ 0 (SN).</summary>
    private readonly record struct Coordinate(double A, double B, double CLo, double CHi, double SP, double SN);

    /// <summary>λR² + Σ_i sup_y (s(y)·y − λ d_i(y)²), rounded up.</summary>
    private static double Value(ReadOnlySpan<Coordinate> coords, double lambda, double radius)
    {
        if (!double.IsFinite(4 * lambda)) return double.PositiveInfinity; // 2λ and 4λ below are exact
        double total = lambda > 0 ? Rounding.MulUp(lambda, Rounding.MulUp(radius, radius)) : 0;
        Span<double> points = stackalloc double[5];
        foreach (var c in coords)
        {
            int np = Breakpoints(c, points);
            double sup = double.NegativeInfinity;
            for (int s = 0; s + 1 < np; s++) sup = Math.Max(sup, OnSegment(c, points[s], points[s + 1], lambda));
            total = Rounding.AddUp(total, sup);
        }
        return double.IsNaN(total) ? double.PositiveInfinity : total;
    }

    /// <summary>D(λ) in round-to-nearest, for the search, with its derivative R² − Σ d_i(y_i*)² at the maximisers.</summary>
    private static double Approximate(ReadOnlySpan<Coordinate> coords, double lambda, double radius, out double slope)
    {
        double total = lambda * radius * radius;
        slope = radius * radius;
        Span<double> points = stackalloc double[5];
        foreach (var c in coords)
        {
            int np = Breakpoints(c, points);
            double sup = double.NegativeInfinity, dAt = 0;
            for (int k = 0; k + 1 < np; k++)
            {
                double p = points[k], q = points[k + 1];
                double s = 0.5 * p + 0.5 * q >= 0 ? c.SP : c.SN;
                bool below = q <= c.CLo, above = p >= c.CHi;
                double y, d = 0;
                if (!below && !above) y = s * p >= s * q ? p : q;
                else
                {
                    double centre = below ? c.CLo : c.CHi;
                    y = Math.Clamp(centre + s / (2 * lambda), p, q);
                    d = y - centre;
                }
                double v = s * y - lambda * d * d;
                if (v > sup) { sup = v; dAt = d; }
            }
            total += sup;
            slope -= dAt * dAt;
        }
        return total;
    }

    /// <summary>The coordinate's range cut at 0, CLo and CHi, in order (into <paramref name="points"/>; returns their count).</summary>
    private static int Breakpoints(Coordinate c, Span<double> points)
    {
        int np = 0;
        points[np++] = c.A;
        if (0 > c.A && 0 < c.B) points[np++] = 0;
        if (c.CLo > c.A && c.CLo < c.B) points[np++] = c.CLo;
        if (c.CHi > c.A && c.CHi < c.B) points[np++] = c.CHi;
        points[np++] = c.B;
        points[..np].Sort();
        return np;
    }

    /// <summary>Upper bound of s·y − λ·d(y)² at one point.</summary>
    private static double AtPoint(Coordinate c, double y, double lambda)
    {
        double s = y >= 0 ? c.SP : c.SN;
        double dd = y < c.CLo ? Rounding.SubDown(c.CLo, y) : y > c.CHi ? Rounding.SubDown(y, c.CHi) : 0;
        double penalty = lambda > 0 && dd > 0 ? Rounding.MulDown(lambda, Rounding.MulDown(dd, dd)) : 0;
        return Rounding.AddUp(Rounding.MulUp(s, y), -penalty);
    }

    /// <summary>Upper bound of the supremum over [p, q], a piece on which the slope and the distance's formula are fixed.</summary>
    private static double OnSegment(Coordinate c, double p, double q, double lambda)
    {
        // 0, CLo and CHi are breakpoints, so the midpoint decides the piece.
        double mid = 0.5 * p + 0.5 * q;
        double s = mid >= 0 ? c.SP : c.SN;
        bool below = q <= c.CLo, above = p >= c.CHi;
        if (lambda == 0 || (!below && !above))
            return Math.Max(AtPoint(c, p, lambda), AtPoint(c, q, lambda)); // linear here: an end
        double centre = below ? c.CLo : c.CHi;
        // g(y) = s·y − λ(y − centre)² is concave; g′(y) = s − 2λ(y − centre).
        double twoLambda = 2 * lambda;
        double slopeAtP = Rounding.AddUp(s, -Rounding.MulDown(twoLambda, Rounding.SubDown(p, centre)));
        if (slopeAtP <= 0) return AtPoint(c, p, lambda);
        double slopeAtQ = Rounding.AddDown(s, -Rounding.MulUp(twoLambda, Rounding.SubUp(q, centre)));
        if (slopeAtQ >= 0) return AtPoint(c, q, lambda);
        // The maximiser is inside: s·centre + s²/(4λ), the unconstrained maximum.
        return Rounding.AddUp(Rounding.MulUp(s, centre), Rounding.DivUp(Rounding.MulUp(s, s), 4 * lambda));
    }
}
