using Verify.Errors;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Tests.Execution;

public class ExecutionFormatTests
{
    [Test]
    public void Float32ConstantsAreThoseOfSingle()
    {
        var f = ExecutionFormat.Float32;
        Assert.That(f.UnitRoundoff, Is.EqualTo((double)(MathF.BitIncrement(1f) - 1f) / 2));
        Assert.That(f.SmallestSubnormal, Is.EqualTo((double)float.Epsilon));
        Assert.That(f.SmallestNormal, Is.EqualTo((double)BitConverter.UInt32BitsToSingle(0x00800000)));
        Assert.That(f.MaxFinite, Is.EqualTo((double)float.MaxValue));
    }

    [Test]
    public void Float16ConstantsAreThoseOfHalf()
    {
        var f = ExecutionFormat.Float16;
        Assert.That(f.UnitRoundoff, Is.EqualTo(((double)Half.BitIncrement((Half)1) - 1) / 2));
        Assert.That(f.SmallestSubnormal, Is.EqualTo((double)Half.Epsilon));
        Assert.That(f.SmallestNormal, Is.EqualTo((double)BitConverter.UInt16BitsToHalf(0x0400)));
        Assert.That(f.MaxFinite, Is.EqualTo((double)Half.MaxValue));
    }

    [Test]
    public void BFloat16ConstantsAreTheUpperHalvesOfSingleBitPatterns()
    {
        static double Bits(uint upper16) => BitConverter.UInt32BitsToSingle(upper16 << 16);
        var f = ExecutionFormat.BFloat16;
        Assert.That(f.UnitRoundoff, Is.EqualTo((Bits(0x3F81) - 1) / 2));
        Assert.That(f.SmallestSubnormal, Is.EqualTo(Bits(0x0001)));
        Assert.That(f.SmallestNormal, Is.EqualTo(Bits(0x0080)));
        Assert.That(f.MaxFinite, Is.EqualTo(Bits(0x7F7F)));
    }

    [Test]
    public void ParsesNamesAndTheFlushToZeroVariant()
    {
        Assert.That(ExecutionFormat.Parse("FLOAT32"), Is.EqualTo(ExecutionFormat.Float32));
        Assert.That(ExecutionFormat.Parse("bf16"), Is.EqualTo(ExecutionFormat.BFloat16));
        var ftz = ExecutionFormat.Parse("float16-ftz");
        Assert.That(ftz.FlushToZero, Is.True);
        Assert.That(ftz.Name, Is.EqualTo("float16-ftz"));
        Assert.That(ftz.UnderflowError, Is.EqualTo(ExecutionFormat.Float16.SmallestNormal));
        Assert.That(ExecutionFormat.Float16.UnderflowError, Is.EqualTo(ExecutionFormat.Float16.SmallestSubnormal / 2));
        Assert.That(() => ExecutionFormat.Parse("float64"), Throws.InstanceOf<UsageException>().With.Message.Contains("float64"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(51)]
    [TestCase(301)]
    public void GammaIsAnUpperBoundOfItsDefinition(long k)
    {
        foreach (var f in new[] { ExecutionFormat.Float32, ExecutionFormat.Float16, ExecutionFormat.BFloat16 })
        {
            var ku = Rational.FromDouble(f.UnitRoundoff) * k;
            if (ku.ToDouble() >= 0.5) { Assert.That(() => f.Gamma(k), Throws.InstanceOf<UsageException>()); continue; }
            var exact = ku / (Rational.One - ku);
            Assert.That(Rational.FromDouble(f.Gamma(k)), Is.GreaterThanOrEqualTo(exact), f.Name);
            Assert.That(f.Gamma(k), Is.EqualTo(exact.ToDouble()).Within(1e-12).Percent, f.Name);
        }
    }

    [Test]
    public void AnOverlongDotProductHasNoBound() =>
        Assert.That(() => ExecutionFormat.BFloat16.Gamma(200), Throws.InstanceOf<UsageException>().With.Message.Contains("too long"));
}
