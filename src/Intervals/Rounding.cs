namespace Verify.Intervals;

/// <summary>
/// The one place where outward rounding happens. .NET cannot switch the FPU rounding mode, so every
/// directed result is derived from a round-to-nearest (RN) result.
/// </summary>
/// <remarks>
/// Two tools are offered:
/// <list type="bullet">
/// <item><see cref="Down"/>/<see cref="Up"/> step one ulp outward. An RN result lies within half an ulp
/// of the exact value, so the neighbouring double is always a valid bound. They are cheap but always
/// lose one ulp, even when the RN result was exact.</item>
/// <item>The directed operations (<see cref="AddDown"/>, <see cref="MulUp"/>, <see cref="DivDown"/>,
/// <see cref="SqrtUp"/>, …) are the tightest bounds: they return the exact result when it is a double,
/// and otherwise the adjacent double on the correct side (i.e. IEEE round-toward-±∞). They learn the sign
/// of the RN error exactly from an error-free transformation: TwoSum for + and −, and one fused
/// multiply-add for ×, ÷ and √ (the residual a·b − p, a − q·b, s·s − x). A residual is exact unless it
/// underflows; where it could have underflowed to zero we fall back to a one-ulp step.</item>
/// </list>
/// Overflow: an RN result ±∞ from finite operands stands for a value beyond ±MaxValue, so its
/// lower (upper) bound is +MaxValue (−MaxValue) on the finite side and ±∞ on the other.
/// Infinite operands follow the extended reals; the interval conventions 0·∞ = 0 (see <see cref="MulZero"/>)
/// and x/±∞ = 0 (the limit) are used because interval endpoints are limits, never attained values.
/// </remarks>
public static class Rounding
{
    /// <summary>Below this magnitude an FMA residual of a product/quotient/square root might not be exact.</summary>
    private const double ResidualExactThreshold = 1.5e-289; // ≈ 2^-960, far above the 2^-968 that the proof needs

    /// <summary>A double ≤ the exact value whose round-to-nearest image is x (one ulp step; sound for any RN result, including 0 and ±∞).</summary>
    public static double Down(double x) => double.IsNegativeInfinity(x) ? x : Math.BitDecrement(x);

    /// <summary>A double ≥ the exact value whose round-to-nearest image is x (one ulp step; sound for any RN result, including 0 and ±∞).</summary>
    public static double Up(double x) => double.IsPositiveInfinity(x) ? x : Math.BitIncrement(x);

    /// <summary>Product with the interval convention 0·∞ = 0 (the infimum/supremum over reals).</summary>
    public static double MulZero(double a, double b) => a == 0 || b == 0 ? 0.0 : a * b;

    /// <summary>Largest double ≤ a + b (exact when a + b is a double).</summary>
    public static double AddDown(double a, double b)
    {
        double s = a + b;
        if (!double.IsFinite(s)) return double.IsPositiveInfinity(s) && double.IsFinite(a) && double.IsFinite(b) ? double.MaxValue : s;
        double e = TwoSumError(a, b, s);
        return e < 0 ? Math.BitDecrement(s) : s;
    }

    /// <summary>Smallest double ≥ a + b (exact when a + b is a double).</summary>
    public static double AddUp(double a, double b)
    {
        double s = a + b;
        if (!double.IsFinite(s)) return double.IsNegativeInfinity(s) && double.IsFinite(a) && double.IsFinite(b) ? -double.MaxValue : s;
        double e = TwoSumError(a, b, s);
        return e > 0 ? Math.BitIncrement(s) : s;
    }

    /// <summary>Largest double ≤ a − b.</summary>
    public static double SubDown(double a, double b) => AddDown(a, -b);

    /// <summary>Smallest double ≥ a − b.</summary>
    public static double SubUp(double a, double b) => AddUp(a, -b);

    /// <summary>Largest double ≤ a·b, with 0·∞ = 0 (exact when a·b is a double, in particular when a or b is 0 or a power of two without underflow).</summary>
    public static double MulDown(double a, double b)
    {
        if (a == 0 || b == 0) return 0.0;
        double p = a * b;
        if (!double.IsFinite(p)) return double.IsPositiveInfinity(p) && double.IsFinite(a) && double.IsFinite(b) ? double.MaxValue : p;
        if (!double.IsFinite(a) || !double.IsFinite(b)) return p;
        double e = Math.FusedMultiplyAdd(a, b, -p); // a·b − p, exact when |p| ≥ 2^-968
        if (e < 0) return Math.BitDecrement(p);
        if (e > 0) return p;
        return Math.Abs(p) >= ResidualExactThreshold ? p : Math.BitDecrement(p);
    }

