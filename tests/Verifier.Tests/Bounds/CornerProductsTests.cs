using Verify.Bounds;
using Verify.Intervals;

namespace Verify.Tests.Bounds;

public class CornerProductsTests
{
    private static readonly double[] Special = [0.0, -0.0, 1.0, -1.0, double.Epsilon, -double.Epsilon, 1e-310, -3e-200, 3e-200,
        1e300, -1e300, double.MaxValue, 0.1, -0.7, 1.0 / 3];

    private static void AssertSameBits(double a1, double a2, double b1, double b2)
    {
        Assert.That(BitConverter.DoubleToInt64Bits(CornerProducts.Down(a1, a2, b1, b2)),
            Is.EqualTo(BitConverter.DoubleToInt64Bits(Rounding.ProductDown(a1, a2, b1, b2))), $"down [{a1}, {a2}]·[{b1}, {b2}]");
        Assert.That(BitConverter.DoubleToInt64Bits(CornerProducts.Up(a1, a2, b1, b2)),
            Is.EqualTo(BitConverter.DoubleToInt64Bits(Rounding.ProductUp(a1, a2, b1, b2))), $"up [{a1}, {a2}]·[{b1}, {b2}]");
    }

    /// <summary>The two-product path for a point factor gives the very bits of the four-product one, signed zeros,
    /// subnormals and overflow included.</summary>
    [Test]
    public void PointFactorGivesTheBitsOfTheFourCorners()
    {
        foreach (var a in Special)
            foreach (var b1 in Special)
                foreach (var b2 in Special)
                {
                    if (!(b1 <= b2)) continue;
                    AssertSameBits(a, a, b1, b2);
                }
        AssertSameBits(-0.0, 0.0, -2, 3);
        AssertSameBits(0.0, -0.0, -2, 3);
        var rng = new Random(3);
        for (int s = 0; s < 20_000; s++)
        {
            double a = (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-60, 60));
            double b1 = (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-60, 60)), b2 = b1 + rng.NextDouble() * Math.Pow(2, rng.Next(-60, 60));
            AssertSameBits(a, a, b1, b2);
        }
    }

    /// <summary>A proper interval takes the general path (the same function).</summary>
    [Test]
    public void ProperIntervalIsTheGeneralProduct()
    {
        AssertSameBits(-1, 2, -3, 0.5);
        AssertSameBits(0.1, 0.3, -0.7, -0.2);
    }
}
