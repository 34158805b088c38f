using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// The immutable data of one deviation query in flat arrays, shared by all attack threads: nominal parameters,
/// the δ box per layer, which layers move, and for a norm-ball model the radius of an admissible inner
/// Frobenius ball (so every point the attack visits is admissible by construction).
/// </summary>
internal sealed class DeviationProblem
{
    public Network Nominal { get; }
    public ParameterBox Delta { get; }
    public int Depth { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }
    public double[][] W { get; }
    public double[][] B { get; }
    public Activation[] Act { get; }

    /// <summary>The activations' rules per layer, fetched once for the attack's inner loops.</summary>
    public IActivationOperator[] Ops { get; }
    public double[][] WLo { get; }
    public double[][] WHi { get; }
    public double[][] BLo { get; }
    public double[][] BHi { get; }
    public bool[] Moves { get; }

    /// <summary>0-based layer of the norm ball, or −1.</summary>
    public int BallLayer { get; }

    /// <summary>Radius r of a Frobenius ball {‖δ‖_F ≤ r} inside the admissible set (a little below the exact one).</summary>
    public double BallRadius { get; }

    public DeviationProblem(Network nominal, ParameterBox delta)
    {
        if (delta.Layers.Count != nominal.Depth)
            throw new ArgumentException($"the parameter box has {delta.Layers.Count} layers, the network {nominal.Depth}");
        Nominal = nominal;
        Delta = delta;
        Depth = nominal.Depth;
        Inputs = new int[Depth]; Outputs = new int[Depth];
        W = new double[Depth][]; B = new double[Depth][]; Act = new Activation[Depth]; Ops = new IActivationOperator[Depth];
        WLo = new double[Depth][]; WHi = new double[Depth][]; BLo = new double[Depth][]; BHi = new double[Depth][];
        Moves = new bool[Depth];
        for (int l = 0; l < Depth; l++)
        {
            var layer = nominal.Layers[l];
            var box = delta.Layers[l];
            Inputs[l] = layer.Inputs; Outputs[l] = layer.Outputs;
            W[l] = layer.Weights.ToArray(); B[l] = layer.Bias.ToArray(); Act[l] = layer.Activation; Ops[l] = layer.Activation.Operator;
            WLo[l] = box.WeightLo; WHi[l] = box.WeightHi; BLo[l] = box.BiasLo; BHi[l] = box.BiasHi;
            Moves[l] = !box.IsZero;
        }
        BallLayer = -1;
        if (delta.Ball is { } ball)
        {
            BallLayer = ball.Layer;
            // The exact admissible set contains {‖δ‖_F² ≤ ratio²·N} with N the exact (lower bound of the) squared
            // norm; stay a relative 1e-9 inside so that rounding θ+δ to doubles cannot leave it.
            double n = NormBall.NormSquaredLowerExact(nominal.Layers[ball.Layer], ball.Norm).ToInterval().Lo;
            BallRadius = Math.Max(0, ball.Ratio * Math.Sqrt(Math.Max(0, n)) * (1 - 1e-9));
            for (int l = 0; l < Depth; l++) Moves[l] = l == BallLayer && BallRadius > 0;
        }
    }

    public int InputSize => Inputs[0];
    public int OutputSize => Outputs[Depth - 1];
}
