namespace Verify.Equivalence;

/// <summary>
/// Round-to-nearest-even of a double to a narrower binary floating-point format, returned as the exact double
/// value of the result. Computed directly from the double (never through float, which would round twice).
/// </summary>
public static class FloatRounding
{
    /// <summary>IEEE binary16 through <see cref="Half"/>, whose conversion from double is correctly rounded (RNE).</summary>
    public static double ToFloat16(double x) => (double)(Half)x;

    /// <summary>bfloat16: 8 significand bits (7 stored), the exponent range of float32, subnormals down to 2^−133.</summary>
    public static double ToBFloat16(double x) => RoundToFormat(x, fractionBits: 7, minExponent: -126, maxExponent: 127);

    /// <summary>
    /// RNE to a binary format with <paramref name="fractionBits"/> stored fraction bits and normal exponents
    /// [minExponent, maxExponent] (gradual underflow below). Overflow gives ±∞ and NaN stays NaN, as IEEE 754 says.
    /// The quantum q (the format's ulp at |x|) is a power of two, so x/q and round(x/q)·q are exact in double and the
    /// only rounding is Math.Round's, which is ties-to-even on the exact value.
    /// </summary>
    public static double RoundToFormat(double x, int fractionBits, int minExponent, int maxExponent)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return x;
        int e = Math.Max(Math.ILogB(x), minExponent);
        int quantumExponent = e - fractionBits;
        double scaled = Math.ScaleB(x, -quantumExponent);
        double r = Math.ScaleB(Math.Round(scaled, MidpointRounding.ToEven), quantumExponent);
        // Rounding up may carry into 2^(maxExponent+1): that is overflow, not a representable value.
        if (Math.Abs(r) >= Math.ScaleB(1.0, maxExponent + 1)) return x > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        return r == 0 ? Math.CopySign(0.0, x) : r;
    }
}
