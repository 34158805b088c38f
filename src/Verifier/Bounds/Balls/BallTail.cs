using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// The exact reduction of a one-layer norm ball at a fixed input (docs/normballs.md): with h = h_{i−1}(x) fixed,
/// z′_i = z_i + δW h and {δW h : ‖δW‖ ≤ ρ} is exactly the ℓ2 ball of radius ρ‖h‖₂ (Frobenius and spectral alike), so the
/// deviation is g(z₀ + v) − g(z₀) over ‖v‖₂ ≤ R with g the fixed tail from z_i. h and z₀ are only known as outward
/// enclosures: the tail's input set is the box [Z0Lo, Z0Hi] plus the ball of radius <see cref="Radius"/> ≥ ρ·max‖h‖,
/// which contains every z′_i of the model; <see cref="NominalLo"/>/<see cref="NominalHi"/> enclose g(z₀).
/// </summary>
public sealed class BallTail
{
    /// <summary>0-based index of the ball's layer: the tail is its activation and every layer after it.</summary>
    public int Layer { get; }
    public Network Network { get; }
    public double[] Z0Lo { get; }
    public double[] Z0Hi { get; }
    public double Radius { get; }
    public double[] NominalLo { get; }
    public double[] NominalHi { get; }

    private BallTail(Network network, int layer, double[] z0Lo, double[] z0Hi, double radius, double[] nominalLo, double[] nominalHi)
    {
        Network = network; Layer = layer; Z0Lo = z0Lo; Z0Hi = z0Hi; Radius = radius; NominalLo = nominalLo; NominalHi = nominalHi;
    }

    public int Depth => Network.Depth;
    public int Outputs => Network.OutputSize;

    /// <summary>
    /// The reduction, or null where it does not apply: the box is not a point, there is no ball (or the box was widened
    /// for an execution format), another parameter moves, or an activation of the tail is neither ReLU (hidden) nor the
    /// identity (output).
    /// </summary>
    public static BallTail? TryCreate(Network network, Box box, ParameterBox delta)
    {
        if (delta.BoundingBall is not { } ball) return null;
        if (!IsPoint(box) || box.Dimension != network.InputSize) return null;
        for (int l = 0; l < network.Depth; l++)
        {
            var b = delta.Layers[l];
            bool biasesFixed = b.BiasLo.All(v => v == 0) && b.BiasHi.All(v => v == 0);
            if (!biasesFixed || (l != ball.Layer && !b.IsZero)) return null;
            var kind = network.Layers[l].Activation.Kind;
            if (l >= ball.Layer && (l == network.Depth - 1 ? kind != ActivationKind.Identity : kind != ActivationKind.Relu)) return null;
        }
        // One interval pass of the nominal network at the point: h_{i−1}, z₀ = z_i and the outputs g(z₀), all enclosed.
        Interval[] h = box.Dimensions.ToArray();
        double radius = 0;
        double[] z0Lo = [], z0Hi = [];
        for (int l = 0; l < network.Depth; l++)
        {
            var z = network.Layers[l].PreActivation(h);
            if (l == ball.Layer)
            {
                radius = Rounding.MulUp(ball.Radius, EuclideanNorm.MaxOverBox(h.Select(i => i.Lo).ToArray(), h.Select(i => i.Hi).ToArray()));
                z0Lo = z.Select(i => i.Lo).ToArray(); z0Hi = z.Select(i => i.Hi).ToArray();
            }
            var act = network.Layers[l].Activation;
            h = z.Select(act.Image).ToArray();
        }
        if (!double.IsFinite(radius) || z0Lo.Concat(z0Hi).Any(v => !double.IsFinite(v)) || h.Any(i => !i.IsBounded)) return null;
        return new BallTail(network, ball.Layer, z0Lo, z0Hi, radius, h.Select(i => i.Lo).ToArray(), h.Select(i => i.Hi).ToArray());
    }

    private static bool IsPoint(Box box) => box.Dimensions.ToArray().All(i => i.IsPoint);
}
