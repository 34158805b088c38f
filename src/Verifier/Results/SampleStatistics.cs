namespace Verify.Results;

/// <summary>A two-sided 95% confidence interval; <see cref="Method"/> names how it was obtained.</summary>
public sealed record ConfidenceInterval(double Lo, double Hi, string Method);

/// <summary>An empirical quantile with its distribution-free 95% order-statistic interval (Hi = +∞ when n is too small).</summary>
public sealed record Quantile(double P, double Value, ConfidenceInterval Interval);

/// <summary>
/// Summary of n iid draws of a nonnegative deviation:
/// mean with a normal-approximation (CLT) 95% interval mean ± 1.96·s/√n, and — when a sample-independent bound
/// 0 ≤ X ≤ U is known — a distribution-free 95% interval by the empirical Bernstein inequality (Maurer &amp; Pontil 2009,
/// Thm. 4, applied to X/U and to 1 − X/U with δ = 0.025 each); quantiles 0.5/0.9/0.99 with distribution-free
/// order-statistic (binomial) intervals, and the maximum.
/// </summary>
public sealed record SampleStatistics(
    long Count, double Mean, double StdDev, ConfidenceInterval Normal, ConfidenceInterval? DistributionFree,
    IReadOnlyList<Quantile> Quantiles, double Max, double? UpperBound)
{
    public const double Z95 = 1.959963984540054;
    public static readonly double[] QuantileLevels = [0.5, 0.9, 0.99];

    /// <summary>Samples needed for the normal interval's half-width to be <paramref name="precision"/>·mean.</summary>
    public long? SamplesNeeded(double precision)
    {
        if (!(Mean > 0) || !(precision > 0)) return null;
        double n = Math.Ceiling(Math.Pow(Z95 * StdDev / (precision * Mean), 2));
        return n > long.MaxValue / 2 ? long.MaxValue / 2 : Math.Max(2, (long)n);
    }

    /// <summary>Summarises the values (sorted in place).</summary>
    public static SampleStatistics Of(double[] values, double? upperBound)
    {
        int n = values.Length;
        if (n < 2) throw new ArgumentException("at least two samples are needed");
        // Welford for the variance: stable for tiny deviations with a large mean.
        double mean = 0, m2 = 0;
        for (int i = 0; i < n; i++)
        {
            double d = values[i] - mean;
            mean += d / (i + 1);
            m2 += d * (values[i] - mean);
        }
        double variance = m2 / (n - 1), sd = Math.Sqrt(variance);
        double half = Z95 * sd / Math.Sqrt(n);
        var normal = new ConfidenceInterval(mean - half, mean + half, "normal approximation (CLT): mean ± 1.96·s/√n");
        ConfidenceInterval? free = null;
        if (upperBound is { } u && double.IsFinite(u) && u > 0)
        {
            double log = Math.Log(2 / 0.025);
            double eb = Math.Sqrt(2 * variance * log / n) + 7 * u * log / (3.0 * (n - 1));
            free = new ConfidenceInterval(Math.Max(0, mean - eb), Math.Min(u, mean + eb),
                "empirical Bernstein (Maurer–Pontil 2009) for 0 ≤ X ≤ U with the a-priori bound U");
        }
        Array.Sort(values);
        var quantiles = QuantileLevels.Select(p => QuantileOf(values, p)).ToArray();
        return new SampleStatistics(n, mean, sd, normal, free, quantiles, values[^1], upperBound);
    }

    /// <summary>
    /// Empirical p-quantile X_(⌈np⌉) with the order-statistic interval [X_(l), X_(u)]: the number of draws below the
    /// true quantile is Binomial(n, p), so P(X_(l) ≤ q_p ≤ X_(u)) ≥ P(l ≤ B &lt; u) ≥ 0.95 for any distribution.
    /// </summary>
    public static Quantile QuantileOf(double[] sorted, double p)
    {
        int n = sorted.Length;
        int k = Math.Clamp((int)Math.Ceiling(n * p), 1, n);
        var (l, u) = OrderStatisticRanks(n, p, 0.95);
        double lo = l >= 1 ? sorted[l - 1] : 0.0; // deviations are ≥ 0, so 0 is a valid lower end
        double hi = u <= n ? sorted[u - 1] : double.PositiveInfinity;
        return new Quantile(p, sorted[k - 1], new ConfidenceInterval(lo, hi, "order statistics (binomial), distribution-free"));
    }

    /// <summary>Ranks l &lt; u (1-based; l = 0 or u = n+1 mean unbounded) with P(l ≤ Bin(n,p) &lt; u) ≥ level.</summary>
    public static (int L, int U) OrderStatisticRanks(int n, double p, double level)
    {
        double mu = n * p, s = Math.Sqrt(n * p * (1 - p));
        int l = (int)Math.Floor(mu - Z95 * s), u = (int)Math.Ceiling(mu + Z95 * s) + 1;
        l = Math.Max(0, l); u = Math.Min(n + 1, u);
        while (Coverage(n, p, l, u) < level)
        {
            if (l == 0 && u == n + 1) break;
            if (l > 0) l--;
            if (u < n + 1) u++;
        }
        return (l, u);
    }

    /// <summary>P(l ≤ B ≤ u − 1) for B ~ Binomial(n, p), summed over the window in log space.</summary>
    private static double Coverage(int n, double p, int l, int u)
    {
        double lnN = LogGamma(n + 1), lp = Math.Log(p), lq = Math.Log(1 - p), sum = 0;
        for (int b = Math.Max(l, 0); b <= Math.Min(u - 1, n); b++)
            sum += Math.Exp(lnN - LogGamma(b + 1) - LogGamma(n - b + 1) + b * lp + (n - b) * lq);
        return sum;
    }

    /// <summary>ln Γ(x) for x &gt; 0: Stirling's series after shifting x ≥ 10 (truncation error &lt; 1e-15).</summary>
    public static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 10) { shift -= Math.Log(x); x += 1; }
        double inv = 1 / x, inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188 - inv2 * 691.0 / 360360)))));
        return shift + (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series;
    }
}
