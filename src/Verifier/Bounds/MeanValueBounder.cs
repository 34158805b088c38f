using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--method meanvalue`: the mean-value form of the deviation (<see cref="MeanValueForm"/>, docs/meanvalue.md) —
/// |Δf_j| ≤ Σ_p sup|∂f_j/∂θ_p|·rad(δ_p) over the box and θ + Δ — on the enclosures of the joint linear pass, and by
/// default the element-wise minimum with that pass's own bound (both sound, the pass is run once). First-order tight
/// at a fixed x when no perturbed pre-activation can cross 0; every neuron that can costs a slope interval [N, P]
/// times its whole gradient, so measured it was never below the linear pass (docs/meanvalue.md). Norm balls: the
/// ball's layer is bounded by r·‖g‖₂·‖h′‖₂ or its enclosing box, whichever is smaller. Stateless and thread-safe.
/// </summary>
public sealed class MeanValueBounder : IInfluenceBounder
{
    /// <summary>The joint pass whose enclosures the form uses (and whose bound it is combined with).</summary>
    public LinearDifferenceBounder Linear { get; init; } = new();

    /// <summary>Report min(linear, mean-value) per output (default), or the mean-value form alone (tests, measurements).</summary>
    public bool CombineWithLinear { get; init; } = true;

    /// <summary>Bound ∂f/∂z by linear bounds through the backward network (default), or by interval arithmetic alone.</summary>
    public bool SymbolicGradient { get; init; } = true;

    /// <summary>Networks whose symbolic backward pass needs more multiply-adds than this get interval arithmetic alone
    /// (the one-pass methods get no deadline: mnist 784-256×4-10 needs 2·10⁹, about 50 s on the 2-core machine,
    /// against 1.2 s for the linear pass; 5-50×6-5 needs 2·10⁷).</summary>
    public double MaxSymbolicWork { get; init; } = 2e8;

    public string Name => "meanvalue";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        BoundWithInfluence(network, box, delta, cancellation).Bound;

    /// <summary>The bound, and the linear pass's influence of each input dimension (input splitting's branching score).</summary>
    public (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var (linear, influence, enc) = Linear.BoundWithEnclosures(network, box, delta, null, cancellation);
        var mv = MeanValueForm.Upper(network, delta, enc,
            SymbolicGradient && MeanValueForm.SymbolicWork(network) <= MaxSymbolicWork, cancellation);
        return (CombineWithLinear ? Minimum(linear, mv) : Symmetric(mv), influence);
    }

    /// <summary>
    /// The enclosures of ∂f_j/∂z_k of the perturbed network (k = 0 … depth − 1, z_k layer k's pre-activation) over the
    /// box and θ + Δ that the form uses: the gradient at every admissible (x, θ′) at which no pre-activation is exactly
    /// 0 lies in them (at a kink the form needs only one side's slope, docs/meanvalue.md).
    /// </summary>
    public IReadOnlyList<Interval[]> GradientEnclosures(Network network, Box box, ParameterBox delta, int output, CancellationToken cancellation = default)
    {
        var (_, _, enc) = Linear.BoundWithEnclosures(network, box, delta, null, cancellation);
        return MeanValueForm.Gradient(network, delta, enc, output,
            SymbolicGradient && MeanValueForm.SymbolicWork(network) <= MaxSymbolicWork, cancellation);
    }

    private static DeviationBound Symmetric(double[] u) => new(u, u.Select(v => -v).ToArray(), (double[])u.Clone());

    /// <summary>U_j = min of both; the signed enclosure of Δf_j is the linear one intersected with [−U_mv, U_mv].</summary>
    private static DeviationBound Minimum(DeviationBound linear, double[] mv)
    {
        int n = mv.Length;
        var up = new double[n]; var lo = new double[n]; var hi = new double[n];
        for (int j = 0; j < n; j++)
        {
            up[j] = Math.Min(linear.Upper[j], mv[j]);
            lo[j] = Math.Max(linear.DeltaLower?[j] ?? double.NegativeInfinity, -mv[j]);
            hi[j] = Math.Min(linear.DeltaUpper?[j] ?? double.PositiveInfinity, mv[j]);
            if (lo[j] > hi[j]) (lo[j], hi[j]) = (-up[j], up[j]); // both sound, so they meet in exact arithmetic; guard rounding
        }
        return new DeviationBound(up, lo, hi);
    }
}
