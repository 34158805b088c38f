using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

public enum PerturbationKind { Absolute, Relative, NormBall, OfRange }

/// <summary>
/// Which parameters may move and by how much. Absolute: |δ| ≤ ε_l. Relative: |δ| ≤ ε_l·|θ| (zeros stay zero).
/// Norm ball: ‖δW_i‖ ≤ ratio·‖W_i‖ on one matrix. Of range (ModelStar, `--eps-of-range P`): every weight of a moving
/// layer l by at most P·(max W_l − min W_l), biases fixed (as ModelStar perturbs weight matrices only). Layers are 1-based in the CLI and in JSON; <see cref="LayerMask"/>
/// (null = all layers), <see cref="WeightsOnly"/> and <see cref="BiasesOnly"/> restrict which parameters move.
/// </summary>
public sealed record PerturbationModel
{
    public PerturbationKind Kind { get; init; } = PerturbationKind.Absolute;

    /// <summary>One ε for every layer, or one per layer (length = depth).</summary>
    public IReadOnlyList<double> Eps { get; init; } = [0.0];

    public IReadOnlySet<int>? LayerMask { get; init; }
    public bool WeightsOnly { get; init; }
    public bool BiasesOnly { get; init; }

    /// <summary>1-based layer of the norm ball.</summary>
    public int NormLayer { get; init; }
    public MatrixNorm Norm { get; init; } = MatrixNorm.Frobenius;
    public double Ratio { get; init; }

    /// <summary>
    /// Null: the network is evaluated in exact real arithmetic. Otherwise the bound must also cover every evaluation of
    /// the perturbed network in this floating-point format, and <see cref="ToBox"/> widens the box accordingly.
    /// </summary>
    public ExecutionFormat? Execution { get; init; }

    public static PerturbationModel Absolute(double eps) => new() { Kind = PerturbationKind.Absolute, Eps = [eps] };
    public static PerturbationModel Relative(double eps) => new() { Kind = PerturbationKind.Relative, Eps = [eps] };
    public static PerturbationModel OfRange(double p, IReadOnlySet<int>? layers = null) =>
        new() { Kind = PerturbationKind.OfRange, Eps = [p], LayerMask = layers, WeightsOnly = true };

    /// <summary>Validates against a network; throws <see cref="UsageException"/> for inconsistent settings.</summary>
    public void Validate(Network net)
    {
        if (WeightsOnly && BiasesOnly) throw new UsageException("--weights-only and --biases-only exclude each other");
        if (Kind == PerturbationKind.OfRange && BiasesOnly) throw new UsageException("--eps-of-range moves weights only; it excludes --biases-only");
        if (Kind == PerturbationKind.NormBall)
        {
            if (NormLayer < 1 || NormLayer > net.Depth)
                throw new UsageException($"--layer-noise {NormLayer}: the network has layers 1..{net.Depth}");
            if (!(Ratio >= 0) || !double.IsFinite(Ratio)) throw new UsageException($"--ratio must be a finite number ≥ 0, got {Ratio}");
            return;
        }
        if (Eps.Count != 1 && Eps.Count != net.Depth)
            throw new UsageException($"--eps lists {Eps.Count} values; give one, or one per layer ({net.Depth})");
        foreach (var e in Eps)
            if (!(e >= 0) || !double.IsFinite(e)) throw new UsageException($"ε must be a finite number ≥ 0, got {e.ToString(CultureInfo.InvariantCulture)}");
        if (LayerMask is not null)
            foreach (var l in LayerMask)
                if (l < 1 || l > net.Depth) throw new UsageException($"--layers: layer {l} out of range 1..{net.Depth}");
    }

    public double EpsForLayer(int layer0) => Eps.Count == 1 ? Eps[0] : Eps[layer0];

    public bool LayerMoves(int layer0) => Kind == PerturbationKind.NormBall
        ? layer0 == NormLayer - 1
        : LayerMask is null || LayerMask.Contains(layer0 + 1);