    /// <summary>Smallest double ≥ a·b, with 0·∞ = 0.</summary>
    public static double MulUp(double a, double b)
    {
        if (a == 0 || b == 0) return 0.0;
        double p = a * b;
        if (!double.IsFinite(p)) return double.IsNegativeInfinity(p) && double.IsFinite(a) && double.IsFinite(b) ? -double.MaxValue : p;
        if (!double.IsFinite(a) || !double.IsFinite(b)) return p;
        double e = Math.FusedMultiplyAdd(a, b, -p);
        if (e > 0) return Math.BitIncrement(p);
        if (e < 0) return p;
        return Math.Abs(p) >= ResidualExactThreshold ? p : Math.BitIncrement(p);
    }

    /// <summary>Largest double ≤ a/b for b ≠ 0, with x/±∞ = 0. Throws for b = 0 or ∞/∞.</summary>
    public static double DivDown(double a, double b)
    {
        int dir = DivDirection(a, b, out double q, out bool exact);
        if (!double.IsFinite(q)) return double.IsPositiveInfinity(q) && double.IsFinite(a) ? double.MaxValue : q;
        if (exact) return q;
        return dir > 0 ? q : Math.BitDecrement(q);
    }

    /// <summary>Smallest double ≥ a/b for b ≠ 0, with x/±∞ = 0. Throws for b = 0 or ∞/∞.</summary>
    public static double DivUp(double a, double b)
    {
        int dir = DivDirection(a, b, out double q, out bool exact);
        if (!double.IsFinite(q)) return double.IsNegativeInfinity(q) && double.IsFinite(a) ? -double.MaxValue : q;
        if (exact) return q;
        return dir < 0 ? q : Math.BitIncrement(q);
    }

    /// <summary>Largest double ≤ √x for x ≥ 0.</summary>
    public static double SqrtDown(double x)
    {
        double s = SqrtWithResidual(x, out double r, out bool trusted);
        if (r > 0) return Math.Max(0.0, Math.BitDecrement(s)); // s·s > x: s too large
        if (r < 0 || trusted) return s;
        return Math.Max(0.0, Math.BitDecrement(s));
    }

    /// <summary>Smallest double ≥ √x for x ≥ 0.</summary>
    public static double SqrtUp(double x)
    {
        double s = SqrtWithResidual(x, out double r, out bool trusted);
        if (r < 0) return Math.BitIncrement(s);
        if (r > 0 || trusted) return s;
        return Math.BitIncrement(s);
    }

    /// <summary>The exact rounding error (a + b) − s of s = fl(a + b), finite (Dekker's FastTwoSum after ordering by magnitude; error-free in binary).</summary>
    private static double TwoSumError(double a, double b, double s)
    {
        if (Math.Abs(a) < Math.Abs(b)) (a, b) = (b, a);
        return b - (s - a);
    }

    /// <summary>Sign of the exact a/b − q where q = fl(a/b); exact = true when a/b = q for sure.</summary>
    private static int DivDirection(double a, double b, out double q, out bool exact)
    {
        if (b == 0 || double.IsNaN(a) || double.IsNaN(b)) throw new ArgumentException("Division by zero or NaN in a directed division.");
        if (double.IsInfinity(a) && double.IsInfinity(b)) throw new ArgumentException("∞/∞ has no value.");
        exact = false;
        if (a == 0 || double.IsInfinity(b)) { q = Math.CopySign(0.0, a) * Math.Sign(b); exact = true; return 0; }
        q = a / b;
        if (double.IsInfinity(a) || !double.IsFinite(q)) { exact = double.IsInfinity(a); return 0; }
        double r = Math.FusedMultiplyAdd(-q, b, a); // a − q·b; sign(a/b − q) = sign(r)·sign(b)
        if (r == 0)
        {
            exact = Math.Abs(a) >= ResidualExactThreshold && Math.Abs(q) >= MinNormal;
            return 0;
        }
        return (r > 0) == (b > 0) ? 1 : -1;
    }

    private static double SqrtWithResidual(double x, out double r, out bool trusted)
    {
        if (!(x >= 0)) throw new ArgumentException("Square root of a negative number or NaN.");
        double s = Math.Sqrt(x);
        if (x == 0 || double.IsPositiveInfinity(x)) { r = 0; trusted = true; return s; }
        r = Math.FusedMultiplyAdd(s, s, -x);
        trusted = x >= ResidualExactThreshold;
        return s;
    }

    private const double MinNormal = 2.2250738585072014E-308;
}
