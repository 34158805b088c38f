using System.Globalization;

namespace Verify.Intervals;

/// <summary>
/// A closed interval [Lo, Hi] of real numbers with double endpoints. Every arithmetic operator rounds
/// outward, so the exact real result of the operation on any points of the operands lies inside.
/// </summary>
/// <remarks>
/// Intervals are non-empty subsets of the reals: Lo may be −∞ and Hi may be +∞, but never Lo = +∞ or
/// Hi = −∞, and never NaN. .NET cannot switch the FPU rounding mode, so each endpoint is computed in
/// round-to-nearest and then stepped one ulp outward (<see cref="Rounding"/>): round-to-nearest is
/// within half an ulp of the exact value, so one step always encloses it.
/// </remarks>
public readonly struct Interval : IEquatable<Interval>
{
    public double Lo { get; }
    public double Hi { get; }

    public Interval(double lo, double hi)
    {
        if (double.IsNaN(lo) || double.IsNaN(hi))
            throw new ArgumentException("Interval endpoints must not be NaN.");
        if (lo > hi)
            throw new ArgumentException(FormattableString.Invariant($"Empty interval: lo {lo:R} > hi {hi:R}."));
        if (double.IsPositiveInfinity(lo) || double.IsNegativeInfinity(hi))
            throw new ArgumentException("An interval must contain a real number.");
        // Normalise −0 so that equality and hashing see one zero.
        Lo = lo == 0 ? 0.0 : lo;
        Hi = hi == 0 ? 0.0 : hi;
    }

    /// <summary>Constructs without validation; callers guarantee lo ≤ hi and no NaN.</summary>
    private Interval(double lo, double hi, bool _)
    {
        Lo = lo == 0 ? 0.0 : lo;
        Hi = hi == 0 ? 0.0 : hi;
    }

    internal static Interval Unchecked(double lo, double hi) => new(lo, hi, true);

    public static Interval Point(double x) => new(x, x);
    public static Interval Zero => new(0.0, 0.0, true);
    public static Interval Entire => new(double.NegativeInfinity, double.PositiveInfinity, true);

    /// <summary>The symmetric interval [−r, r].</summary>
    public static Interval Symmetric(double r)
    {
        if (!(r >= 0)) throw new ArgumentException("Radius must be non-negative.");
        return new Interval(-r, r, true);
    }

    public bool IsPoint => Lo == Hi;
    public bool IsBounded => double.IsFinite(Lo) && double.IsFinite(Hi);

    /// <summary>An upper bound on Hi − Lo.</summary>
    public double Width => Rounding.Up(Hi - Lo);

    /// <summary>A double inside the interval near its centre (finite whenever possible).</summary>
    public double Midpoint
    {
        get
        {
            if (double.IsNegativeInfinity(Lo)) return double.IsPositiveInfinity(Hi) ? 0.0 : -double.MaxValue;
            if (double.IsPositiveInfinity(Hi)) return double.MaxValue;
            double m = 0.5 * Lo + 0.5 * Hi; // no overflow; may round, so clamp into the interval
            return Math.Clamp(m, Lo, Hi);
        }
    }

    /// <summary>An upper bound on the half-width, such that [Midpoint ± Radius] contains the interval.</summary>
    public double Radius
    {
        get
        {
            double m = Midpoint;
            return Math.Max(Rounding.Up(m - Lo), Rounding.Up(Hi - m));
        }
    }

    /// <summary>max |x| over the interval (exact).</summary>
    public double Magnitude => Math.Max(Math.Abs(Lo), Math.Abs(Hi));

    /// <summary>min |x| over the interval (exact).</summary>
    public double Mignitude => Lo > 0 ? Lo : Hi < 0 ? -Hi : 0.0;

    public bool Contains(double x) => Lo <= x && x <= Hi;
    public bool Contains(Interval other) => Lo <= other.Lo && other.Hi <= Hi;
    public bool ContainsZero => Lo <= 0 && Hi >= 0;

    public static Interval Hull(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi), true);

    /// <summary>The intersection, or null when the intervals are disjoint.</summary>
    public static Interval? Intersect(Interval a, Interval b)
    {
        double lo = Math.Max(a.Lo, b.Lo), hi = Math.Min(a.Hi, b.Hi);
        return lo <= hi ? new Interval(lo, hi, true) : null;
    }

    // "Certainly" holds for every pair of points; "possibly" for at least one pair.
    public bool CertainlyLess(Interval o) => Hi < o.Lo;
    public bool CertainlyLessOrEqual(Interval o) => Hi <= o.Lo;
    public bool CertainlyGreater(Interval o) => Lo > o.Hi;
    public bool CertainlyGreaterOrEqual(Interval o) => Lo >= o.Hi;
    public bool PossiblyLess(Interval o) => Lo < o.Hi;
    public bool PossiblyLessOrEqual(Interval o) => Lo <= o.Hi;
    public bool PossiblyGreater(Interval o) => Hi > o.Lo;
    public bool PossiblyGreaterOrEqual(Interval o) => Hi >= o.Lo;
    public bool CertainlyPositive => Lo > 0;
    public bool CertainlyNegative => Hi < 0;

    public static Interval operator +(Interval a, Interval b) =>
        new(Rounding.Down(a.Lo + b.Lo), Rounding.Up(a.Hi + b.Hi), true);

    public static Interval operator +(Interval a, double b) => a + Point(b);

    public static Interval operator -(Interval a, Interval b) =>
        new(Rounding.Down(a.Lo - b.Hi), Rounding.Up(a.Hi - b.Lo), true);

    public static Interval operator -(Interval a, double b) => a - Point(b);

    // Negation is exact.
    public static Interval operator -(Interval a) => new(-a.Hi, -a.Lo, true);

    public static Interval operator *(Interval a, Interval b)
    {
        // Fast paths on signs avoid the four products and the 0·∞ cases in the common situations.
        if (a.Lo >= 0 && b.Lo >= 0)
            return new(Rounding.Down(Rounding.MulZero(a.Lo, b.Lo)), Rounding.Up(Rounding.MulZero(a.Hi, b.Hi)), true);
        double p1 = Rounding.MulZero(a.Lo, b.Lo), p2 = Rounding.MulZero(a.Lo, b.Hi);
        double p3 = Rounding.MulZero(a.Hi, b.Lo), p4 = Rounding.MulZero(a.Hi, b.Hi);
        double lo = Math.Min(Math.Min(p1, p2), Math.Min(p3, p4));
        double hi = Math.Max(Math.Max(p1, p2), Math.Max(p3, p4));
        return new(Rounding.Down(lo), Rounding.Up(hi), true);
    }

    /// <summary>Multiplication by an exact scalar.</summary>
    public static Interval operator *(Interval a, double s)
    {
        if (double.IsNaN(s)) throw new ArgumentException("Scalar must not be NaN.");
        if (s >= 0) return new(Rounding.Down(Rounding.MulZero(a.Lo, s)), Rounding.Up(Rounding.MulZero(a.Hi, s)), true);
        return new(Rounding.Down(Rounding.MulZero(a.Hi, s)), Rounding.Up(Rounding.MulZero(a.Lo, s)), true);
    }

    public static Interval operator *(double s, Interval a) => a * s;

    /// <summary>Division; a divisor containing zero gives the whole real line.</summary>
    public static Interval operator /(Interval a, Interval b)
    {
        if (b.ContainsZero) return Entire;
        double p1 = a.Lo / b.Lo, p2 = a.Lo / b.Hi, p3 = a.Hi / b.Lo, p4 = a.Hi / b.Hi;
        // ±∞/±∞ cannot occur: b is bounded away from zero and finite endpoints of b are nonzero; b may be
        // unbounded, and x/∞ = 0 is the correct limit for the infimum/supremum.
        double lo = Math.Min(Math.Min(p1, p2), Math.Min(p3, p4));
        double hi = Math.Max(Math.Max(p1, p2), Math.Max(p3, p4));
        if (double.IsNaN(lo) || double.IsNaN(hi)) return Entire;
        return new(Rounding.Down(lo), Rounding.Up(hi), true);
    }

    public Interval Square()
    {
        double mig = Mignitude, mag = Magnitude;
        return new(Rounding.Down(mig * mig), Rounding.Up(mag * mag), true);
    }

    /// <summary>Square root of the non-negative part; throws if the interval is entirely negative.</summary>
    public Interval Sqrt()
    {
        if (Hi < 0) throw new ArgumentException("Square root of a negative interval.");
        double lo = Math.Max(Lo, 0.0);
        // Math.Sqrt is correctly rounded (IEEE 754), so one step outward suffices.
        return new(Math.Max(0.0, Rounding.Down(Math.Sqrt(lo))), Rounding.Up(Math.Sqrt(Hi)), true);
    }

    // abs, min, max, ReLU and negation only select or negate endpoints: exact, no rounding needed.
    public Interval Abs() => new(Mignitude, Magnitude, true);
    public static Interval Min(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi), true);
    public static Interval Max(Interval a, Interval b) => new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi), true);
    public Interval Relu() => new(Math.Max(Lo, 0.0), Math.Max(Hi, 0.0), true);

    /// <summary>Leaky ReLU x ↦ max(x, a·x) for a slope 0 ≤ a ≤ 1 (the product a·x is rounded outward).</summary>
    public Interval LeakyRelu(double slope)
    {
        if (!(slope >= 0)) throw new ArgumentException("Leaky ReLU slope must be non-negative.");
        double lo = Lo >= 0 ? Lo : Rounding.Down(Lo * slope);
        double hi = Hi >= 0 ? Hi : Rounding.Up(Hi * slope);
        if (slope > 1)
        {
            // max(x, a x) with a > 1 is a·x for x > 0 and x for x < 0.
            lo = Lo >= 0 ? Rounding.Down(Lo * slope) : Lo;
            hi = Hi >= 0 ? Rounding.Up(Hi * slope) : Hi;
        }
        return new(lo, hi, true);
    }

    public bool Equals(Interval other) => Lo.Equals(other.Lo) && Hi.Equals(other.Hi);
    public override bool Equals(object? obj) => obj is Interval o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(Lo, Hi);
    public static bool operator ==(Interval a, Interval b) => a.Equals(b);
    public static bool operator !=(Interval a, Interval b) => !a.Equals(b);

    public override string ToString() =>
        "[" + Lo.ToString("R", CultureInfo.InvariantCulture) + ", " + Hi.ToString("R", CultureInfo.InvariantCulture) + "]";
}
