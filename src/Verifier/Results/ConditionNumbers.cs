namespace Verify.Results;

/// <summary>An absolute and a relative condition number in the ∞-norm and the 2-norm.</summary>
public sealed record NormPair(double Inf, double L2);

/// <summary>
/// Condition numbers at x, exact for the local linear map of x's activation region:
/// w.r.t. the input κ_abs = ‖Df(x)‖, κ_rel = ‖Df(x)‖·‖x‖/‖f(x)‖; w.r.t. the moving parameters θ_P the same with the
/// Jacobian ∂f/∂θ_P and ‖θ_P‖ (vector norms; operator norms induced by the matching vector norms).
/// A relative number is +∞ when f(x) = 0. Computed by Sensitivity's <c>ConditionNumberAnalysis</c>.
/// </summary>
public sealed record ConditionNumbers(NormPair InputAbsolute, NormPair InputRelative, NormPair ParameterAbsolute,
                                      NormPair ParameterRelative, IReadOnlyList<(int Layer, int Neuron)> BoundaryNeurons)
{
    public bool OnRegionBoundary => BoundaryNeurons.Count > 0;
}
