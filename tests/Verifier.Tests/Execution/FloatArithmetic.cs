namespace Verify.Tests.Execution;

/// <summary>
/// Round-to-nearest arithmetic of a narrow format, emulated in double: every value is a double that is exactly a
/// number of the format. A product of two such numbers is exact in double, and a sum rounded first to double and
/// then to the format is still correctly rounded, since 53 ≥ 2p + 2 for p = 24, 11, 8 (double rounding is innocuous
/// for +, −, × under that condition: Figueroa, 1995). FMA is emulated only where the hardware has it (float32).
/// </summary>
public sealed record FloatArithmetic(string Name, Func<double, double> Round, Func<double, double, double, double>? Fma)
{
    public static FloatArithmetic Float32 { get; } = new("float32", x => (float)x,
        (a, b, c) => MathF.FusedMultiplyAdd((float)a, (float)b, (float)c));

    public static FloatArithmetic Float16 { get; } = new("float16", x => (double)(Half)x, null);

    public static FloatArithmetic BFloat16 { get; } = new("bfloat16", RoundToBFloat16, null);

    public double Add(double a, double b) => Round(a + b);

    public double Mul(double a, double b) => Round(a * b);

    /// <summary>double → float (correctly rounded) → bfloat16 by round-to-nearest-even on the upper 16 bits; the
    /// double rounding is innocuous for the results of +, × on bfloat16 numbers (24 ≥ 2·8 + 2).</summary>
    private static double RoundToBFloat16(double x)
    {
        float f = (float)x;
        if (float.IsNaN(f) || float.IsInfinity(f)) return f;
        uint bits = BitConverter.SingleToUInt32Bits(f);
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }
}
