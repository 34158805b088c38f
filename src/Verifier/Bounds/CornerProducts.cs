using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// <see cref="Rounding.ProductDown"/> and <see cref="Rounding.ProductUp"/> of [a1, a2]·[b1, b2], with two directed
/// products instead of four when a1 = a2: a point entry of δ, which equiv's fixed rounded copy has almost everywhere
/// (interval propagation spent about a seventh of an ACAS Xu equiv run on these products). The same bits: the four
/// corners are then two products each taken twice, and a zero factor of either sign gives +0 in every directed product.
/// </summary>
public static class CornerProducts
{
    public static double Down(double a1, double a2, double b1, double b2) =>
        a1 == a2 ? Math.Min(Rounding.MulDown(a1, b1), Rounding.MulDown(a1, b2)) : Rounding.ProductDown(a1, a2, b1, b2);

    public static double Up(double a1, double a2, double b1, double b2) =>
        a1 == a2 ? Math.Max(Rounding.MulUp(a1, b1), Rounding.MulUp(a1, b2)) : Rounding.ProductUp(a1, a2, b1, b2);
}
