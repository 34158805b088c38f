using Verify.Model;
using Verify.Results;
using static Verify.Symmetry.ParameterVectors;

namespace Verify.Symmetry;

/// <summary>
/// Entry point for `verify distance`: min over the symmetry orbit of B of ‖A − Φ‖∞, choosing the algorithm:
/// no hidden layer or modulo none → plain ℓ∞; one hidden layer → exact bottleneck assignment; deeper → branch and
/// bound when every hidden layer has at most <see cref="ExactWidthLimit"/> neurons (or --exact), otherwise the
/// layer-by-layer heuristic (upper bound).
/// </summary>
public static class ParameterDistance
{
    public const int ExactWidthLimit = 8;

    public static DistanceResult Compute(Network a, Network b, DistanceModulo modulo, DistanceMethod method = DistanceMethod.Auto,
                                         IBipartiteMatcher? matcher = null, TimeSpan? timeLimit = null, CancellationToken cancel = default)
    {
        RequireSameArchitecture(a, b);
        bool scale = modulo == DistanceModulo.PermScale;
        if (modulo == DistanceModulo.None || a.Depth == 1)
        {
            var id = Alignment.Identity(b);
            return new DistanceResult(LInf(a, b), modulo, true, a.Depth == 1 ? "no hidden layer: plain ℓ∞" : "plain ℓ∞", id, b, null);
        }
        return ZeroIsExact(Dispatch(a, b, scale, method, matcher, timeLimit, cancel));
    }

    private static DistanceResult Dispatch(Network a, Network b, bool scale, DistanceMethod method, IBipartiteMatcher? matcher,
                                           TimeSpan? timeLimit, CancellationToken cancel)
    {
        if (method == DistanceMethod.Heuristic) return LayerwiseAlignment.Solve(a, b, scale, cancel);
        if (a.Depth == 2) return OneHiddenLayerDistance.Solve(a, b, scale, matcher);
        int widest = a.Layers.Take(a.Depth - 1).Max(l => l.Outputs);
        if (method == DistanceMethod.Exact || widest <= ExactWidthLimit)
            return DeepBranchAndBound.Solve(a, b, scale, timeLimit: timeLimit, cancel: cancel);
        return LayerwiseAlignment.Solve(a, b, scale, cancel);
    }

    /// <summary>An upper bound of 0 cannot be improved: the distance is exactly 0.</summary>
    private static DistanceResult ZeroIsExact(DistanceResult r) =>
        r.Exact || r.Distance != 0 ? r : r with { Exact = true, Method = r.Method.Replace(" (upper bound)", "") + "; upper bound 0 is optimal" };
}
