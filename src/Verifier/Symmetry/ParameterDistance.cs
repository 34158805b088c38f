using Verify.Model;
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
        if (method == DistanceMethod.Heuristic) return LayerwiseAlignment.Solve(a, b, scale, cancel);
        if (a.Depth == 2) return OneHiddenLayerDistance.Solve(a, b, scale, matcher);
        int widest = a.Layers.Take(a.Depth - 1).Max(l => l.Outputs);
        if (method == DistanceMethod.Exact || widest <= ExactWidthLimit)
            return DeepBranchAndBound.Solve(a, b, scale, timeLimit: timeLimit, cancel: cancel);
        return LayerwiseAlignment.Solve(a, b, scale, cancel);
    }
}
