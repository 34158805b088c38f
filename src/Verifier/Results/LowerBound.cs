using Verify.Intervals;

namespace Verify.Results;

/// <summary>
/// A certified lower bound for output j: the exact replayed value |f_j(x;θ') − f_j(x;θ)| of <see cref="Witness"/>.
/// <see cref="Value"/> is the double rounded down from it, so it never overstates what the witness shows.
/// </summary>
public sealed record LowerBound(int Output, Rational Exact, Witness Witness)
{
    public double Value { get; } = Exact.ToInterval().Lo;
}
