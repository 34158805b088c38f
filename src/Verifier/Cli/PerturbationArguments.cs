using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>
/// The perturbation options: --eps E[,E2,...] [--relative] [--layers 1,3] [--weights-only|--biases-only], or the norm
/// ball --layer-noise i --norm fro|spectral --ratio r, or ModelStar's --eps-of-range P [--layers 3]. Turns them into a <see cref="PerturbationModel"/>.
/// </summary>
public sealed class PerturbationArguments
{
    public Option<string?> Eps { get; } = new("--eps") { Description = "perturbation radius ε, one value or one per layer (comma-separated)" };
    public Option<bool> Relative { get; } = new("--relative") { Description = "relative perturbation: |δ| ≤ ε·|θ|" };
    public Option<string?> Layers { get; } = new("--layers") { Description = "only these layers move (1-based, comma-separated)" };
    public Option<bool> WeightsOnly { get; } = new("--weights-only") { Description = "only weights move" };
    public Option<bool> BiasesOnly { get; } = new("--biases-only") { Description = "only biases move" };
    public Option<int?> LayerNoise { get; } = new("--layer-noise") { Description = "norm-ball model: the (1-based) layer whose weight matrix moves" };
    public Option<string> Norm { get; } = new("--norm") { Description = "norm of the ball: fro or spectral", DefaultValueFactory = _ => "fro" };
    public Option<double?> Ratio { get; } = new("--ratio") { Description = "norm-ball radius as a fraction of ‖W‖" };
    public Option<string?> EpsOfRange { get; } = new("--eps-of-range") { Description = "ModelStar's model: every weight of the chosen layers (--layers; default all) moves by at most P·(max W − min W) of its layer; biases fixed. One P, or one per layer" };
    public Option<string?> Execution { get; } = new("--execution") { Description = "also cover every evaluation in this floating-point format: float32, float16 or bfloat16 (-ftz: subnormals may flush); default exact real arithmetic (docs/execution.md)" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Eps, Relative, Layers, WeightsOnly, BiasesOnly, LayerNoise, Norm, Ratio, EpsOfRange, Execution }) cmd.Options.Add(o);
    }

    public PerturbationModel Resolve(ParseResult p)
    {
        string? eps = p.GetValue(Eps);
        int? layer = p.GetValue(LayerNoise);
        string? ofRange = p.GetValue(EpsOfRange);
        if (layer is not null)
        {
            if (ofRange is not null) throw new UsageException("--layer-noise (norm ball) excludes --eps-of-range");
            if (eps is not null || p.GetValue(Relative) || p.GetValue(Layers) is not null || p.GetValue(WeightsOnly) || p.GetValue(BiasesOnly))
                throw new UsageException("--layer-noise (norm ball) excludes --eps, --relative, --layers, --weights-only and --biases-only");
            double ratio = p.GetValue(Ratio) ?? throw new UsageException("--layer-noise needs --ratio");
            var norm = p.GetValue(Norm)!.ToLowerInvariant() switch
            {
                "fro" or "frobenius" => MatrixNorm.Frobenius,
                "spectral" or "2" => MatrixNorm.Spectral,
                var s => throw new UsageException($"--norm: '{s}' is not fro or spectral"),
            };
            return new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = layer.Value, Norm = norm, Ratio = ratio, Execution = ResolveExecution(p) };
        }
        if (p.GetValue(Ratio) is not null) throw new UsageException("--ratio belongs to the norm-ball model (--layer-noise)");
        if (ofRange is not null)
        {
            if (eps is not null || p.GetValue(Relative) || p.GetValue(BiasesOnly))
                throw new UsageException("--eps-of-range excludes --eps, --relative and --biases-only (it moves weights only)");
            eps = ofRange;
        }
        string epsName = ofRange is not null ? "--eps-of-range" : "--eps";
        if (eps is null) throw new UsageException("give --eps (or --eps-of-range P, or --layer-noise with --ratio)");
        var values = CommonOptions.ParseList(eps, epsName);
        foreach (var e in values)
            if (!(e >= 0)) throw new UsageException($"{epsName}: {(ofRange is null ? "ε" : "P")} must be ≥ 0, got {e.ToString(CultureInfo.InvariantCulture)}");
        HashSet<int>? mask = null;
        if (p.GetValue(Layers) is { } layers)
        {
            mask = [];
            foreach (var v in CommonOptions.ParseList(layers, "--layers"))
            {
                if (v != Math.Floor(v) || v < 1 || v > int.MaxValue) throw new UsageException($"--layers: '{v.ToString(CultureInfo.InvariantCulture)}' is not a layer number (1, 2, …)");
                mask.Add((int)v);
            }
        }
        return new PerturbationModel
        {
            Kind = ofRange is not null ? PerturbationKind.OfRange : p.GetValue(Relative) ? PerturbationKind.Relative : PerturbationKind.Absolute,
            Eps = values,
            LayerMask = mask,
            WeightsOnly = ofRange is not null || p.GetValue(WeightsOnly),
            BiasesOnly = p.GetValue(BiasesOnly),
            Execution = ResolveExecution(p),
        };
    }

    private ExecutionFormat? ResolveExecution(ParseResult p) => p.GetValue(Execution) is { } e ? ExecutionFormat.Parse(e) : null;
}
