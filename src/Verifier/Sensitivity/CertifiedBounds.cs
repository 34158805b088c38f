using Verify.Bounds;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>
/// The tightest certified worst case sup_{x ∈ X, δ ∈ box} ‖f(x;θ+δ) − f(x;θ)‖∞ over every bounder of the registry
/// (<see cref="BoundMethods.Bounders"/>, so bounders that land later are used without changes here) and the norm ball's
/// exact reduction at a fixed input (<see cref="BallSplittingBounder"/>), on the sound
/// box enclosing the noise support. Each bounder is sound, so the minimum is. Null when none exists, the noise is
/// unbounded, or all fail / time out.
/// </summary>
public static class CertifiedBounds
{
    public static IReadOnlyList<IDeviationBounder> Available() =>
        BoundMethods.Bounders.Select(m => m.Create!(BounderSettings.Default)).ToArray();

    public static CertifiedBound? Compute(Network net, Box inputs, NoiseSpec noise, TimeSpan timeout)
    {
        var delta = noise.EnclosingBox(net);
        if (delta is null) return null;
        CertifiedBound? best = null;
        // At a fixed input a one-layer ball also has its exact reduction (docs/normballs.md), branched until the timeout;
        // elsewhere it claims nothing (+∞).
        var ball = new BallSplittingBounder { Timeout = timeout * 0.9 };
        foreach (var b in Available().Append(ball))
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                double u = b.Bound(net, inputs, delta, cts.Token).SupUpper;
                if (double.IsFinite(u) && (best is null || u < best.Upper)) best = new CertifiedBound(u, b.Name);
            }
            catch (OperationCanceledException) { /* a timed-out bounder contributes nothing */ }
        }
        return best;
    }
}
