using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Soundness;

/// <summary>One (x, θ') to replay, with the strategy that produced it.</summary>
public sealed record Sample(string Kind, double[] X, Network Perturbed);

/// <summary>
/// Random and adversarial points of X × Δ: box vertices with δ-box vertices, random interior points, δ aligned
/// with the sign of ∂f_j/∂θ at x (first order, both signs), norm-ball directions, and the engine's own
/// projected-gradient attack over (x, δ).
/// </summary>
public static class Samplers
{
    public static IEnumerable<Sample> Draw(Instance inst, Random rng, int count)
    {
        bool ball = inst.Model.Kind == PerturbationKind.NormBall;
        for (int s = 0; s < count; s++)
        {
            var x = SampleX(rng, inst.Box, corner: s % 2 == 0);
            switch (s % 4)
            {
                case 0 or 1:
                    yield return ball ? new("ball", x, BallPoint(inst, rng, null))
                                      : new(s % 4 == 0 ? "vertex" : "interior", x, BoxPoint(inst, rng, vertex: s % 4 == 0));
                    break;
                default:
                    int j = rng.Next(inst.Network.OutputSize);
                    var g = ParameterGradient(inst.Network, x, j);
                    double sign = s % 4 == 2 ? 1 : -1;
                    yield return new("aligned", x, ball ? BallPoint(inst, rng, g[inst.Model.NormLayer - 1].W.Select(v => sign * v).ToArray())
                                                        : Aligned(inst, g, sign));
                    break;
            }
        }
    }

    /// <summary>The engine's projected-gradient attack (a small budget): its candidates, each an (x, θ').</summary>
    public static IEnumerable<Sample> Attack(Instance inst, int seed)
    {
        var attack = new DeviationAttack(inst.Network, inst.Delta,
            new AttackOptions { Restarts = 2, Steps = 30, LocalSearchRounds = 2, Seed = seed, Threads = 1 });
        return attack.Search(inst.Box, null, null, null, CancellationToken.None, out _).Select(c => new Sample("pgd", c.X, c.Perturbed));
    }

    private static double[] SampleX(Random rng, Box box, bool corner)
    {
        var x = new double[box.Dimension];
        for (int i = 0; i < x.Length; i++)
        {
            var iv = box[i];
            x[i] = corner ? (rng.Next(2) == 0 ? iv.Lo : iv.Hi)
                          : Math.Clamp(iv.Lo + Math.Round(rng.NextDouble() * 1024) / 1024 * (iv.Hi - iv.Lo), iv.Lo, iv.Hi);
        }
        return x;
    }

    private static Network BoxPoint(Instance inst, Random rng, bool vertex) => Move(inst, (l, weight, k, lo, hi) =>
        vertex ? (rng.Next(2) == 0 ? lo : hi) : lo + rng.NextDouble() * (hi - lo));

    private static Network Aligned(Instance inst, (double[] W, double[] B)[] grad, double sign) => Move(inst, (l, weight, k, lo, hi) =>
    {
        double g = sign * (weight ? grad[l].W[k] : grad[l].B[k]);
        return g > 0 ? hi : g < 0 ? lo : 0;
    });

    /// <summary>θ' = θ + target(entry) snapped into the exact set (targets come from the δ-box, an enclosure).</summary>
    private static Network Move(Instance inst, Func<int, bool, int, double, double, double> target)
    {
        var layers = new DenseLayer[inst.Network.Depth];
        for (int l = 0; l < layers.Length; l++)
        {
            var L = inst.Network.Layers[l]; var d = inst.Delta.Layers[l];
            var w = L.Weights.ToArray(); var b = L.Bias.ToArray();
            for (int k = 0; k < w.Length; k++) w[k] = ExactSet.Snap(inst.Model, l, true, w[k], target(l, true, k, d.WeightLo[k], d.WeightHi[k]));
            for (int k = 0; k < b.Length; k++) b[k] = ExactSet.Snap(inst.Model, l, false, b[k], target(l, false, k, d.BiasLo[k], d.BiasHi[k]));
            layers[l] = L.With(w, b);
        }
        return inst.Network.WithLayers(layers);
    }

    /// <summary>A point of the norm ball: a direction (random or given) scaled to a fraction of r·‖W‖ (lower estimate).</summary>
    private static Network BallPoint(Instance inst, Random rng, double[]? direction)
    {
        int layer = inst.Model.NormLayer - 1;
        var L = inst.Network.Layers[layer];
        var dir = direction ?? Enumerable.Range(0, L.Weights.Length).Select(_ => rng.Next(3) == 0 ? 0 : 2 * rng.NextDouble() - 1).ToArray();
        double n2 = dir.Sum(v => v * v);
        if (!(n2 > 0) || !double.IsFinite(n2)) return inst.Network;
        // ‖·‖₂ ≤ ‖·‖_F: a Frobenius step of r·σ_lower is inside both balls when σ_lower ≤ ‖W‖₂ ≤ ‖W‖_F.
        double norm = Math.Sqrt(NormBallLower(L, inst.Model.Norm));
        double fraction = direction is null ? rng.NextDouble() : 0.999;
        double scale = fraction * inst.Model.Ratio * norm / Math.Sqrt(n2);
        var w = L.Weights.ToArray();
        for (int k = 0; k < w.Length; k++) w[k] += scale * dir[k];
        var layers = inst.Network.Layers.ToArray();
        layers[layer] = L.With(w);
        return inst.Network.WithLayers(layers);
    }

    private static double NormBallLower(DenseLayer w, MatrixNorm norm) => NormBall.NormSquaredLowerExact(w, norm).ToDouble();

    private static double Slope(Activation a, double z) =>
        a.Kind == ActivationKind.Identity ? 1 : z > 0 ? 1 : a.Kind == ActivationKind.Relu ? 0 : a.Slope;

    /// <summary>∂f_j/∂θ at x in double arithmetic (only its signs and direction are used; soundness never depends on it).</summary>
    public static (double[] W, double[] B)[] ParameterGradient(Network net, double[] x, int output)
    {
        int depth = net.Depth;
        var h = new double[depth + 1][]; var z = new double[depth][];
        h[0] = x;
        for (int l = 0; l < depth; l++)
        {
            var L = net.Layers[l];
            z[l] = new double[L.Outputs];
            L.PreActivation(h[l], z[l]);
            h[l + 1] = z[l].Select(L.Activation.Apply).ToArray();
        }
        var grad = new (double[] W, double[] B)[depth];
        var up = new double[net.OutputSize]; up[output] = 1; // ∂f_j/∂h_L
        for (int l = depth - 1; l >= 0; l--)
        {
            var L = net.Layers[l];
            var gz = z[l].Select((v, i) => up[i] * Slope(L.Activation, v)).ToArray();
            var gw = new double[L.Weights.Length];
            for (int i = 0; i < L.Outputs; i++)
                for (int k = 0; k < L.Inputs; k++) gw[i * L.Inputs + k] = gz[i] * h[l][k];
            grad[l] = (gw, gz);
            var down = new double[L.Inputs];
            for (int i = 0; i < L.Outputs; i++)
                for (int k = 0; k < L.Inputs; k++) down[k] += L.W(i, k) * gz[i];
            up = down;
        }
        return grad;
    }
}
