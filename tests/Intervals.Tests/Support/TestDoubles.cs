using CsCheck;

namespace Verify.Intervals.Tests.Support;

/// <summary>
/// Deterministic generators of awkward doubles and intervals: ±0, subnormals, the normal/subnormal
/// boundary, huge and tiny magnitudes, values near overflow, arbitrary bit patterns and infinite endpoints.
/// </summary>
public static class TestDoubles
{
    public const double Tiny = double.Epsilon;               // 2^-1074
    public const double MinNormal = 2.2250738585072014E-308;
    public const double Big = double.MaxValue;

    private static readonly double[] Specials =
    [
        0.0, -0.0, Tiny, -Tiny, 2 * Tiny, MinNormal, -MinNormal, MinNormal - Tiny, Big, -Big, 1, -1, 0.5, 2, 3, -3,
        0.1, -0.1, 1.0 / 3, 1e-300, -1e300, 1e300, 1e154, 1e-154, Math.BitDecrement(1.0), Math.BitIncrement(1.0),
    ];

    /// <summary>A mix of finite doubles across the whole range, biased towards edge cases.</summary>
    public static readonly Gen<double> Finite = Gen.Int[0, 9].SelectMany(kind => kind switch
    {
        0 => Gen.Int[0, Specials.Length - 1].Select(i => Specials[i]),
        1 => Gen.Long.Select(bits => FiniteOrZero(BitConverter.Int64BitsToDouble(bits))),        // any magnitude
        2 => Gen.Long[0, (1L << 52) - 1].Select(m => BitConverter.Int64BitsToDouble(m)),           // subnormals
        3 => Gen.Long[0, (1L << 52) - 1].Select(m => -BitConverter.Int64BitsToDouble(m)),
        4 => Gen.Double[0.5, 1.0].Select(f => f * Big * (f > 0.75 ? 1 : -1)),                    // near overflow
        5 => Gen.Int[-800, 800].Select(i => i / 8.0),                                            // exact small values
        6 => Gen.Double[-10, 10],
        7 => Gen.Int[-1074, 1023].Select(e => Math.ScaleB(1.0, e)),                              // powers of two
        8 => Gen.Double[-1, 1].Select(f => f * 1e-300),
        _ => Gen.Double[-1e6, 1e6],
    });

    private static double FiniteOrZero(double d) => double.IsFinite(d) ? d : 0.0;

    /// <summary>An interval, sometimes a point, sometimes a few ulps wide, sometimes with infinite endpoints.</summary>
    public static Gen<Interval> IntervalGen(bool allowInfinite) =>
        Gen.Select(Finite, Finite, Gen.Int[0, 11], Gen.Int[1, 4], (a, b, shape, ulps) =>
        {
            double lo = Math.Min(a, b), hi = Math.Max(a, b);
            switch (shape)
            {
                case 0: return Interval.Point(a);
                case 1:
                    double h = a;
                    for (int k = 0; k < ulps; k++) h = Math.BitIncrement(h);
                    return new Interval(a, double.IsFinite(h) ? h : a);
                case 2 when allowInfinite: return new Interval(double.NegativeInfinity, hi);
                case 3 when allowInfinite: return new Interval(lo, double.PositiveInfinity);
                case 4 when allowInfinite: return Interval.Entire;
                default: return new Interval(lo, hi);
            }
        });

    /// <summary>A finite point of the interval: an endpoint, zero, or a random double in between.</summary>
    public static double PointIn(Interval iv, PCG pcg)
    {
        double lo = double.IsNegativeInfinity(iv.Lo) ? -Big : iv.Lo;
        double hi = double.IsPositiveInfinity(iv.Hi) ? Big : iv.Hi;
        switch (pcg.Next(6))
        {
            case 0: return lo;
            case 1: return hi;
            case 2 when iv.ContainsZero: return pcg.Next(2) == 0 ? 0.0 : -0.0;
            case 3:
                // Near the bottom in value (the bit walk below is biased to large magnitudes).
                double near = double.IsNegativeInfinity(iv.Lo) ? -Math.ScaleB(1.0, (int)pcg.Next(1000)) : lo * (1 + pcg.Next(4) * 1e-16);
                return Math.Clamp(double.IsFinite(near) ? near : lo, lo, hi);
            default:
                long a = OrderedKey(lo), b = OrderedKey(hi);
                ulong span = (ulong)(b - a);
                long k = a + (long)(span == ulong.MaxValue ? pcg.Next64() : pcg.Next64(span + 1));
                return FromOrderedKey(k);
        }
    }

    /// <summary>A monotone map from doubles to longs (adjacent doubles map to adjacent keys; ±0 share one).</summary>
    public static long OrderedKey(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        return bits >= 0 ? bits : -(bits & long.MaxValue);
    }

    public static double FromOrderedKey(long k) =>
        k >= 0 ? BitConverter.Int64BitsToDouble(k) : -BitConverter.Int64BitsToDouble(-k);

    public static bool Long => Environment.GetEnvironmentVariable("VERIFY_LONG") == "1";

    /// <summary>Iterations: the default count, or 50× that under VERIFY_LONG=1.</summary>
    public static int Iterations(int normal) => Long ? normal * 50 : normal;

    /// <summary>Runs <paramref name="chunks"/> deterministic chunks in parallel, each with its own seeded PCG.</summary>
    public static void Chunked(int chunks, int perChunk, ulong seed, Action<PCG, int> body)
    {
        Parallel.For(0, chunks, c =>
        {
            var pcg = new PCG((uint)(c + 1), seed);
            for (int i = 0; i < perChunk; i++) body(pcg, i);
        });
    }
}
