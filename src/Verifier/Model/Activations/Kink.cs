using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// A piecewise-linear function of one variable with its only kink at 0: g(t) = P·t for t ≥ 0 and N·t for t ≤ 0.
/// ReLU is (1, 0), leaky ReLU (1, a), identity (1, 1); the bounds max/min(mΔz, MΔz) of an activation difference
/// have the same shape. A linear bound s·t + c of g on [lo, hi] is valid for ANY slope s once the intercept c
/// bounds g(t) − s·t at the endpoints and the kink (the extremes of a piecewise-linear function); the intercepts
/// are computed here with outward rounding, so the slope can be chosen freely in floating point.
/// </summary>
public readonly record struct Kink(double P, double N)
{
    public static readonly Kink Relu = new(1, 0);

    public double Eval(double t) => t >= 0 ? P * t : N * t;

    /// <summary>The slopes g takes (almost everywhere) on [z]: P where z ≥ 0, N where z ≤ 0, both across the kink.
    /// (Where z ≥ 0 on a region, z &gt; 0 almost everywhere unless z is constant 0 there, and then its gradient, the
    /// factor the slope multiplies, is 0: P is right either way.)</summary>
    public Interval SlopeRange(Interval z) =>
        z.Lo >= 0 ? Interval.Point(P) : z.Hi <= 0 ? Interval.Point(N) : new Interval(Math.Min(P, N), Math.Max(P, N));

    /// <summary>The Lipschitz constant max(|P|, |N|).</summary>
    public double Lipschitz => Math.Max(Math.Abs(P), Math.Abs(N));

    /// <summary>The slope of the chord over [lo, hi] (any slope is sound; this one is the tightest for convex g).</summary>
    public double ChordSlope(double lo, double hi)
    {
        if (lo >= 0) return P;
        if (hi <= 0) return N;
        double s = (P * hi - N * lo) / (hi - lo);
        return double.IsFinite(s) ? s : P;
    }

    /// <summary>A rigorous c with g(t) ≤ s·t + c on [lo, hi].</summary>
    public double UpperIntercept(double s, double lo, double hi)
    {
        double c = Math.Max(GapUp(s, lo), GapUp(s, hi));
        if (lo < 0 && hi > 0) c = Math.Max(c, 0.0); // at the kink g(0) − s·0 = 0
        return c;
    }

    /// <summary>A rigorous c with g(t) ≥ s·t + c on [lo, hi].</summary>
    public double LowerIntercept(double s, double lo, double hi)
    {
        double c = Math.Min(GapDown(s, lo), GapDown(s, hi));
        if (lo < 0 && hi > 0) c = Math.Min(c, 0.0);
        return c;
    }

    /// <summary>Upper and lower bounds of g(t) − s·t.</summary>
    private double GapUp(double s, double t) => Rounding.AddUp(Rounding.MulUp(t, t >= 0 ? P : N), -Rounding.MulDown(t, s));
    private double GapDown(double s, double t) => Rounding.AddDown(Rounding.MulDown(t, t >= 0 ? P : N), -Rounding.MulUp(t, s));

    /// <summary>Sound enclosure of g over [lo, hi] (g is monotone when P, N ≥ 0).</summary>
    public Interval Range(double lo, double hi)
    {
        double s1 = lo >= 0 ? P : N, s2 = hi >= 0 ? P : N;
        double a = Math.Min(Rounding.MulDown(lo, s1), Rounding.MulDown(hi, s2));
        double b = Math.Max(Rounding.MulUp(lo, s1), Rounding.MulUp(hi, s2));
        if (lo < 0 && hi > 0) { a = Math.Min(a, 0); b = Math.Max(b, 0); }
        return new Interval(a, b);
    }

    /// <summary>
    /// Δh = g(z') − g(z) when both copies lie on one piece: Δz itself on the positive piece, N·Δz on the negative one;
    /// null when a copy may cross the kink.
    /// </summary>
    public Interval? StableDifference(in JointEnclosure e)
    {
        if (e.ZLo >= 0 && e.PLo >= 0) return new Interval(e.DLo, e.DHi);
        if (e.ZHi <= 0 && e.PHi <= 0)
            return N == 0 ? Interval.Zero : new Interval(Rounding.MulDown(e.DLo, N), Rounding.MulUp(e.DHi, N));
        return null;
    }

    /// <summary>
    /// Δh = g(z') − g(z) for copies that may cross the kink: the mean-value form Δh = s·Δz with s between N and P,
    /// intersected with the difference of the ranges <paramref name="hp"/> − <paramref name="h"/>.
    /// </summary>
    public Interval CrossingDifference(in JointEnclosure e, Interval h, Interval hp)
    {
        double m = Math.Min(P, N), M = Math.Max(P, N);
        var upper = new Kink(M, m); // upper envelope of s·Δz for s ∈ [m, M]
        var lower = new Kink(m, M);
        var dh = new Interval(lower.Range(e.DLo, e.DHi).Lo, upper.Range(e.DLo, e.DHi).Hi);
        return Interval.MeetEnclosures(dh, hp - h);
    }
}

/// <summary>Enclosures of one neuron's pre-activations in the joint pass: z (nominal), Δz = z' − z and z' (perturbed).</summary>
public readonly record struct JointEnclosure(double ZLo, double ZHi, double DLo, double DHi, double PLo, double PHi);
