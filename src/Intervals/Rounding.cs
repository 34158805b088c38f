namespace Verify.Intervals;

/// <summary>
/// The one place where outward rounding happens. A result computed in round-to-nearest lies within half
/// an ulp of the exact value, so the next double down (up) is a valid lower (upper) bound.
/// </summary>
public static class Rounding
{
    /// <summary>A double ≤ the exact value whose round-to-nearest image is x.</summary>
    public static double Down(double x) => double.IsNegativeInfinity(x) ? x : Math.BitDecrement(x);

    /// <summary>A double ≥ the exact value whose round-to-nearest image is x.</summary>
    public static double Up(double x) => double.IsPositiveInfinity(x) ? x : Math.BitIncrement(x);

    /// <summary>Product with the interval convention 0·∞ = 0 (the infimum/supremum over reals).</summary>
    public static double MulZero(double a, double b) => a == 0 || b == 0 ? 0.0 : a * b;

    /// <summary>Upper bound of a + b.</summary>
    public static double AddUp(double a, double b) => Up(a + b);

    /// <summary>Lower bound of a + b.</summary>
    public static double AddDown(double a, double b) => Down(a + b);

    /// <summary>Upper bound of a · b.</summary>
    public static double MulUp(double a, double b) => Up(MulZero(a, b));

    /// <summary>Lower bound of a · b.</summary>
    public static double MulDown(double a, double b) => Down(MulZero(a, b));
}
