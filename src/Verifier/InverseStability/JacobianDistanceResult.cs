using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// The answer of <see cref="JacobianDistance"/>: Lower ≤ sup_x ‖D(f1 − f2)(x)‖ ≤ Upper. Lower is the exact value on
/// the best region found, replayed at <see cref="Witness"/>; Upper is certified (outward rounded), and when the
/// enumeration completed it is the same number: <see cref="Exact"/> holds the exact value.
/// </summary>
public sealed record JacobianDistanceResult(
    Rational Lower,
    double Upper,
    Rational? Exact,
    Rational[]? Witness,
    long Regions,
    long Pruned,
    long Checks,
    long EmptyChecks,
    long UnknownChecks,
    bool TimedOut,
    double Seconds)
{
    public bool IsExact => Exact is not null;

    /// <summary>The witness rounded to doubles when that point replays to the same value (else null: use the exact one).</summary>
    public double[]? WitnessDoubles { get; init; }
}
