using System.Globalization;
using System.Numerics;

namespace Verify.Intervals;

/// <summary>
/// An exact rational number p/q with BigInteger numerator and positive denominator, always in lowest
/// terms. It is the oracle against which every floating-point bound and witness is checked.
/// </summary>
public readonly struct Rational : IComparable<Rational>, IEquatable<Rational>
{
    private readonly BigInteger _num;
    private readonly BigInteger _den; // 0 only in default(Rational), which we read as 0/1

    public BigInteger Numerator => _num;
    public BigInteger Denominator => _den.IsZero ? BigInteger.One : _den;

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("Rational with zero denominator.");
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!g.IsOne && !g.IsZero) { numerator /= g; denominator /= g; }
        _num = numerator;
        _den = numerator.IsZero ? BigInteger.One : denominator;
    }

    private Rational(BigInteger num, BigInteger den, bool _) { _num = num; _den = den; }

    public static Rational Zero => new(BigInteger.Zero, BigInteger.One, true);
    public static Rational One => new(BigInteger.One, BigInteger.One, true);

    public static implicit operator Rational(long n) => new(n, BigInteger.One, true);
    public static implicit operator Rational(BigInteger n) => new(n, BigInteger.One, true);

    /// <summary>The exact value of a finite double, read from its bits (no decimal round trip).</summary>
    public static Rational FromDouble(double d)
    {
        if (!double.IsFinite(d)) throw new ArgumentException($"Cannot convert {d} to a rational.");
        long bits = BitConverter.DoubleToInt64Bits(d);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; // subnormal: no implicit bit
        else mantissa |= 1L << 52;
        if (mantissa == 0) return Zero;
        int e = exponent - 1075; // value = mantissa · 2^e
        int tz = BitOperations.TrailingZeroCount(mantissa);
        mantissa >>= tz; e += tz;
        BigInteger m = negative ? -(BigInteger)mantissa : mantissa;
        return e >= 0 ? new Rational(m << e, BigInteger.One, true) : new Rational(m, BigInteger.One << -e, true);
    }

    public int Sign => _num.Sign;
    public bool IsZero => _num.IsZero;

    public static Rational operator +(Rational a, Rational b) =>
        new(a._num * b.Denominator + b._num * a.Denominator, a.Denominator * b.Denominator);
    public static Rational operator -(Rational a, Rational b) =>
        new(a._num * b.Denominator - b._num * a.Denominator, a.Denominator * b.Denominator);
    public static Rational operator -(Rational a) => new(-a._num, a.Denominator, true);
    public static Rational operator *(Rational a, Rational b) =>
        a.IsZero || b.IsZero ? Zero : new(a._num * b._num, a.Denominator * b.Denominator);
    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero) throw new DivideByZeroException("Rational division by zero.");
        return new(a._num * b.Denominator, a.Denominator * b._num);
    }

    public static Rational Abs(Rational a) => a.Sign < 0 ? -a : a;
    public static Rational Max(Rational a, Rational b) => a.CompareTo(b) >= 0 ? a : b;
    public static Rational Min(Rational a, Rational b) => a.CompareTo(b) <= 0 ? a : b;

    public int CompareTo(Rational other) =>
        (_num * other.Denominator).CompareTo(other._num * Denominator);

    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public bool Equals(Rational other) => _num == other._num && Denominator == other.Denominator;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(_num, Denominator);

    /// <summary>A double within a few ulps of the value (not necessarily the nearest); ±∞ beyond range.</summary>
    private double Approximate()
    {
        if (IsZero) return 0.0;
        BigInteger n = BigInteger.Abs(_num), d = Denominator;
        long shift = (long)d.GetBitLength() - (long)n.GetBitLength() + 64;
        BigInteger q = shift >= 0 ? (n << (int)shift) / d : (n >> (int)-shift) / d;
        double v = Math.ScaleB((double)q, (int)-shift);
        return _num.Sign < 0 ? -v : v;
    }

    /// <summary>The nearest double (ties to even is not guaranteed; within one ulp, exact when representable).</summary>
    public double ToDouble()
    {
        var iv = ToInterval();
        if (iv.IsPoint) return iv.Lo;
        // Pick the closer endpoint.
        var dl = this - FromDouble(FiniteOr(iv.Lo));
        var dh = FromDouble(FiniteOr(iv.Hi)) - this;
        return dl <= dh ? iv.Lo : iv.Hi;
    }

    private static double FiniteOr(double x) => double.IsFinite(x) ? x : Math.CopySign(double.MaxValue, x);

    /// <summary>The tightest interval with double endpoints that contains this number.</summary>
    public Interval ToInterval()
    {
        double a = Approximate();
        if (double.IsPositiveInfinity(a)) a = double.MaxValue;
        if (double.IsNegativeInfinity(a)) a = -double.MaxValue;
        var ra = FromDouble(a);
        int c = CompareTo(ra);
        if (c == 0) return Interval.Point(a);
        if (c > 0)
        {
            // Walk up until the next double is ≥ this.
            while (true)
            {
                double next = Math.BitIncrement(a);
                if (double.IsPositiveInfinity(next)) return Interval.Unchecked(a, next);
                int cn = CompareTo(FromDouble(next));
                if (cn == 0) return Interval.Point(next);
                if (cn < 0) return Interval.Unchecked(a, next);
                a = next;
            }
        }
        while (true)
        {
            double prev = Math.BitDecrement(a);
            if (double.IsNegativeInfinity(prev)) return Interval.Unchecked(prev, a);
            int cp = CompareTo(FromDouble(prev));
            if (cp == 0) return Interval.Point(prev);
            if (cp > 0) return Interval.Unchecked(prev, a);
            a = prev;
        }
    }

    /// <summary>Parses "p/q", an integer, or a decimal/exponent literal exactly.</summary>
    public static Rational Parse(string s)
    {
        s = s.Trim();
        int slash = s.IndexOf('/');
        if (slash >= 0)
            return new Rational(BigInteger.Parse(s[..slash], CultureInfo.InvariantCulture),
                                BigInteger.Parse(s[(slash + 1)..], CultureInfo.InvariantCulture));
        int ePos = s.IndexOfAny(['e', 'E']);
        int exp10 = 0;
        string mant = s;
        if (ePos >= 0) { exp10 = int.Parse(s[(ePos + 1)..], CultureInfo.InvariantCulture); mant = s[..ePos]; }
        int dot = mant.IndexOf('.');
        if (dot >= 0) { exp10 -= mant.Length - dot - 1; mant = mant.Remove(dot, 1); }
        var m = BigInteger.Parse(mant, CultureInfo.InvariantCulture);
        return exp10 >= 0 ? new Rational(m * BigInteger.Pow(10, exp10), BigInteger.One)
                          : new Rational(m, BigInteger.Pow(10, -exp10));
    }

    public override string ToString() =>
        Denominator.IsOne ? _num.ToString(CultureInfo.InvariantCulture)
                          : _num.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);
}
