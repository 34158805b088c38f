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
        // Each coordinate's range cut at 0 and at the ends of its box: at most four pieces, fixed for every λ.
        var segments = new Segment[4 * n];
        var starts = new int[n + 1];
        int used = 0, count = 0;
        double scale = 0;
        Span<double> points = stackalloc double[5];
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
            int np = 0;
            points[np++] = a;
            if (0 > a && 0 < b) points[np++] = 0;
            if (cLo[i] > a && cLo[i] < b) points[np++] = cLo[i];
            if (cHi[i] > a && cHi[i] < b) points[np++] = cHi[i];
            points[np++] = b;
            points[..np].Sort();
            starts[used] = count;
            for (int k = 0; k + 1 < np; k++)
            {
                double p = points[k], q = points[k + 1];
                // 0, cLo and cHi are breakpoints, so the midpoint decides the slope and q, p which side of the box.
                double slope = 0.5 * p + 0.5 * q >= 0 ? sp : sn;
                segments[count++] = q <= cLo[i] ? new Segment(p, q, slope, cLo[i], Side.Below)
                    : p >= cHi[i] ? new Segment(p, q, slope, cHi[i], Side.Above)
                    : new Segment(p, q, slope, 0, Side.Inside);
            }
            used++;
            double m = Math.Max(Math.Abs(sp), Math.Abs(sn));
            scale += m * m;
        }
        starts[used] = count;
        var coords = new Pieces(segments, starts, used);
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

    private enum Side { Inside, Below, Above }

    /// <summary>A piece [P, Q] of one coordinate's range on which the objective's upper bound is S·y and the distance to
    /// the box is 0 (Inside), Centre − y (Below) or y − Centre (Above).</summary>
    private readonly record struct Segment(double P, double Q, double S, double Centre, Side Side);

    /// <summary>The pieces of the counted coordinates: coordinate k's are Segments[Starts[k] .. Starts[k + 1]).</summary>
    private readonly record struct Pieces(Segment[] Segments, int[] Starts, int Count)
    {
        public ReadOnlySpan<Segment> Of(int k) => Segments.AsSpan(Starts[k], Starts[k + 1] - Starts[k]);
    }

    /// <summary>λR² + Σ_i sup_y (s(y)·y − λ d_i(y)²), rounded up.</summary>
    private static double Value(Pieces coords, double lambda, double radius)
    {
        if (!double.IsFinite(4 * lambda)) return double.PositiveInfinity; // 2λ and 4λ below are exact
        double total = lambda > 0 ? Rounding.MulUp(lambda, Rounding.MulUp(radius, radius)) : 0;
        for (int k = 0; k < coords.Count; k++)
        {
            double sup = double.NegativeInfinity;
            foreach (var g in coords.Of(k)) sup = Math.Max(sup, OnSegment(g, lambda));
            total = Rounding.AddUp(total, sup);
        }
        return double.IsNaN(total) ? double.PositiveInfinity : total;
    }

    /// <summary>D(λ) in round-to-nearest, for the search, with its derivative R² − Σ d_i(y_i*)² at the maximisers.</summary>
    private static double Approximate(Pieces coords, double lambda, double radius, out double slope)
    {
        double total = lambda * radius * radius;
        slope = radius * radius;
        for (int k = 0; k < coords.Count; k++)
        {
            double sup = double.NegativeInfinity, dAt = 0;
            foreach (var g in coords.Of(k))
            {
                double y, d = 0;
                if (g.Side == Side.Inside) y = g.S * g.P >= g.S * g.Q ? g.P : g.Q;
                else
                {
                    y = Math.Clamp(g.Centre + g.S / (2 * lambda), g.P, g.Q);
                    d = y - g.Centre;
                }
                double v = g.S * y - lambda * d * d;
                if (v > sup) { sup = v; dAt = d; }
            }
            total += sup;
            slope -= dAt * dAt;
        }
        return total;
    }

    /// <summary>Upper bound of s·y − λ·d(y)² at a point y of the segment.</summary>
    private static double AtPoint(Segment g, double y, double lambda)
    {
        double dd = g.Side switch
        {
            Side.Below => Math.Max(0, Rounding.SubDown(g.Centre, y)),
            Side.Above => Math.Max(0, Rounding.SubDown(y, g.Centre)),
            _ => 0,
        };
        double penalty = lambda > 0 && dd > 0 ? Rounding.MulDown(lambda, Rounding.MulDown(dd, dd)) : 0;
        return Rounding.AddUp(Rounding.MulUp(g.S, y), -penalty);
    }

    /// <summary>Upper bound of the supremum over the segment.</summary>
    private static double OnSegment(Segment g, double lambda)
    {
        double p = g.P, q = g.Q, s = g.S, centre = g.Centre;
        if (lambda == 0 || g.Side == Side.Inside)
            return Math.Max(AtPoint(g, p, lambda), AtPoint(g, q, lambda)); // linear here: an end
        // h(y) = s·y − λ(y − centre)² is concave; h′(y) = s − 2λ(y − centre).
        double twoLambda = 2 * lambda;
        double slopeAtP = Rounding.AddUp(s, -Rounding.MulDown(twoLambda, Rounding.SubDown(p, centre)));
        if (slopeAtP <= 0) return AtPoint(g, p, lambda);
        double slopeAtQ = Rounding.AddDown(s, -Rounding.MulUp(twoLambda, Rounding.SubUp(q, centre)));
        if (slopeAtQ >= 0) return AtPoint(g, q, lambda);
        // The maximiser is inside: s·centre + s²/(4λ), the unconstrained maximum.
        return Rounding.AddUp(Rounding.MulUp(s, centre), Rounding.DivUp(Rounding.MulUp(s, s), 4 * lambda));
    }
}
