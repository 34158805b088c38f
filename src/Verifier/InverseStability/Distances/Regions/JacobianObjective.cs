using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>
/// ‖D(f1 − f2)‖ (operator ∞-norm, free coordinates): constant on each region, bounded on partial patterns by
/// <see cref="JacobianGapBound"/>, and replayed at the region's interior point with <see cref="ExactPasses.Jacobian"/>.
/// </summary>
public sealed class JacobianObjective(Network first, Network second, BoxSlice slice) : IRegionObjective
{
    public double Bound(NetworkProgress p1, NetworkProgress p2, RegionBox box) => JacobianGapBound.Upper(p1, p2, box);

    /// <summary>
    /// A point where both networks are differentiable (by <see cref="ExactPasses.Jacobian"/>'s test) has a neighbourhood on
    /// which both are affine, which meets some open region with the same Jacobian: its value is a region's value.
    /// </summary>
    public Rational? ValueAt(Rational[] x)
    {
        var j1 = ExactPasses.Jacobian(first.Layers, x, slice.Free);
        var j2 = ExactPasses.Jacobian(second.Layers, x, slice.Free);
        return j1 is null || j2 is null ? null : JacobianNorm.OfDifference(j1, j2);
    }

    public LeafOutcome Leaf(NetworkProgress p1, NetworkProgress p2, Rational[] point, RegionBox box, RegionSolver solver, Rational best)
    {
        var value = JacobianNorm.OfDifference(p1.Jacobian, p2.Jacobian);
        if (value <= best) return LeafOutcome.NoBetter;
        // The Jacobians at the interior point, computed directly from the networks, must be the region's.
        var x = slice.Embed(point);
        var j1 = ExactPasses.Jacobian(first.Layers, x, slice.Free);
        var j2 = ExactPasses.Jacobian(second.Layers, x, slice.Free);
        if (j1 is null || j2 is null || !Same(j1, p1.Jacobian) || !Same(j2, p2.Jacobian))
            throw new InvalidOperationException("region search: the witness point does not replay to the region's Jacobian");
        return LeafOutcome.Better(value, point);
    }

    private static bool Same(Rational[][] a, Rational[][] b) =>
        a.Length == b.Length && a.Zip(b).All(r => r.First.SequenceEqual(r.Second));
}
