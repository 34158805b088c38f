using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// Endpoints of interval products from the tightest directed roundings of <see cref="Rounding"/> (exact when the
/// product is a double, so exact zeros stay exact and ε = 0 certifies U = 0 rather than a subnormal).
/// </summary>
internal static class Directed
{
    /// <summary>Lower end of [a1, a2]·[b1, b2].</summary>
    public static double ProductLo(double a1, double a2, double b1, double b2) =>
        Math.Min(Math.Min(Rounding.MulDown(a1, b1), Rounding.MulDown(a1, b2)), Math.Min(Rounding.MulDown(a2, b1), Rounding.MulDown(a2, b2)));

    /// <summary>Upper end of [a1, a2]·[b1, b2].</summary>
    public static double ProductHi(double a1, double a2, double b1, double b2) =>
        Math.Max(Math.Max(Rounding.MulUp(a1, b1), Rounding.MulUp(a1, b2)), Math.Max(Rounding.MulUp(a2, b1), Rounding.MulUp(a2, b2)));
}
