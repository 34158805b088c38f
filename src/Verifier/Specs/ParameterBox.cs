using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// The set of admissible parameter changes as a box: for every layer, an interval [Lo, Hi] ∋ 0 for each weight
/// (row-major, like <see cref="DenseLayer.Weights"/>) and each bias. Endpoints are sound enclosures: every δ the
/// perturbation model admits lies in the box. A norm-ball model additionally carries its <see cref="NormBall"/>.
/// </summary>
public sealed class ParameterBox
{
    public sealed record LayerBox(double[] WeightLo, double[] WeightHi, double[] BiasLo, double[] BiasHi)
    {
        public bool IsZero => WeightLo.All(v => v == 0) && WeightHi.All(v => v == 0) && BiasLo.All(v => v == 0) && BiasHi.All(v => v == 0);
    }

    public IReadOnlyList<LayerBox> Layers { get; }

    /// <summary>Present for the norm-ball model: the exact set is the ball, the box encloses it.</summary>
    public NormBall? Ball { get; }

    public ParameterBox(IReadOnlyList<LayerBox> layers, NormBall? ball = null)
    {
        Layers = layers.ToArray();
        Ball = ball;
    }

    /// <summary>
    /// Set when this box was widened for a floating-point execution format (<see cref="ExecutionWidening"/>): the
    /// format. The box then encloses the rounding of every float evaluation, not a perturbation anyone may choose.
    /// </summary>
    public ExecutionFormat? Execution { get; init; }

    /// <summary>
    /// The box of the user's own perturbation model, in which witnesses must lie: this box itself unless it was widened
    /// for an execution format (a witness from the widened box would not be an admissible perturbation).
    /// </summary>
    public ParameterBox RealArithmetic
    {
        get => _realArithmetic ?? this;
        init => _realArithmetic = value;
    }

    private readonly ParameterBox? _realArithmetic;

    public static ParameterBox Zero(Network net) => new(net.Layers.Select(l => new LayerBox(
        new double[l.Weights.Length], new double[l.Weights.Length], new double[l.Outputs], new double[l.Outputs])).ToArray());

    /// <summary>The largest |δ| admitted for any parameter (a sound upper bound).</summary>
    public double MaxMagnitude
    {
        get
        {
            double m = 0;
            foreach (var l in Layers)
            {
                foreach (var v in l.WeightLo) m = Math.Max(m, -v);
                foreach (var v in l.WeightHi) m = Math.Max(m, v);
                foreach (var v in l.BiasLo) m = Math.Max(m, -v);
                foreach (var v in l.BiasHi) m = Math.Max(m, v);
            }
            return m;
        }
    }

    /// <summary>
    /// Exact membership test of a perturbed network θ' (same architecture): θ' − θ must lie in the box, and in the ball
    /// when there is one. Decided in rational arithmetic, so a witness that passes is admissible for the real numbers.
    /// </summary>
    public bool Admits(Network nominal, Network perturbed)
    {
        if (perturbed.Layers.Count != nominal.Layers.Count) return false;
        for (int l = 0; l < nominal.Layers.Count; l++)
        {
            var a = nominal.Layers[l]; var b = perturbed.Layers[l]; var box = Layers[l];
            if (a.Inputs != b.Inputs || a.Outputs != b.Outputs) return false;
            for (int k = 0; k < a.Weights.Length; k++)
                if (!InExact(a.Weights[k], b.Weights[k], box.WeightLo[k], box.WeightHi[k])) return false;
            for (int k = 0; k < a.Outputs; k++)
                if (!InExact(a.Bias[k], b.Bias[k], box.BiasLo[k], box.BiasHi[k])) return false;
        }
        return Ball is null || Ball.AdmitsExact(nominal, perturbed);
    }

    private static bool InExact(double w, double wPerturbed, double lo, double hi)
    {
        if (wPerturbed == w) return lo <= 0 && 0 <= hi;
        var d = Rational.FromDouble(wPerturbed) - Rational.FromDouble(w);
        return Rational.FromDouble(lo) <= d && d <= Rational.FromDouble(hi);
    }
}
