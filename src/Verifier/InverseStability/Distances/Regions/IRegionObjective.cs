using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// What <see cref="RegionSearch"/> maximises over the activation regions of two networks: a quantity that is exact on
/// each complete region (the Jacobian gap, or the largest output gap), with certified bounds for partial patterns.
/// </summary>
public interface IRegionObjective
{
    /// <summary>A certified upper bound of the objective on every region completing (p1, p2) inside the box.</summary>
    double Bound(NetworkProgress first, NetworkProgress second, RegionBox box);

    /// <summary>
    /// The exact objective at one input (all coordinates) if it is a value the objective takes on some region, else null.
    /// Seeds the search and checks witnesses.
    /// </summary>
    Rational? ValueAt(Rational[] x);

    /// <summary>
    /// The objective on a complete region, whose interior contains <paramref name="point"/> (free coordinates); only
    /// values above <paramref name="best"/> matter. May ask the solver (whose stack is this region).
    /// </summary>
    LeafOutcome Leaf(NetworkProgress first, NetworkProgress second, Rational[] point, RegionBox box, RegionSolver solver, Rational best);
}

/// <summary>
/// A region's answer: a value above the best with its witness (free coordinates), nothing better, or undecided with a
/// certified bound that must count towards the upper end.
/// </summary>
public readonly record struct LeafOutcome(Rational? Value, Rational[]? Witness, double UndecidedBound)
{
    public static LeafOutcome NoBetter => new(null, null, double.NegativeInfinity);
    public static LeafOutcome Better(Rational value, Rational[] witness) => new(value, witness, double.NegativeInfinity);
    public static LeafOutcome Undecided(double bound) => new(null, null, bound);
}
