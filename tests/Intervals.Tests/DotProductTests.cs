using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// Fused dot products: containment of the exact rational result and the stated tightness bound
/// |endpoint − Σ a_i b_i| ≤ 2.0625·N·u·Σ|a_i b_i| + 2 ulp + (4N + 4)·η (u = 2^-53, η = 2^-1074).
/// </summary>
public class DotProductTests
{
    private static readonly Rational U = Rational.Parse("1/9007199254740992"); // 2^-53
    private static readonly Rational Eta = Q(double.Epsilon);

    /// <summary>Vectors of one magnitude class each, so that cancellation and underflow both occur.</summary>
    private static readonly Gen<double[]> Vector = Gen.Int[0, 3].SelectMany(kind => Gen.Int[0, 40].SelectMany(n => kind switch
    {
        0 => Gen.Double[-1, 1].Array[n],
        1 => Gen.Int[-64, 64].Select(i => i / 16.0).Array[n],
        2 => Gen.Double[-1, 1].Select(f => f * 1e-160).Array[n],           // products underflow
        _ => TestDoubles.Finite.Select(f => Math.Abs(f) > 1e150 ? f * 1e-160 : f).Array[n],
    }));

    [Test]
    public void DotBoundsEncloseTheExactSumAndAreTight()
    {
        int checkedCount = 0;
        TestDoubles.Chunked(4, TestDoubles.Iterations(1_500), 0xD07, (pcg, _) =>
        {
            var a = Vector.Generate(pcg, null!, out Size _);
            var b = Vector.Generate(pcg, null!, out Size _);
            if (pcg.Next(2) == 0 && a.Length > 0) b = Enumerable.Range(0, a.Length).Select(_ => a[pcg.Next((uint)a.Length)] * (pcg.Next(2) == 0 ? 1 : -3)).ToArray();
            int n = Math.Min(a.Length, b.Length);
            a = a[..n]; b = b[..n];
            Rational c = Rational.Zero, s = Rational.Zero;
            for (int i = 0; i < n; i++) { var t = Q(a[i]) * Q(b[i]); c += t; s += Rational.Abs(t); }
            double lo = IntervalMath.DotLower(a, b), hi = IntervalMath.DotUpper(a, b);
            Assert.That(Contains(new Interval(lo, hi), c), $"dot of {n} terms: exact {c.ToDouble():R} not in [{lo:R}, {hi:R}]");
            var slack = Slack(n, s, c);
            Assert.That(c - Q(lo) <= slack && Q(hi) - c <= slack,
                $"dot of {n} terms too wide: [{lo:R}, {hi:R}] around {c.ToDouble():R}, slack {slack.ToDouble():R}");
            Interlocked.Increment(ref checkedCount);
        });
        Assert.That(checkedCount, Is.GreaterThanOrEqualTo(6_000));
    }

    /// <summary>2.0625·N·u·S + 2 ulp(|C| + 3NuS) + (4N + 4)η.</summary>
    internal static Rational Slack(int n, Rational s, Rational c)
    {
        Rational nus = n * U * s;
        double scale = (Rational.Abs(c) + 3 * nus).ToDouble();
        return Rational.Parse("33/16") * nus + 2 * Ulp(scale) + (4 * n + 4) * Eta;
    }

    [Test]
    public void EmptyAndExactDotsAreExact()
    {
        Assert.That(IntervalMath.DotUpper([], []), Is.EqualTo(0.0));
        Assert.That(IntervalMath.Dot([2.0], [3.0]).Contains(6.0));
        // Cancellation: 1e16 + 1 − 1e16 = 1 exactly; the enclosure must contain 1 though fl gives 0 or 2.
        double[] a = [1e16, 1, -1e16], b = [1, 1, 1];
        Assert.That(IntervalMath.Dot(a, b).Contains(1.0));
    }

