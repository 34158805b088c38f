using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>How the inverse-stability reports print a rational: exactly while it is short, else as a marked approximation
/// (the exact value stays in the JSON).</summary>
public static class RationalText
{
    public static string Short(Rational q) => q.Denominator < 1_000_000 ? q.ToString() : $"≈{q.ToDouble():G6}";
}
