using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// Directed rounding that steps outward only when the floating-point operation was inexact (checked exactly with
/// TwoSum and a fused multiply-add). Strictly tighter than <see cref="Rounding"/> and equally sound; it keeps exact
/// zeros exact, so that ε = 0 certifies U = 0 rather than a subnormal.
/// </summary>
internal static class Directed
{
    public static double AddUp(double a, double b)
    {
        double s = a + b;
        return IsExactSum(a, b, s) ? s : Rounding.Up(s);
    }

    public static double AddDown(double a, double b)
    {
        double s = a + b;
        return IsExactSum(a, b, s) ? s : Rounding.Down(s);
    }

    public static double MulUp(double a, double b)
    {
        if (a == 0 || b == 0) return 0.0;
        double p = a * b;
        return IsExactProduct(a, b, p) ? p : Rounding.Up(p);
    }

    public static double MulDown(double a, double b)
    {
        if (a == 0 || b == 0) return 0.0;
        double p = a * b;
        return IsExactProduct(a, b, p) ? p : Rounding.Down(p);
    }

    /// <summary>Lower end of [a1, a2]·[b1, b2].</summary>
    public static double ProductLo(double a1, double a2, double b1, double b2) =>
        Math.Min(Math.Min(MulDown(a1, b1), MulDown(a1, b2)), Math.Min(MulDown(a2, b1), MulDown(a2, b2)));

    /// <summary>Upper end of [a1, a2]·[b1, b2].</summary>
    public static double ProductHi(double a1, double a2, double b1, double b2) =>
        Math.Max(Math.Max(MulUp(a1, b1), MulUp(a1, b2)), Math.Max(MulUp(a2, b1), MulUp(a2, b2)));

    /// <summary>Knuth's TwoSum: the rounding error of a + b is exactly zero.</summary>
    private static bool IsExactSum(double a, double b, double s)
    {
        if (!double.IsFinite(s)) return false;
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return err == 0;
    }

    /// <summary>fma(a, b, −p) is the exact error of the product when no underflow occurs; a tiny product is treated
    /// as inexact.</summary>
    private static bool IsExactProduct(double a, double b, double p)
    {
        if (!double.IsFinite(p) || Math.Abs(p) < 1e-290) return false;
        return Math.FusedMultiplyAdd(a, b, -p) == 0;
    }
}
