using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// The W^{1,∞} semi-norm distance sup_{x ∈ U} ‖D(f1 − f2)(x)‖ of two ReLU networks on a box U (x off the kinks;
/// ‖·‖ the operator ∞-norm of <see cref="JacobianNorm"/>; derivatives in the box's free coordinates, see
/// <see cref="BoxSlice"/>). The Jacobian of f1 − f2 is constant on every activation region of the joint network, so
/// the semi-norm is the maximum over the regions with nonempty interior: a <see cref="RegionSearch"/> with the
/// <see cref="JacobianObjective"/>. Exact symmetric copies (<see cref="Equivalence.ExactAligner"/>) are answered 0 at once.
/// </summary>
public sealed class JacobianDistance
{
    public TimeSpan? Timeout { get; init; }

    public RegionDistanceResult Compute(Network first, Network second, Box box, CancellationToken cancellation = default)
    {
        RegionChecks.Validate(first, second, box);
        // An exact symmetric copy computes the same function: the distance is 0 without enumerating anything.
        if (Equivalence.ExactAligner.Align(first, second) is not null)
            return new RegionDistanceResult(Rational.Zero, 0, Rational.Zero, null, 0, 0, 0, 0, 0, false, 0) { ExactCopy = true };
        var slice = new BoxSlice(box);
        return new RegionSearch(first, second, slice, new JacobianObjective(first, second, slice)).Run(Timeout, cancellation);
    }
}

internal static class RegionChecks
{
    public static void Validate(Network first, Network second, Box box)
    {
        if (first.InputSize != second.InputSize) throw new ArgumentException($"the networks take {first.InputSize} and {second.InputSize} inputs");
        if (first.OutputSize != second.OutputSize) throw new ArgumentException($"the networks have {first.OutputSize} and {second.OutputSize} outputs");
        if (box.Dimension != first.InputSize) throw new ArgumentException($"the box has {box.Dimension} dimensions, the networks take {first.InputSize} inputs");
    }
}
