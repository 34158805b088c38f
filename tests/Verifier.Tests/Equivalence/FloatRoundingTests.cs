using Verify.Equivalence;

namespace Verify.Tests.Equivalence;

public class FloatRoundingTests
{
    private static readonly double U16 = Math.ScaleB(1, -10); // float16 ulp at 1
    private static readonly double Ubf = Math.ScaleB(1, -7);  // bfloat16 ulp at 1

    [Test]
    public void Float16TiesGoToEven()
    {
        Assert.That(FloatRounding.ToFloat16(1 + U16 / 2), Is.EqualTo(1.0));                 // tie, 1 is even
        Assert.That(FloatRounding.ToFloat16(1 + 3 * U16 / 2), Is.EqualTo(1 + 2 * U16));     // tie, 1+2u is even
        Assert.That(FloatRounding.ToFloat16(-(1 + 3 * U16 / 2)), Is.EqualTo(-(1 + 2 * U16)));
        Assert.That(FloatRounding.ToFloat16(2049.0), Is.EqualTo(2048.0));                   // ulp 2 at 2048
        Assert.That(FloatRounding.ToFloat16(2051.0), Is.EqualTo(2052.0));
    }

    [Test]
    public void Float16DoesNotRoundTwice()
    {
        // Through float the 2^-40 would be lost first and the tie would then go down to 1.
        Assert.That(FloatRounding.ToFloat16(1 + U16 / 2 + Math.ScaleB(1, -40)), Is.EqualTo(1 + U16));
    }

    [Test]
    public void Float16KnownValues()
    {
        Assert.That(FloatRounding.ToFloat16(0.1), Is.EqualTo(0.0999755859375));
        Assert.That(FloatRounding.ToFloat16(1.0 / 3), Is.EqualTo(0.333251953125));
        Assert.That(FloatRounding.ToFloat16(65504.0), Is.EqualTo(65504.0));
        Assert.That(FloatRounding.ToFloat16(65519.0), Is.EqualTo(65504.0));
        Assert.That(FloatRounding.ToFloat16(65520.0), Is.EqualTo(double.PositiveInfinity)); // tie to even overflows
        Assert.That(FloatRounding.ToFloat16(Math.ScaleB(1, -24)), Is.EqualTo(Math.ScaleB(1, -24)));  // smallest subnormal
        Assert.That(FloatRounding.ToFloat16(Math.ScaleB(1, -25)), Is.EqualTo(0.0));                  // tie to even 0
        Assert.That(FloatRounding.ToFloat16(Math.ScaleB(3, -26)), Is.EqualTo(Math.ScaleB(1, -24)));
    }

    [Test]
    public void GenericRoundingAgreesWithHalfOnRandomDoubles()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            double x = (rng.NextDouble() * 2 - 1) * Math.ScaleB(1, rng.Next(-30, 17));
            if (i % 3 == 0) x = Math.Round(x * 4096) / 4096; // many exact ties
            double viaHalf = FloatRounding.ToFloat16(x);
            double generic = FloatRounding.RoundToFormat(x, 10, -14, 15);
            Assert.That(generic, Is.EqualTo(viaHalf), $"x = {x:R}");
        }
    }

    [Test]
    public void BFloat16TiesGoToEvenAndKnownValues()
    {
        Assert.That(FloatRounding.ToBFloat16(1 + Ubf / 2), Is.EqualTo(1.0));
        Assert.That(FloatRounding.ToBFloat16(1 + 3 * Ubf / 2), Is.EqualTo(1 + 2 * Ubf));
        Assert.That(FloatRounding.ToBFloat16(1 + Ubf / 2 + Math.ScaleB(1, -30)), Is.EqualTo(1 + Ubf));
        Assert.That(FloatRounding.ToBFloat16(Math.PI), Is.EqualTo(3.140625));   // 0x4049
        Assert.That(FloatRounding.ToBFloat16(0.1), Is.EqualTo(0.10009765625));  // 0x3DCD
        Assert.That(FloatRounding.ToBFloat16(-1.0 / 3), Is.EqualTo(-0.333984375)); // 0xBEAB
        double maxBf = (2 - Ubf) * Math.ScaleB(1, 127);
        Assert.That(FloatRounding.ToBFloat16(maxBf), Is.EqualTo(maxBf));
        Assert.That(FloatRounding.ToBFloat16(Math.ScaleB(1, 128) - Math.ScaleB(1, 119)), Is.EqualTo(double.PositiveInfinity));
        Assert.That(FloatRounding.ToBFloat16(Math.ScaleB(1, -133)), Is.EqualTo(Math.ScaleB(1, -133)));
        Assert.That(FloatRounding.ToBFloat16(Math.ScaleB(1, -134)), Is.EqualTo(0.0));
        Assert.That(FloatRounding.ToBFloat16(Math.ScaleB(3, -135)), Is.EqualTo(Math.ScaleB(1, -133)));
    }

    [Test]
    public void BFloat16AgreesWithFloatBitsTruncationRule()
    {
        // The classic bit trick on float32 bits (add 0x7FFF + lsb, truncate) is RNE for values already in float.
        var rng = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            float f = (float)((rng.NextDouble() * 2 - 1) * Math.ScaleB(1, rng.Next(-60, 60)));
            uint bits = BitConverter.SingleToUInt32Bits(f);
            uint lsb = (bits >> 16) & 1;
            uint r = (bits + 0x7FFF + lsb) & 0xFFFF0000;
            double expected = BitConverter.UInt32BitsToSingle(r);
            Assert.That(FloatRounding.ToBFloat16(f), Is.EqualTo(expected), $"f = {f:R}");
        }
    }
}
