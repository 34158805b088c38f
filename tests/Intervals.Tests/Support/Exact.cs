namespace Verify.Intervals.Tests.Support;

/// <summary>The exact oracle: rational membership and the tightest double enclosure of exact values.</summary>
public static class Exact
{
    public static Rational Q(double d) => Rational.FromDouble(d);

    public static bool Contains(Interval iv, Rational r) =>
        (double.IsNegativeInfinity(iv.Lo) || Q(iv.Lo) <= r) && (double.IsPositiveInfinity(iv.Hi) || r <= Q(iv.Hi));

    /// <summary>The largest double ≤ r (−∞ below −MaxValue).</summary>
    public static double Down(Rational r) => r.ToInterval().Lo;

    /// <summary>The smallest double ≥ r (+∞ above MaxValue).</summary>
    public static double Up(Rational r) => r.ToInterval().Hi;

    /// <summary>The tightest interval with double endpoints around [min, max] of the values.</summary>
    public static Interval Hull(params Rational[] values)
    {
        Rational lo = values[0], hi = values[0];
        foreach (var v in values) { lo = Rational.Min(lo, v); hi = Rational.Max(hi, v); }
        return new Interval(Down(lo), Up(hi));
    }

    /// <summary>The gap between |x| and the next double up, as a rational (ulp(MaxValue) for ∞).</summary>
    public static Rational Ulp(double x)
    {
        double a = Math.Abs(x);
        if (!double.IsFinite(Math.BitIncrement(a))) return Q(double.MaxValue) - Q(Math.BitDecrement(double.MaxValue));
        return Q(Math.BitIncrement(a)) - Q(a);
    }

    public static string Show(Interval iv) => iv.ToString();
}
