namespace Verify.Sensitivity;

/// <summary>
/// xoshiro256** with SplitMix64 seeding: fast, small, and reproducible across runs and platforms, which
/// <see cref="Random"/> with a seed is not guaranteed to be. A stream is derived from (seed, a, b) so that each
/// Monte Carlo chunk has its own generator and results do not depend on how threads pick chunks.
/// Normals by the ziggurat method (Doornik's ZIGNOR, 128 layers); gamma by Marsaglia–Tsang.
/// </summary>
public struct Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed, ulong streamA = 0, ulong streamB = 0)
    {
        ulong sm = seed ^ (streamA * 0x9E3779B97F4A7C15UL) ^ (streamB * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref sm); _s1 = SplitMix(ref sm); _s2 = SplitMix(ref sm); _s3 = SplitMix(ref sm);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1], safe for logarithms.</summary>
    private double NextOpenDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [−1, 1).</summary>
    public double NextSigned() => (long)NextUInt64() * (1.0 / (1UL << 63));

    public double NextNormal()
    {
        var x = Zig.X; var r = Zig.R;
        while (true)
        {
            ulong bits = NextUInt64();
            int i = (int)(bits & 0x7F);
            double u = (long)(bits & ~0x3FFUL) * (1.0 / (1UL << 63)); // [−1, 1); low bits (used for i) masked out
            if (Math.Abs(u) < r[i]) return u * x[i];
            if (i == 0) return Tail(u < 0);
            double xx = u * x[i];
            double f0 = Math.Exp(-0.5 * (x[i] * x[i] - xx * xx));
            double f1 = Math.Exp(-0.5 * (x[i + 1] * x[i + 1] - xx * xx));
            if (f1 + NextDouble() * (f0 - f1) < 1.0) return xx;
        }
    }

    private double Tail(bool negative)
    {
        double xx, yy;
        do
        {
            xx = Math.Log(NextOpenDouble()) / Zig.Edge;
            yy = Math.Log(NextOpenDouble());
        } while (-2 * yy < xx * xx);
        return negative ? xx - Zig.Edge : Zig.Edge - xx;
    }

    /// <summary>Chi-square with k degrees of freedom (k ≥ 0): 2·Gamma(k/2).</summary>
    public double NextChiSquare(long k) => k <= 0 ? 0.0 : 2.0 * NextGamma(0.5 * k);

    /// <summary>Gamma(shape, 1) by Marsaglia–Tsang; shape &lt; 1 through the U^{1/a} boost.</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1)
        {
            double g = NextGamma(shape + 1);
            return g * Math.Pow(NextOpenDouble(), 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double xx = NextNormal();
            double v = 1 + c * xx;
            if (v <= 0) continue;
            v = v * v * v;
            double u = NextOpenDouble();
            if (u < 1 - 0.0331 * xx * xx * xx * xx) return d * v;
            if (Math.Log(u) < 0.5 * xx * xx + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Ziggurat tables, computed once.</summary>
    private static class Zig
    {
        public const double Edge = 3.442619855899;
        private const double Area = 9.91256303526217e-3;
        public static readonly double[] X = new double[129];
        public static readonly double[] R = new double[128];

        static Zig()
        {
            double f = Math.Exp(-0.5 * Edge * Edge);
            X[0] = Area / f;
            X[1] = Edge;
            X[128] = 0;
            for (int i = 2; i < 128; i++)
            {
                X[i] = Math.Sqrt(-2 * Math.Log(Area / X[i - 1] + f));
                f = Math.Exp(-0.5 * X[i] * X[i]);
            }
            for (int i = 0; i < 128; i++) R[i] = X[i + 1] / X[i];
        }
    }
}
