using System.Globalization;

namespace Verify.Intervals;

/// <summary>
/// A closed interval [Lo, Hi] of real numbers with double endpoints. Every arithmetic operator rounds
/// outward, so the exact real result of the operation on any points of the operands lies inside.
/// </summary>
/// <remarks>
/// Intervals are non-empty subsets of the reals: Lo may be −∞ and Hi may be +∞, but never Lo = +∞ or
/// Hi = −∞, and never NaN; −0 is stored as +0. .NET cannot switch the FPU rounding mode, so each
/// endpoint is computed in round-to-nearest and corrected by <see cref="Rounding"/>'s directed operations,
/// which yield the tightest double on the outer side: every computed endpoint is at most one ulp from the
/// exact one, and equal to it when that is a double.
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

    /// <summary>The smallest double ≥ Hi − Lo.</summary>
    public double Width => Rounding.SubUp(Hi, Lo);

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
            return Math.Max(Rounding.SubUp(m, Lo), Rounding.SubUp(Hi, m));
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

    /// <summary>
    /// The intersection of two enclosures of the SAME quantity. Both contain its true value, so in exact arithmetic
    /// they meet; should separately rounded endpoints still cross, the hull of the crossing endpoints is returned
    /// rather than an empty set.
    /// </summary>
    public static Interval MeetEnclosures(Interval a, Interval b)
    {
        double lo = Math.Max(a.Lo, b.Lo), hi = Math.Min(a.Hi, b.Hi);
        return lo <= hi ? new Interval(lo, hi, true) : new Interval(hi, lo, true);
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

    // ---- Arithmetic. Every endpoint is the tightest double on its side (IEEE round toward ±∞, computed by
    // Rounding's error-free transformations), so an endpoint is exact whenever the exact endpoint is a double:
    // e.g. sums without rounding error, products by 0 or by powers of two (without underflow), x/±∞ = 0.

    public static Interval operator +(Interval a, Interval b) =>
        new(Rounding.AddDown(a.Lo, b.Lo), Rounding.AddUp(a.Hi, b.Hi), true);

    /// <summary>Adds a finite scalar (±∞ and NaN are rejected: they are not real numbers).</summary>
    public static Interval operator +(Interval a, double b) => a + Point(Finite(b));
    public static Interval operator +(double a, Interval b) => Point(Finite(a)) + b;

    public static Interval operator -(Interval a, Interval b) =>
        new(Rounding.SubDown(a.Lo, b.Hi), Rounding.SubUp(a.Hi, b.Lo), true);

    public static Interval operator -(Interval a, double b) => a - Point(Finite(b));
    public static Interval operator -(double a, Interval b) => Point(Finite(a)) - b;

    // Negation is exact.
    public static Interval operator -(Interval a) => new(-a.Hi, -a.Lo, true);

    /// <summary>Product, with 0·∞ = 0 (an infinite endpoint is a limit, never a member).</summary>
    public static Interval operator *(Interval a, Interval b)
    {
        if (a.Lo >= 0 && b.Lo >= 0)
            return new(Rounding.MulDown(a.Lo, b.Lo), Rounding.MulUp(a.Hi, b.Hi), true);
        // The extremes of x·y over a box are attained at corners; the tightest double below the smallest
        // exact corner product is the smallest of the corners' downward-rounded products (rounding is monotone).
        double lo = Math.Min(Math.Min(Rounding.MulDown(a.Lo, b.Lo), Rounding.MulDown(a.Lo, b.Hi)),
                             Math.Min(Rounding.MulDown(a.Hi, b.Lo), Rounding.MulDown(a.Hi, b.Hi)));
        double hi = Math.Max(Math.Max(Rounding.MulUp(a.Lo, b.Lo), Rounding.MulUp(a.Lo, b.Hi)),
                             Math.Max(Rounding.MulUp(a.Hi, b.Lo), Rounding.MulUp(a.Hi, b.Hi)));
        return new(lo, hi, true);
    }

    /// <summary>Multiplication by an exact finite scalar (exact for 0, ±1 and powers of two without underflow).</summary>
    public static Interval operator *(Interval a, double s)
    {
        Finite(s);
        if (s >= 0) return new(Rounding.MulDown(a.Lo, s), Rounding.MulUp(a.Hi, s), true);
        return new(Rounding.MulDown(a.Hi, s), Rounding.MulUp(a.Lo, s), true);
    }

    public static Interval operator *(double s, Interval a) => a * s;

    /// <summary>
    /// Division. A divisor that contains zero (even only as an endpoint) gives <see cref="Entire"/>: the
    /// quotient set is then unbounded or undefined, and we do not return the two-piece or half-line
    /// results of IEEE 1788. Otherwise endpoints follow the usual sign case table, with x/±∞ = 0.
    /// </summary>
    public static Interval operator /(Interval a, Interval b)
    {
        if (b.ContainsZero) return Entire;
        if (b.Lo > 0)
        {
            if (a.Lo >= 0) return new(Rounding.DivDown(a.Lo, b.Hi), Rounding.DivUp(a.Hi, b.Lo), true);
            if (a.Hi <= 0) return new(Rounding.DivDown(a.Lo, b.Lo), Rounding.DivUp(a.Hi, b.Hi), true);
            return new(Rounding.DivDown(a.Lo, b.Lo), Rounding.DivUp(a.Hi, b.Lo), true);
        }
        if (a.Lo >= 0) return new(Rounding.DivDown(a.Hi, b.Hi), Rounding.DivUp(a.Lo, b.Lo), true);
        if (a.Hi <= 0) return new(Rounding.DivDown(a.Hi, b.Lo), Rounding.DivUp(a.Lo, b.Hi), true);
        return new(Rounding.DivDown(a.Hi, b.Hi), Rounding.DivUp(a.Lo, b.Hi), true);
    }

    /// <summary>Division by a finite scalar; a zero divisor gives <see cref="Entire"/> as for intervals.</summary>
    public static Interval operator /(Interval a, double s) => a / Point(Finite(s));
    public static Interval operator /(double s, Interval a) => Point(Finite(s)) / a;

    /// <summary>{x² : x ∈ this}, tighter than this·this when the interval straddles zero.</summary>
    public Interval Square()
    {
        double mig = Mignitude, mag = Magnitude;
        return new(Rounding.MulDown(mig, mig), Rounding.MulUp(mag, mag), true);
    }

    /// <summary>Square root of the non-negative part; throws if the interval is entirely negative.</summary>
    public Interval Sqrt()
    {
        if (Hi < 0) throw new ArgumentException("Square root of a negative interval.");
        // Exact when the endpoints are squares of doubles (e.g. 0, 1, 4, 0.25).
        return new(Rounding.SqrtDown(Math.Max(Lo, 0.0)), Rounding.SqrtUp(Hi), true);
    }

    // abs, min, max, ReLU and negation only select or negate endpoints: exact, no rounding needed.
    public Interval Abs() => new(Mignitude, Magnitude, true);
    public static Interval Min(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi), true);
    public static Interval Max(Interval a, Interval b) => new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi), true);
    public Interval Relu() => new(Math.Max(Lo, 0.0), Math.Max(Hi, 0.0), true);

    /// <summary>
    /// Leaky ReLU x ↦ (x &gt; 0 ? x : a·x), the definition Network evaluation uses, for any finite slope a
    /// (for 0 ≤ a ≤ 1 it equals max(x, a·x); for a &gt; 1 or a &lt; 0 it does not, and neither is it monotone
    /// for a &lt; 0). The positive branch is exact; only a·x is rounded.
    /// </summary>
    public Interval LeakyRelu(double slope)
    {
        if (!double.IsFinite(slope)) throw new ArgumentException("Leaky ReLU slope must be a finite number.");
        // The function is continuous with f(0) = 0, so the range is the hull of the ranges of its two pieces.
        Interval? positive = Hi > 0 ? new Interval(Math.Max(Lo, 0.0), Hi, true) : null;
        Interval? negative = Lo <= 0 ? new Interval(Lo, Math.Min(Hi, 0.0), true) * slope : null;
        if (positive is null) return negative!.Value;
        if (negative is null) return positive.Value;
        return Hull(positive.Value, negative.Value);
    }

    /// <summary>[m − r, m + r] rounded outward, for finite m and r ≥ 0.</summary>
    public static Interval FromMidRadius(double midpoint, double radius)
    {
        if (!double.IsFinite(midpoint) || !(radius >= 0))
            throw new ArgumentException("Midpoint must be finite and radius non-negative.");
        return new(Rounding.SubDown(midpoint, radius), Rounding.AddUp(midpoint, radius), true);
    }

    private static double Finite(double s) =>
        double.IsFinite(s) ? s : throw new ArgumentException(FormattableString.Invariant($"Scalar operand must be finite, got {s}."));

    public bool Equals(Interval other) => Lo.Equals(other.Lo) && Hi.Equals(other.Hi);
    public override bool Equals(object? obj) => obj is Interval o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(Lo, Hi);
    public static bool operator ==(Interval a, Interval b) => a.Equals(b);
    public static bool operator !=(Interval a, Interval b) => !a.Equals(b);

    public override string ToString() =>
        "[" + Lo.ToString("R", CultureInfo.InvariantCulture) + ", " + Hi.ToString("R", CultureInfo.InvariantCulture) + "]";
}
