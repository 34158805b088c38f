using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;
using Verify.Results;
using Verify.Sensitivity;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>
/// `verify sensitivity`: how far the output moves on average, and how far it can move, under random weight noise —
/// Monte Carlo with confidence intervals, condition numbers at x, first-order prediction, optional sweep plot.
/// </summary>
public sealed class SensitivityVerb : IVerb
{
    private sealed record Args(
        string Net, string? Format, string? X, string? Lo, string? Hi, int Points, int? LayerNoise, string Norm, double? Ratio,
        double? Eps, bool Relative, bool AllLayers, string? Distribution, long Samples, int Seed, double Precision,
        string? Json, string? Csv, string? Plot, string? Ratios, int? Threads, double CertifyTimeout);

    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var x = new Option<string?>("--x") { Description = "input point, comma-separated" };
        var lo = new Option<string?>("--lo") { Description = "input box lower corner (with --hi): x is sampled uniformly in the box" };
        var hi = new Option<string?>("--hi") { Description = "input box upper corner" };
        var points = new Option<int>("--points") { Description = "number of points drawn in the --lo/--hi box", DefaultValueFactory = _ => 16 };
        var layer = new Option<int?>("--layer-noise") { Description = "1-based layer whose weights get noise" };
        var norm = new Option<string>("--norm") { Description = "fro | spectral: the norm of --ratio", DefaultValueFactory = _ => "fro" };
        var ratio = new Option<double?>("--ratio") { Description = "noise norm as a fraction of ‖W_i‖ (e.g. 0.1)" };
        var eps = new Option<double?>("--eps") { Description = "absolute noise per parameter, uniform in [−ε, ε] (weights and biases)" };
        var relative = new Option<bool>("--relative") { Description = "with --eps: noise uniform in [−ε|θ|, ε|θ|]" };
        var all = new Option<bool>("--all-layers") { Description = "noise on every layer at once (each with its own ratio·‖W_l‖)" };
        var dist = new Option<string?>("--distribution") { Description = "uniform-sphere (default for --ratio) | gaussian | uniform-box (--eps)" };
        var samples = new Option<long>("--samples") { Description = "Monte Carlo samples", DefaultValueFactory = _ => 100_000 };
        var seed = CommonOptions.Seed();
        var precision = new Option<double>("--precision") { Description = "target relative half-width of the 95% CI (reports samples needed)", DefaultValueFactory = _ => 0.01 };
        var json = CommonOptions.Json();
        var csv = new Option<string?>("--csv") { Description = "write the per-level table (one row without --ratios) to this CSV file" };
        var plot = new Option<string?>("--plot") { Description = "write a log-log chart over the --ratios levels (.png or .svg)" };
        var ratios = new Option<string?>("--ratios") { Description = "sweep levels lo:hi:count, log-spaced", };
        var threads = new Option<int?>("--threads") { Description = "worker threads (default: all cores)" };
        var certTimeout = new Option<double>("--certify-timeout") { Description = "seconds per certified bounder call", DefaultValueFactory = _ => 30 };
        var cmd = new Command("sensitivity", "Monte Carlo output deviation under random weight noise, with confidence intervals and condition numbers.")
        {
            net, format, x, lo, hi, points, layer, norm, ratio, eps, relative, all, dist, samples, seed, precision, json, csv, plot, ratios, threads, certTimeout,
        };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(new Args(p.GetValue(net)!, p.GetValue(format), p.GetValue(x), p.GetValue(lo),
            p.GetValue(hi), p.GetValue(points), p.GetValue(layer), p.GetValue(norm)!, p.GetValue(ratio), p.GetValue(eps), p.GetValue(relative),
            p.GetValue(all), p.GetValue(dist), p.GetValue(samples), p.GetValue(seed), p.GetValue(precision), p.GetValue(json), p.GetValue(csv),
            p.GetValue(plot), p.GetValue(ratios), p.GetValue(threads), p.GetValue(certTimeout)))));
        return cmd;
    }

    private static int Execute(Args a)
    {
        ValidateOptions(a);
        double[]? levels = a.Ratios is not null || a.Plot is not null ? RatioSweep.ParseLevels(a.Ratios ?? "0.001:0.3:12") : null;
        var network = NetworkFiles.Read(a.Net, a.Format);
        var noise = ParseNoise(a, network);
        noise.Validate(network);
        var (points, box) = ParsePoints(a, network);
        var options = new SensitivityOptions
        {
            Samples = a.Samples,
            Seed = unchecked((ulong)a.Seed),
            MaxDegreeOfParallelism = a.Threads ?? Environment.ProcessorCount,
            CertifyTimeout = CommonOptions.Seconds(a.CertifyTimeout, "--certify-timeout"),
            ShowProgress = true,
        };
        var result = SensitivityAnalysis.Run(network, noise, points, box, options);
        Print(result, a.Precision, box is not null);
        JsonOutput.Write(a.Json, result.ToJson(a.Precision));
        string levelName = noise.Kind == NoiseKind.NormRatio ? "ratio" : "eps";
        if (levels is not null)
        {
            if (noise.Kind == NoiseKind.NormRatio && noise.Distribution == NoiseDistribution.Gaussian && CertifiedBounds.Available().Count > 0)
                Console.WriteLine("note: gaussian noise is unbounded, so the chart has no certified worst case");
            var rows = RatioSweep.Run(network, noise, points, box, levels, options with { ShowProgress = true });
            if (a.Csv is not null) OutputFile.WriteLines(a.Csv, RatioSweep.Csv(rows, levelName), "CSV");
            if (a.Plot is not null)
            {
                OutputFile.Write(a.Plot, SweepPlot.Render(rows, levelName == "ratio" ? $"noise ratio ‖η‖/‖W‖ ({(noise.Norm == MatrixNorm.Frobenius ? "Frobenius" : "spectral")})" : "ε",
                    SweepTitle(a, noise), Path.GetExtension(a.Plot).Equals(".svg", StringComparison.OrdinalIgnoreCase)), "the plot");
                Console.WriteLine($"plot:        {a.Plot} ({rows.Count} levels)");
            }
        }
        else if (a.Csv is not null)
        {
            double level = noise.Kind == NoiseKind.NormRatio ? noise.Ratio : noise.Eps;
            OutputFile.WriteLines(a.Csv, RatioSweep.Csv([RatioSweep.Row(level, result)], levelName), "CSV");
        }
        return 0;
    }

    private static string SweepTitle(Args a, NoiseSpec noise)
    {
        string where = noise.Layers.Count == 1 ? $"layer {noise.Layers[0] + 1}" : "all layers";
        string what = noise.Kind switch
        {
            NoiseKind.NormRatio => $"{NoiseSpec.DistributionName(noise.Distribution)}, {(noise.Norm == MatrixNorm.Frobenius ? "Frobenius" : "spectral")}",
            NoiseKind.Absolute => "uniform, absolute ε",
            _ => "uniform, relative ε",
        };
        return $"{Path.GetFileName(a.Net)}: noise on {where} ({what}), {a.Samples} samples per level";
    }

    private static void ValidateOptions(Args a)
    {
        if (a.Samples < 2 || a.Samples > 500_000_000) throw new UsageException($"--samples must be between 2 and 5e8, got {a.Samples}");
        if (!(a.Precision > 0) || !double.IsFinite(a.Precision)) throw new UsageException("--precision must be a positive number");
        if (a.Threads is < 1) throw new UsageException("--threads must be at least 1");
        if (!(a.CertifyTimeout > 0)) throw new UsageException("--certify-timeout must be a positive number of seconds");
        if (a.Points < 1 || a.Points > 1_000_000) throw new UsageException("--points must be between 1 and 1e6");
        if (a.Plot is not null && Path.GetExtension(a.Plot).ToLowerInvariant() is not (".png" or ".svg"))
            throw new UsageException($"--plot {a.Plot}: the file must end in .png or .svg");
    }

    private static NoiseSpec ParseNoise(Args a, Network net)
    {
        var norm = a.Norm.ToLowerInvariant() switch
        {
            "fro" or "frobenius" => MatrixNorm.Frobenius,
            "spectral" or "2" => MatrixNorm.Spectral,
            _ => throw new UsageException($"--norm must be fro or spectral, got '{a.Norm}'"),
        };
        NoiseDistribution? dist = a.Distribution?.ToLowerInvariant() switch
        {
            null => null,
            "gaussian" => NoiseDistribution.Gaussian,
            "uniform-sphere" => NoiseDistribution.UniformSphere,
            "uniform-box" => NoiseDistribution.UniformBox,
            _ => throw new UsageException($"--distribution must be gaussian, uniform-sphere or uniform-box, got '{a.Distribution}'"),
        };
        if (a.Ratio is not null && a.Eps is not null) throw new UsageException("give either --ratio or --eps, not both");
        if (a.Relative && a.Eps is null) throw new UsageException("--relative goes with --eps");
        if (a.LayerNoise is not null && a.AllLayers) throw new UsageException("--layer-noise and --all-layers exclude each other");
        if (a.LayerNoise is { } l && (l < 1 || l > net.Depth))
            throw new UsageException($"--layer-noise {l}: {a.Net} has layers 1..{net.Depth}");
        IReadOnlyList<int> layers = a.LayerNoise is { } one ? [one - 1] : Enumerable.Range(0, net.Depth).ToArray();
        if (a.Ratio is { } ratio)
        {
            if (a.LayerNoise is null && !a.AllLayers) throw new UsageException("--ratio needs --layer-noise i or --all-layers");
            return new NoiseSpec(NoiseKind.NormRatio, layers, norm, ratio, 0, dist ?? NoiseDistribution.UniformSphere);
        }
        if (a.Eps is { } eps)
            return new NoiseSpec(a.Relative ? NoiseKind.Relative : NoiseKind.Absolute, layers, norm, 0, eps, dist ?? NoiseDistribution.UniformBox);
        throw new UsageException("no noise given: use --layer-noise i --ratio r [--norm fro|spectral], --all-layers --ratio r, or --eps e [--relative]");
    }

    private static (IReadOnlyList<double[]> Points, Box? Box) ParsePoints(Args a, Network net)
    {
        if (a.X is not null)
        {
            if (a.Lo is not null || a.Hi is not null) throw new UsageException("give either --x or --lo/--hi, not both");
            var x = CommonOptions.ParseList(a.X, "--x");
            if (x.Length != net.InputSize) throw new UsageException($"--x has {x.Length} values but {a.Net} expects {net.InputSize} inputs");
            return ([x], null);
        }
        if (a.Lo is null || a.Hi is null) throw new UsageException("give the input as --x a,b,c or as a box --lo .. --hi .. [--points N]");
        var lo = CommonOptions.ParseList(a.Lo, "--lo");
        var hi = CommonOptions.ParseList(a.Hi, "--hi");
        if (lo.Length != net.InputSize || hi.Length != net.InputSize)
            throw new UsageException($"--lo/--hi need {net.InputSize} values each, got {lo.Length} and {hi.Length}");
        for (int i = 0; i < lo.Length; i++)
            if (lo[i] > hi[i]) throw new UsageException($"--lo/--hi: empty box, lo[{i}] > hi[{i}]");
        if (a.Samples < a.Points * 2L) throw new UsageException($"--samples {a.Samples} must be at least 2 per point (--points {a.Points})");
        var box = Box.FromBounds(lo, hi);
        return (SensitivityAnalysis.PointsInBox(box, a.Points, unchecked((ulong)a.Seed)), box);
    }

    private static void Print(SensitivityResult r, double precision, bool inBox)
    {
        var inv = CultureInfo.InvariantCulture;
        string G(double v) => v.ToString("G4", inv);
        string Ci(ConfidenceInterval? c) => c is null ? "n/a" : $"[{G(c.Lo)}, {(double.IsPositiveInfinity(c.Hi) ? "∞" : G(c.Hi))}]";
        Console.WriteLine($"noise:       {r.Noise.Describe()}");
        Console.WriteLine(inBox
            ? $"inputs:      {r.Points.Count} points drawn uniformly in the box; samples split evenly (CIs conditional on the points)"
            : $"input:       x = ({string.Join(", ", r.Points[0].X.Select(G))})");
        Console.WriteLine($"samples:     {r.Samples} ({r.SamplesPerSecond:G3} samples/s)");
        foreach (var (name, s) in new[] { ("∞-norm", r.Inf), ("2-norm", r.L2) })
        {
            Console.WriteLine($"‖Δf‖ {name}: mean {G(s.Mean)}  95% CI normal {Ci(s.Normal)}  distribution-free {Ci(s.DistributionFree)}");
            Console.WriteLine("             " + string.Join("  ", s.Quantiles.Select(q => $"q{q.P * 100:0} {G(q.Value)} {Ci(q.Interval)}")) + $"  max {G(s.Max)}");
        }
        if (r.Inf.DistributionFree is null)
            Console.WriteLine("             (no distribution-free CI for the mean: gaussian noise is unbounded; quantile CIs are order-statistic, distribution-free)");
        var need = new[] { r.Inf.SamplesNeeded(precision), r.L2.SamplesNeeded(precision) };
        if (need.All(n => n is not null)) Console.WriteLine($"precision:   {need.Max()} samples for a CI half-width of {precision * 100:G3}% of the mean");
        var fo = r.FirstOrder;
        Console.WriteLine($"first order: E‖Jη‖∞ ≈ {G(fo.Inf)}, E‖Jη‖₂ ≈ {G(fo.L2)}" + (fo.RmsL2 is { } rms ? $", √trace(JΣJᵀ) = {G(rms)}" : ""));
        Console.WriteLine(r.Certified is { } c ? $"certified:   sup ‖Δf‖∞ ≤ {G(c.Upper)} ({c.Method})" : "certified:   no certified bound available");
        var p0 = r.Points[0].Condition;
        string at = inBox ? " (first point)" : "";
        Console.WriteLine($"condition{at}: input κ_abs ∞ {G(p0.InputAbsolute.Inf)} 2 {G(p0.InputAbsolute.L2)}, κ_rel ∞ {G(p0.InputRelative.Inf)} 2 {G(p0.InputRelative.L2)}");
        Console.WriteLine($"             parameters κ_abs ∞ {G(p0.ParameterAbsolute.Inf)} 2 {G(p0.ParameterAbsolute.L2)}, κ_rel ∞ {G(p0.ParameterRelative.Inf)} 2 {G(p0.ParameterRelative.L2)}");
        int onBoundary = r.Points.Count(p => p.Condition.OnRegionBoundary);
        if (onBoundary > 0)
            Console.WriteLine($"warning:     {onBoundary} point(s) lie on an activation-region boundary (a pre-activation is exactly 0); the Jacobian there is one-sided");
    }
}
