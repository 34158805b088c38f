namespace Verify.Bounds;

/// <summary>
/// Certified lower bounds of the perturbed class margins: <see cref="Lower"/>[j] ≤ min over the box and the parameter
/// box of y'_c − y'_j for every j ≠ <see cref="Class"/> (entry c is +∞). <see cref="Influence"/> says, per input
/// dimension, how much its width costs the margins that are not yet positive (the branching heuristic).
/// </summary>
public sealed record MarginBound(int Class, double[] Lower, double[] Influence)
{
    /// <summary>The smallest margin bound: positive means the class is certain on the whole box.</summary>
    public double Worst => Lower.Min();

    /// <summary>Element-wise the larger of two sound bounds of the same margins (a child box and its parent's).</summary>
    public MarginBound Max(MarginBound other)
    {
        var lo = new double[Lower.Length];
        for (int j = 0; j < lo.Length; j++) lo[j] = Math.Max(Lower[j], other.Lower[j]);
        return this with { Lower = lo };
    }
}