    /// <summary>The sound enclosing box of the admissible δ for this network.</summary>
    public ParameterBox ToBox(Network net)
    {
        Validate(net);
        var layers = new ParameterBox.LayerBox[net.Depth];
        var inner = new ParameterBox.LayerBox[net.Depth];
        NormBall? ball = null;
        if (Kind == PerturbationKind.NormBall)
        {
            var w = net.Layers[NormLayer - 1];
            double normUpper = Norm == MatrixNorm.Frobenius ? SpectralNorm.FrobeniusUpper(w) : SpectralNorm.SpectralUpper(w);
            double r = Rounding.MulUp(Ratio, normUpper);
            ball = new NormBall(NormLayer - 1, Norm, Ratio, r);
        }
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l];
            var wlo = new double[L.Weights.Length]; var whi = new double[L.Weights.Length];
            var blo = new double[L.Outputs]; var bhi = new double[L.Outputs];
            // The relative radius ε·|θ| is rounded up for the enclosure and down for the inner box.
            var wIn = new double[L.Weights.Length]; var bIn = new double[L.Outputs];
            if (LayerMoves(l))
            {
                if (Kind == PerturbationKind.NormBall)
                {
                    // |δ_ij| ≤ ‖δ‖ for both norms, so the box of radius r encloses the ball; biases stay fixed.
                    Array.Fill(wlo, -ball!.Radius); Array.Fill(whi, ball.Radius);
                    Array.Fill(wIn, ball.Radius); // the ball itself is checked exactly
                }
                else if (Kind == PerturbationKind.OfRange)
                {
                    // ε_l = P·(max W − min W) is rarely a double: rounded up for the enclosure, down for the inner box.
                    var (up, down) = RangeRadius(EpsForLayer(l), L.Weights);
                    Array.Fill(wlo, -up); Array.Fill(whi, up); Array.Fill(wIn, down);
                }
                else
                {
                    double e = EpsForLayer(l);
                    bool rel = Kind == PerturbationKind.Relative;
                    if (!BiasesOnly)
                        for (int k = 0; k < wlo.Length; k++)
                        {
                            double r = rel ? Rounding.MulUp(e, Math.Abs(L.Weights[k])) : e;
                            wlo[k] = -r; whi[k] = r;
                            wIn[k] = rel ? Rounding.MulDown(e, Math.Abs(L.Weights[k])) : e;
                        }
                    if (!WeightsOnly)
                        for (int k = 0; k < blo.Length; k++)
                        {
                            double r = rel ? Rounding.MulUp(e, Math.Abs(L.Bias[k])) : e;
                            blo[k] = -r; bhi[k] = r;
                            bIn[k] = rel ? Rounding.MulDown(e, Math.Abs(L.Bias[k])) : e;
                        }
                }
            }
            layers[l] = new ParameterBox.LayerBox(wlo, whi, blo, bhi);
            inner[l] = new ParameterBox.LayerBox(wIn.Select(v => -v).ToArray(), wIn, bIn.Select(v => -v).ToArray(), bIn);
        }
        var box = new ParameterBox(layers, ball, inner);
        return Execution is null ? box : ExecutionWidening.Widen(net, box, Execution);
    }

    /// <summary>
    /// The radius P·(max W − min W) of one layer's weights, rounded up (for the enclosure) and down (for the inner box).
    /// </summary>
    public static (double Up, double Down) RangeRadius(double p, ReadOnlySpan<double> weights)
    {
        if (weights.Length == 0) return (0, 0);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var w in weights) { min = Math.Min(min, w); max = Math.Max(max, w); }
        return (Rounding.MulUp(p, Rounding.SubUp(max, min)), Math.Max(0, Rounding.MulDown(p, Rounding.SubDown(max, min))));
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["kind"] = Kind switch
            {
                PerturbationKind.Absolute => "absolute",
                PerturbationKind.Relative => "relative",
                PerturbationKind.OfRange => "of-range",
                _ => "norm-ball",
            },
        };
        if (Kind == PerturbationKind.NormBall)
        {
            o["layer"] = NormLayer;
            o["norm"] = Norm == MatrixNorm.Frobenius ? "fro" : "spectral";
            o["ratio"] = Ratio;
        }
        else
        {
            var eps = new JsonArray(); foreach (var e in Eps) eps.Add(e);
            o["eps"] = eps;
            if (LayerMask is not null) { var m = new JsonArray(); foreach (var l in LayerMask.Order()) m.Add(l); o["layers"] = m; }
            o["weightsOnly"] = WeightsOnly;
            o["biasesOnly"] = BiasesOnly;
        }
        if (Execution is not null) o["execution"] = Execution.Name;
        return o;
    }
}