    [Test]
    public void OverflowGivesInfiniteBoundsAndNaNIsRejected()
    {
        double[] a = [double.MaxValue, double.MaxValue], b = [2, 2];
        Assert.That(IntervalMath.DotUpper(a, b), Is.EqualTo(double.PositiveInfinity));
        Assert.That(IntervalMath.DotLower(a, b), Is.EqualTo(double.NegativeInfinity));
        Assert.Throws<ArgumentException>(() => IntervalMath.DotUpper([double.NaN], [1.0]));
        Assert.Throws<ArgumentException>(() => IntervalMath.DotUpper([1.0], [1.0, 2.0]));
    }

    [Test]
    public void IntervalDotProductsEncloseAndAreTight()
    {
        var gen = Gen.Select(Gen.Int[0, 12], Gen.Int[0, int.MaxValue]);
        TestDoubles.Chunked(2, TestDoubles.Iterations(1_000), 0x1D07, (pcg, _) =>
        {
            int n = (int)pcg.Next(13);
            var a = new Interval[n]; var x = new Interval[n]; var p = new double[n];
            var g = TestDoubles.IntervalGen(false);
            for (int i = 0; i < n; i++)
            {
                a[i] = Clip(g.Generate(pcg, null!, out Size _));
                x[i] = Clip(g.Generate(pcg, null!, out Size _));
                p[i] = a[i].Midpoint;
            }
            // Exact hulls: the sum is separable, so its hull is the sum of the exact product hulls.
            Rational lo = Rational.Zero, hi = Rational.Zero, t = Rational.Zero, plo = Rational.Zero, phi = Rational.Zero;
            for (int i = 0; i < n; i++)
            {
                Rational[] corners = [Q(a[i].Lo) * Q(x[i].Lo), Q(a[i].Lo) * Q(x[i].Hi), Q(a[i].Hi) * Q(x[i].Lo), Q(a[i].Hi) * Q(x[i].Hi)];
                lo += corners.Min(); hi += corners.Max();
                t += Q(a[i].Magnitude) * Q(x[i].Magnitude);
                Rational u1 = Q(p[i]) * Q(x[i].Lo), u2 = Q(p[i]) * Q(x[i].Hi);
                plo += Rational.Min(u1, u2); phi += Rational.Max(u1, u2);
            }
            var tight = IntervalMath.Dot(a, x);
            Encloses(tight, lo, hi, "interval·interval (directed)");
            Rational tightSlack = (2 * n + 2) * U * t + (2 * n + 2) * Eta;
            Assert.That(lo - Q(tight.Lo) <= tightSlack && Q(tight.Hi) - hi <= tightSlack, $"directed dot too wide: {tight}");

            var mr = IntervalMath.DotMidRad(a, x);
            Encloses(mr, lo, hi, "interval·interval (mid-rad)");
            // Midpoint-radius conversion of subnormal endpoints is only accurate to about η each.
            Rational conversion = Rational.Zero;
            for (int i = 0; i < n; i++) conversion += 4 * Eta * (Q(a[i].Magnitude) + Q(x[i].Magnitude));
            Rational mrSlack = Slack(2 * n, t, Rational.Max(Rational.Abs(lo), Rational.Abs(hi))) + 8 * U * t + conversion;
            Assert.That(Q(mr.Hi) - Q(mr.Lo) <= Rational.Parse("1.5") * (hi - lo) + 2 * mrSlack, $"mid-rad dot wider than 1.5× the hull: {mr} vs [{lo.ToDouble()}, {hi.ToDouble()}]");

            var px = IntervalMath.Dot(p, x);
            Encloses(px, plo, phi, "point·interval");
        });
    }

    /// <summary>Keeps magnitudes where the products cannot overflow, so the tightness bounds are meaningful.</summary>
    internal static Interval Clip(Interval iv) =>
        new(Math.Clamp(iv.Lo, -1e150, 1e150), Math.Clamp(iv.Hi, -1e150, 1e150));

    internal static void Encloses(Interval computed, Rational lo, Rational hi, string what)
    {
        if (!(Contains(computed, lo) && Contains(computed, hi)))
            Assert.Fail($"{what}: {computed} does not contain the exact hull [{lo.ToDouble():R}, {hi.ToDouble():R}]");
    }
}
