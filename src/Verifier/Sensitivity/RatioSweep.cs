using System.Globalization;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>One noise level of a sweep: Monte Carlo, first-order prediction, and the certified upper bound and best
/// replayed witness of the worst case where available.</summary>
public sealed record SweepRow(double Level, double MeanInf, double MeanL2, double Q99Inf, double Q99L2, double MaxInf, double MaxL2,
                              double FirstOrderInf, double FirstOrderL2, double? CertifiedUpperInf, double? WitnessLowerInf);

/// <summary>
/// Runs the analysis at log-spaced noise levels (the norm ratio, or ε for --eps noise) given as "lo:hi:count".
/// </summary>
public static class RatioSweep
{
    public static double[] ParseLevels(string text)
    {
        var parts = text.Split(':');
        var inv = CultureInfo.InvariantCulture;
        if (parts.Length != 3 || !double.TryParse(parts[0], NumberStyles.Float, inv, out var lo) ||
            !double.TryParse(parts[1], NumberStyles.Float, inv, out var hi) || !int.TryParse(parts[2], NumberStyles.Integer, inv, out var n))
            throw new UsageException($"--ratios must look like lo:hi:count (e.g. 0.001:0.3:12), got '{text}'");
        if (!(lo > 0) || !(hi >= lo) || !double.IsFinite(hi) || n < 1 || n > 1000)
            throw new UsageException($"--ratios {text}: need 0 < lo ≤ hi and 1 ≤ count ≤ 1000");
        if (n == 1) return [lo];
        return Enumerable.Range(0, n).Select(i => lo * Math.Pow(hi / lo, i / (double)(n - 1))).ToArray();
    }

    public static IReadOnlyList<SweepRow> Run(Network net, NoiseSpec noise, IReadOnlyList<double[]> points, Box? inputBox,
                                              double[] levels, SensitivityOptions options, CancellationToken cancellation = default)
    {
        var rows = new List<SweepRow>();
        foreach (var level in levels)
        {
            var spec = noise.Kind == NoiseKind.NormRatio ? noise with { Ratio = level } : noise with { Eps = level };
            var r = SensitivityAnalysis.Run(net, spec, points, inputBox, options, cancellation);
            // The witness goes with the certified bound (both skipped without --certify-timeout).
            double? witness = options.CertifyTimeout is null ? null
                : WorstCaseWitness.Lower(net, inputBox ?? Box.FromBounds(points[0], points[0]), spec, (int)(options.Seed % int.MaxValue), cancellation);
            rows.Add(Row(level, r) with { WitnessLowerInf = witness });
        }
        return rows;
    }

    public static SweepRow Row(double level, SensitivityResult r) => new(level,
        r.Inf.Mean, r.L2.Mean, r.Inf.Quantiles.Single(q => q.P == 0.99).Value, r.L2.Quantiles.Single(q => q.P == 0.99).Value,
        r.Inf.Max, r.L2.Max, r.FirstOrder.Inf, r.FirstOrder.L2, r.Certified?.Upper, null);

    /// <summary>The per-level table as CSV lines (header first); the caller writes the file.</summary>
    public static IReadOnlyList<string> Csv(IReadOnlyList<SweepRow> rows, string levelName)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double? v) => v is null ? "" : v.Value.ToString("R", inv);
        var lines = new List<string> { $"{levelName},mc_mean_inf,mc_mean_l2,mc_q99_inf,mc_q99_l2,mc_max_inf,mc_max_l2,first_order_inf,first_order_l2,certified_upper_inf,witness_lower_inf" };
        lines.AddRange(rows.Select(r => string.Join(",", F(r.Level), F(r.MeanInf), F(r.MeanL2), F(r.Q99Inf), F(r.Q99L2), F(r.MaxInf),
            F(r.MaxL2), F(r.FirstOrderInf), F(r.FirstOrderL2), F(r.CertifiedUpperInf), F(r.WitnessLowerInf))));
        return lines;
    }
}
