using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

public enum NoiseKind { NormRatio, Absolute, Relative }

public enum NoiseDistribution { UniformSphere, Gaussian, UniformBox }

/// <summary>
/// Which layers get random noise and how it is drawn.
/// NormRatio on each listed layer i (independently): uniform-sphere: ‖η_i‖ = ratio·‖W_i‖ exactly (a Gaussian
/// direction scaled to that norm); gaussian: iid N(0, σ²) entries with σ chosen so that the root-mean-square norm is
/// ratio·‖W_i‖ (Frobenius: E‖η‖_F² = (ratio·‖W‖_F)², σ = ratio·‖W‖_F/√(mn); spectral: σ = ratio·‖W‖₂/(√m + √n),
/// for which E‖η‖₂ ≤ ratio·‖W‖₂ by Gordon's inequality). Biases stay fixed.
/// Absolute / Relative: every weight and bias of the listed layers uniform in [−ε, ε] (resp. [−ε|θ|, ε|θ|]).
/// ‖W‖₂ is the power-iteration estimate; ‖W‖_F is computed directly. The generators that draw it are built in
/// Sensitivity (<c>NoiseGenerators</c>); the spec itself is plain data, so result records can echo it.
/// </summary>
public sealed record NoiseSpec(NoiseKind Kind, IReadOnlyList<int> Layers, MatrixNorm Norm, double Ratio, double Eps,
                               NoiseDistribution Distribution)
{
    public static NoiseSpec OneLayer(int layer0, MatrixNorm norm, double ratio, NoiseDistribution distribution = NoiseDistribution.UniformSphere) =>
        new(NoiseKind.NormRatio, [layer0], norm, ratio, 0, distribution);

    public bool IsBounded => Distribution != NoiseDistribution.Gaussian;

    public void Validate(Network net)
    {
        if (Layers.Count == 0) throw new UsageException("no layer gets noise");
        foreach (var l in Layers)
            if (l < 0 || l >= net.Depth) throw new UsageException($"--layer-noise {l + 1}: the network has layers 1..{net.Depth}");
        if (Kind == NoiseKind.NormRatio)
        {
            if (!(Ratio >= 0) || !double.IsFinite(Ratio)) throw new UsageException($"--ratio must be a finite number ≥ 0, got {Fmt(Ratio)}");
            if (Distribution == NoiseDistribution.UniformBox)
                throw new UsageException("--distribution uniform-box goes with --eps; a norm ratio takes uniform-sphere or gaussian");
        }
        else
        {
            if (!(Eps >= 0) || !double.IsFinite(Eps)) throw new UsageException($"--eps must be a finite number ≥ 0, got {Fmt(Eps)}");
            if (Distribution != NoiseDistribution.UniformBox)
                throw new UsageException("--eps noise is uniform in the box; use --distribution uniform-box (the default)");
        }
    }

    public NoiseSpec WithRatio(double ratio) => this with { Ratio = ratio };

    /// <summary>Whether the layer's weights (resp. biases) move under this noise.</summary>
    public bool WeightsMove(int layer0) => Layers.Contains(layer0);
    public bool BiasesMove(int layer0) => Kind != NoiseKind.NormRatio && Layers.Contains(layer0);

    /// <summary>
    /// A sound box enclosing the support of the noise, for the certified bounders; null for Gaussian noise (unbounded).
    /// One-layer norm noise maps to the <see cref="PerturbationModel"/> norm ball (whose box carries the ball).
    /// </summary>
    public ParameterBox? EnclosingBox(Network net)
    {
        if (!IsBounded) return null;
        if (Kind == NoiseKind.NormRatio)
        {
            if (Layers.Count == 1)
            {
                // The bounders use the ball itself (dual norm), so its radius must cover the samples: spectral sampling
                // divides by a power-iteration estimate of ‖G‖₂ (SpectralSphereLayerNoise.SupportNorm2's slack).
                double ratio = Norm == MatrixNorm.Spectral ? Rounding.MulUp(Ratio, 1 + 1e-6) : Ratio;
                return new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = Layers[0] + 1, Norm = Norm, Ratio = ratio }.ToBox(net);
            }
            var layers = new ParameterBox.LayerBox[net.Depth];
            for (int l = 0; l < net.Depth; l++)
            {
                var L = net.Layers[l];
                var wlo = new double[L.Weights.Length]; var whi = new double[L.Weights.Length];
                if (Layers.Contains(l))
                {
                    double upper = Norm == MatrixNorm.Frobenius ? SpectralNorm.FrobeniusUpper(L) : SpectralNorm.SpectralUpper(L);
                    // Spectral sampling divides by a power-iteration estimate of ‖G‖₂, hence the same slack as its support bound.
                    double r = Rounding.MulUp(Rounding.MulUp(Ratio, upper), 1 + 1e-6);
                    Array.Fill(wlo, -r); Array.Fill(whi, r);
                }
                layers[l] = new ParameterBox.LayerBox(wlo, whi, new double[L.Outputs], new double[L.Outputs]);
            }
            return new ParameterBox(layers);
        }
        var model = new PerturbationModel
        {
            Kind = Kind == NoiseKind.Absolute ? PerturbationKind.Absolute : PerturbationKind.Relative,
            Eps = [Eps],
            LayerMask = Layers.Select(l => l + 1).ToHashSet(),
        };
        return model.ToBox(net);
    }

    public string Describe()
    {
        string where = Layers.Count == 1 ? $"layer {Layers[0] + 1}" : $"layers {string.Join(",", Layers.Select(l => l + 1))}";
        return Kind switch
        {
            NoiseKind.NormRatio => $"{DistributionName(Distribution)} noise on the weights of {where}, ‖η‖_{(Norm == MatrixNorm.Frobenius ? "F" : "2")} " +
                                   $"{(Distribution == NoiseDistribution.Gaussian ? "RMS" : "=")} {Fmt(Ratio)}·‖W‖",
            NoiseKind.Absolute => $"uniform noise |η| ≤ {Fmt(Eps)} on every weight and bias of {where}",
            _ => $"uniform noise |η| ≤ {Fmt(Eps)}·|θ| on every weight and bias of {where}",
        };
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["kind"] = Kind switch { NoiseKind.NormRatio => "norm-ratio", NoiseKind.Absolute => "absolute", _ => "relative" },
            ["layers"] = JsonOutput(Layers.Select(l => l + 1)),
            ["distribution"] = DistributionName(Distribution),
        };
        if (Kind == NoiseKind.NormRatio) { o["norm"] = Norm == MatrixNorm.Frobenius ? "fro" : "spectral"; o["ratio"] = Ratio; }
        else o["eps"] = Eps;
        return o;
    }

    private static JsonArray JsonOutput(IEnumerable<int> v) { var a = new JsonArray(); foreach (var x in v) a.Add(x); return a; }

    public static string DistributionName(NoiseDistribution d) => d switch
    {
        NoiseDistribution.UniformSphere => "uniform-sphere",
        NoiseDistribution.Gaussian => "gaussian",
        _ => "uniform-box",
    };

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
