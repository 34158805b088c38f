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
        if (denominator.IsPowerOfTwo && !numerator.IsZero)
        {
            // Dyadic numbers (every double, and sums and products of doubles) reduce by a shift, far
            // cheaper than a GCD of thousand-bit integers.
            long shift = Math.Min((long)BigInteger.TrailingZeroCount(numerator), (long)denominator.GetBitLength() - 1);
            if (shift > 0) { numerator >>= (int)shift; denominator >>= (int)shift; }
        }
        else
        {
            var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
            if (!g.IsOne && !g.IsZero) { numerator /= g; denominator /= g; }
        }
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

    public int CompareTo(Rational other)
    {
        int sa = _num.Sign, sb = other._num.Sign;
        if (sa != sb) return sa.CompareTo(sb);
        return (_num * other.Denominator).CompareTo(other._num * Denominator);
    }

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

    /// <summary>The nearest double, ties to even (IEEE round-to-nearest); ±∞ beyond the overflow threshold.</summary>
    public double ToDouble()
    {
        var iv = ToInterval();
        if (iv.IsPoint) return iv.Lo;
        if (double.IsInfinity(iv.Lo) || double.IsInfinity(iv.Hi))
        {
            // Beyond ±MaxValue: IEEE overflows to ∞ from MaxValue + ulp(MaxValue)/2 = MaxValue + 2^970 on.
            var threshold = FromDouble(double.MaxValue) + new Rational(BigInteger.One << 970, BigInteger.One);
            return Abs(this) >= threshold ? (Sign > 0 ? double.PositiveInfinity : double.NegativeInfinity)
                                          : (Sign > 0 ? double.MaxValue : -double.MaxValue);
        }
        int c = (this - FromDouble(iv.Lo)).CompareTo(FromDouble(iv.Hi) - this);
        if (c < 0) return iv.Lo;
        if (c > 0) return iv.Hi;
        return (BitConverter.DoubleToInt64Bits(iv.Lo) & 1) == 0 ? iv.Lo : iv.Hi;
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

    /// <summary>Decimal exponents beyond this are rejected: they would allocate huge powers of ten.</summary>
    public const int MaxDecimalExponent = 100_000;

    /// <summary>
    /// Parses exactly: an integer ("-12"), a decimal with optional exponent ("0.1", "-.5", "1.25e-3", "7E+2"),
    /// or a quotient of two such numbers ("1/3", "0.5/3"). Throws <see cref="FormatException"/> otherwise
    /// (including a zero denominator, "inf" and "nan").
    /// </summary>
    public static Rational Parse(string s) =>
        TryParse(s, out var r) ? r : throw new FormatException($"'{s}' is not a rational number (expected p/q or a decimal literal).");

    public static bool TryParse(string? s, out Rational value)
    {
        value = Zero;
        if (s is null) return false;
        s = s.Trim();
        int slash = s.IndexOf('/');
        if (slash < 0) return TryParseDecimal(s, out value);
        if (!TryParseDecimal(s[..slash].Trim(), out var p) || !TryParseDecimal(s[(slash + 1)..].Trim(), out var q) || q.IsZero)
            return false;
        value = p / q;
        return true;
    }

    private static bool TryParseDecimal(string s, out Rational value)
    {
        value = Zero;
        int ePos = s.IndexOfAny(['e', 'E']);
        int exp10 = 0;
        string mant = s;
        if (ePos >= 0)
        {
            if (!int.TryParse(s.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exp10)) return false;
            mant = s[..ePos];
        }
        int dot = mant.IndexOf('.');
        if (dot >= 0)
        {
            int fraction = mant.Length - dot - 1;
            mant = mant.Remove(dot, 1);
            if (fraction > MaxDecimalExponent) return false;
            exp10 -= fraction;
        }
        if (mant.Length == 0 || mant is "+" or "-" || Math.Abs((long)exp10) > MaxDecimalExponent) return false;
        if (!BigInteger.TryParse(mant, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m)) return false;
        value = exp10 >= 0 ? new Rational(m * BigInteger.Pow(10, exp10), BigInteger.One)
                           : new Rational(m, BigInteger.Pow(10, -exp10));
        return true;
    }

    /// <summary>This number raised to an integer power (0^0 = 1; a negative power of 0 throws).</summary>
    public Rational Pow(int exponent)
    {
        if (exponent == 0) return One;
        if (exponent < 0)
        {
            if (IsZero) throw new DivideByZeroException("Zero raised to a negative power.");
            return Reciprocal().Pow(-(long)exponent > int.MaxValue ? throw new OverflowException() : -exponent);
        }
        return new Rational(BigInteger.Pow(_num, exponent), BigInteger.Pow(Denominator, exponent), true);
    }

    public static Rational Pow(Rational x, int exponent) => x.Pow(exponent);

    /// <summary>1/x (throws for 0).</summary>
    public Rational Reciprocal()
    {
        if (IsZero) throw new DivideByZeroException("Reciprocal of zero.");
        return _num.Sign > 0 ? new Rational(Denominator, _num, true) : new Rational(-Denominator, -_num, true);
    }

    public bool IsInteger => Denominator.IsOne;

    /// <summary>The largest integer ≤ x.</summary>
    public static BigInteger Floor(Rational x)
    {
        var q = BigInteger.DivRem(x._num, x.Denominator, out var rem);
        return rem.Sign < 0 ? q - 1 : q;
    }

    /// <summary>The smallest integer ≥ x.</summary>
    public static BigInteger Ceiling(Rational x)
    {
        var q = BigInteger.DivRem(x._num, x.Denominator, out var rem);
        return rem.Sign > 0 ? q + 1 : q;
    }

    public override string ToString() =>
        Denominator.IsOne ? _num.ToString(CultureInfo.InvariantCulture)
                          : _num.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);
}
