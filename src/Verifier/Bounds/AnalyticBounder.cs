using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--method analytic`: the closed-form Lipschitz recursion of the realisation map in the ∞-norm, the baseline.
/// With H_l ≥ ‖h_l‖∞ and D_l ≥ ‖Δh_l‖∞ (H_0 = ‖x‖∞ over the box, D_0 = 0) and M the activation's Lipschitz constant:
///   H_l = M·(‖W_l‖∞ H_{l−1} + ‖b_l‖∞),
///   D_l = M·max_i (Σ_j |W_ij| D_{l−1} + Σ_j |δW_ij|max (H_{l−1} + D_{l−1}) + |δb_i|max),
/// since Δz = W Δh + δW h' + δb and ‖h'‖ ≤ H + D. The last layer is evaluated row by row (per output).
/// For a norm ball on a layer, Σ_j |δW_ij| ≤ min(Σ_j r, √n·r) because each row has 2-norm at most r.
/// Every operation rounds upward.
/// </summary>
public sealed class AnalyticBounder : IDeviationBounder
{
    public string Name => "analytic";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        double H = 0, D = 0;
        for (int j = 0; j < box.Dimension; j++) H = Math.Max(H, box[j].Magnitude);
        double[] rowBounds = [];
        for (int l = 0; l < network.Depth; l++)
        {
            var L = network.Layers[l];
            var dl = delta.Layers[l];
            double lip = L.Activation.Operator.Kink.Lipschitz;
            double hp = Rounding.AddUp(H, D);
            double rowCap = double.PositiveInfinity;
            // Not for a box widened for an execution format: its extra width lies outside the ball.
            if (delta.BallRadiusAt(l) is { } radius)
                rowCap = Rounding.MulUp(Rounding.SqrtUp(L.Inputs), radius);
            rowBounds = new double[L.Outputs];
            double hNext = 0;
            for (int i = 0; i < L.Outputs; i++)
            {
                var row = L.Row(i);
                double wAbs = 0, eAbs = 0;
                for (int j = 0; j < row.Length; j++)
                {
                    int k = i * L.Inputs + j;
                    wAbs = Rounding.AddUp(wAbs, Math.Abs(row[j]));
                    eAbs = Rounding.AddUp(eAbs, Math.Max(-dl.WeightLo[k], dl.WeightHi[k]));
                }
                eAbs = Math.Min(eAbs, rowCap);
                double bAbs = Math.Max(-dl.BiasLo[i], dl.BiasHi[i]);
                double d = Rounding.AddUp(Rounding.AddUp(Rounding.MulUp(wAbs, D), Rounding.MulUp(eAbs, hp)), bAbs);
                rowBounds[i] = Rounding.MulUp(lip, d);
                hNext = Math.Max(hNext, Rounding.MulUp(lip, Rounding.AddUp(Rounding.MulUp(wAbs, H), Math.Abs(L.B(i)))));
            }
            H = hNext;
            D = rowBounds.Max();
        }
        return new DeviationBound(rowBounds, rowBounds.Select(v => -v).ToArray(), (double[])rowBounds.Clone());
    }
}
