using System.Numerics;
using Verify.Intervals;

namespace Verify.Checker;

/// <summary>
/// An exact dyadic number M·2^E, for the backward passes, where every number is one (doubles, and sums and products of
/// them): adding aligns the exponents by a shift and multiplying adds them, with no common denominators and no
/// normalisation, which made a pass several times cheaper than the general <see cref="Rational"/>. Exact: nothing is
/// rounded.
/// </summary>
internal readonly struct Dyadic
{
    private readonly BigInteger _m;
    private readonly int _e;

    private Dyadic(BigInteger m, int e) { _m = m; _e = m.IsZero ? 0 : e; }

    public static readonly Dyadic Zero = default;

    /// <summary>The value of a rational whose denominator is a power of two (throws for any other: not dyadic).</summary>
    public static Dyadic Of(Rational r)
    {
        var den = r.Denominator;
        if (!den.IsPowerOfTwo) throw new InvalidOperationException("not a dyadic number");
        return new Dyadic(r.Numerator, -(int)(den.GetBitLength() - 1));
    }

    public static Dyadic Of(double d) => Of(Rational.FromDouble(d));

    public static Dyadic[] Of(Rational[] v) => Array.ConvertAll(v, Of);

    public int Sign => _m.Sign;
    public bool IsZero => _m.IsZero;

    public static Dyadic operator +(Dyadic a, Dyadic b)
    {
        if (a._m.IsZero) return b;
        if (b._m.IsZero) return a;
        return a._e <= b._e ? new Dyadic(a._m + (b._m << (b._e - a._e)), a._e) : new Dyadic((a._m << (a._e - b._e)) + b._m, b._e);
    }

    public static Dyadic operator -(Dyadic a) => new(-a._m, a._e);
    public static Dyadic operator -(Dyadic a, Dyadic b) => a + -b;
    public static Dyadic operator *(Dyadic a, Dyadic b) => a._m.IsZero || b._m.IsZero ? Zero : new Dyadic(a._m * b._m, a._e + b._e);

    public static Dyadic Max(Dyadic a, Dyadic b) => (a - b).Sign >= 0 ? a : b;

    /// <summary>A nearby double (for choosing a slope; never for a bound).</summary>
    public double ToDouble()
    {
        long shift = Math.Max(0, (long)_m.GetBitLength() - 62);
        return Math.ScaleB((double)(_m >> (int)shift), (int)Math.Clamp(_e + shift, int.MinValue / 2, int.MaxValue / 2));
    }

    public Rational ToRational() =>
        _e >= 0 ? new Rational(_m << _e, BigInteger.One) : new Rational(_m, BigInteger.One << -_e);
}
