using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// The set of admissible parameter changes as a box: for every layer, an interval [Lo, Hi] ∋ 0 for each weight
/// (row-major, like <see cref="DenseLayer.Weights"/>) and each bias. Endpoints are sound enclosures: every δ the
/// perturbation model admits lies in the box. A norm-ball model additionally carries its <see cref="NormBall"/>.
/// <see cref="Inner"/> is the other side: a box of doubles that lies inside the admissible set (for a relative
/// radius ε·|θ|, which is rarely a double, the enclosure rounds it up and the inner box down). Bounds are computed
/// over <see cref="Layers"/>; witnesses are built in, and checked against, <see cref="Inner"/>.
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

    /// <summary>
    /// The ball the bounders may use in place of its layer's box (the dual-norm bound of the bilinear term): the
    /// <see cref="Ball"/> unless this box was widened for an execution format, whose extra width the ball does not cover.
    /// </summary>
    public NormBall? BoundingBall => Execution is null ? Ball : null;

    /// <summary>The ball's radius r on layer <paramref name="layer"/> (0-based) when the bounders use it there, else null.</summary>
    public double? BallRadiusAt(int layer) => BoundingBall is { } b && b.Layer == layer ? b.Radius : null;

    /// <summary>Admissible for certain: every δ in this box (and in <see cref="Ball"/>, if any) is admitted by the model.</summary>
    public IReadOnlyList<LayerBox> Inner { get; }

    /// <param name="layers">The sound enclosure.</param>
    /// <param name="ball">The norm ball, when the exact set is one.</param>
    /// <param name="inner">A box inside the admissible set; omitted when the enclosure is exact (its endpoints are the model's own doubles).</param>
    public ParameterBox(IReadOnlyList<LayerBox> layers, NormBall? ball = null, IReadOnlyList<LayerBox>? inner = null)
    {
        Layers = layers.ToArray();
        Ball = ball;
        Inner = inner?.ToArray() ?? Layers;
        if (Inner.Count != Layers.Count) throw new ArgumentException("the inner box needs one entry per layer");
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
    /// Exact membership test of a perturbed network θ' (same architecture): θ' − θ must lie in the <see cref="Inner"/>
    /// box, and in the ball when there is one. Decided in rational arithmetic, so a witness that passes is admissible
    /// for the real numbers.
    /// </summary>
    public bool Admits(Network nominal, Network perturbed)
    {
        if (perturbed.Layers.Count != nominal.Layers.Count) return false;
        for (int l = 0; l < nominal.Layers.Count; l++)
        {
            var a = nominal.Layers[l]; var b = perturbed.Layers[l]; var box = Inner[l];
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
