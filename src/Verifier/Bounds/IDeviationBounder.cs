using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// A sound bounding method for the output deviation: for every output j an upper bound
/// U_j ≥ sup_{x ∈ box, δ ∈ delta} |f_j(x;θ+δ) − f_j(x;θ)|, computed with outward rounding.
/// Implementations: analytic (Lipschitz recursion), interval propagation of the difference, linear (symbolic)
/// bounds of the difference. Branch and bound calls <see cref="Bound"/> on many sub-boxes, so it must be
/// thread-safe (no shared mutable state) and cheap to call.
/// </summary>
public interface IDeviationBounder
{
    string Name { get; }

    DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default);
}

/// <summary>Per-output certified upper bounds of |Δf_j| on one box (and, where known, of the signed Δf_j).</summary>
public sealed record DeviationBound(double[] Upper, double[]? DeltaLower = null, double[]? DeltaUpper = null)
{
    public double SupUpper => Upper.Max();
}
