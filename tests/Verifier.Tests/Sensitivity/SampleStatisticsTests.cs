using Verify.Results;
using Verify.Sensitivity;

namespace Verify.Tests.Sensitivity;

public class SampleStatisticsTests
{
    [Test]
    public void LogGammaMatchesKnownValues()
    {
        Assert.That(SampleStatistics.LogGamma(1), Is.EqualTo(0).Within(1e-14));
        Assert.That(SampleStatistics.LogGamma(0.5), Is.EqualTo(0.5 * Math.Log(Math.PI)).Within(1e-14));
        Assert.That(SampleStatistics.LogGamma(11), Is.EqualTo(Math.Log(3628800)).Within(1e-12));
        Assert.That(SampleStatistics.LogGamma(100.5), Is.EqualTo(361.4355404677776).Within(1e-11));
        Assert.That(SampleStatistics.LogGamma(3.7), Is.EqualTo(1.4280723266653883).Within(1e-13));
    }

    [TestCase(100, 0.5)]
    [TestCase(1000, 0.9)]
    [TestCase(5000, 0.99)]
    public void OrderStatisticRanksHaveTheirCoverage(int n, double p)
    {
        var (l, u) = SampleStatistics.OrderStatisticRanks(n, p, 0.95);
        Assert.That(l, Is.LessThan(u));
        // On Uniform(0,1) the p-quantile is p, and [X_(l), X_(u)] covers it iff l ≤ #{X_i < p} < u.
        var rng = new Rng(3);
        int hits = 0, runs = 1000;
        for (int r = 0; r < runs; r++)
        {
            int below = 0;
            for (int i = 0; i < n; i++) if (rng.NextDouble() < p) below++;
            if (l <= below && below < u) hits++;
        }
        Assert.That(hits / (double)runs, Is.GreaterThanOrEqualTo(0.93));
    }

    [Test]
    public void QuantileIntervalUsesTheOrderStatisticsOfTheSortedSample()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var (l, u) = SampleStatistics.OrderStatisticRanks(100, 0.5, 0.95);
        var q = SampleStatistics.QuantileOf(sorted, 0.5);
        Assert.That(q.Value, Is.EqualTo(50));
        Assert.That(q.Interval.Lo, Is.EqualTo(l));
        Assert.That(q.Interval.Hi, Is.EqualTo(u));
        Assert.That(q.Interval.Lo, Is.LessThan(50));
        Assert.That(q.Interval.Hi, Is.GreaterThan(50));
    }

    [Test]
    public void SmallSamplesGiveAnUnboundedUpperEndForHighQuantiles()
    {
        var q = SampleStatistics.QuantileOf(Enumerable.Range(1, 50).Select(i => (double)i).ToArray(), 0.99);
        Assert.That(q.Interval.Hi, Is.EqualTo(double.PositiveInfinity));
        Assert.That(q.Value, Is.EqualTo(50));
    }

    [Test]
    public void SamplesNeededShrinksTheIntervalToThePrecision()
    {
        var rng = new Rng(5);
        var v = Enumerable.Range(0, 10_000).Select(_ => Math.Abs(rng.NextNormal())).ToArray();
        var s = SampleStatistics.Of(v, upperBound: null);
        long n = s.SamplesNeeded(0.01)!.Value;
        Assert.That(SampleStatistics.Z95 * s.StdDev / Math.Sqrt(n), Is.LessThanOrEqualTo(0.01 * s.Mean));
        Assert.That(SampleStatistics.Z95 * s.StdDev / Math.Sqrt(n - 1), Is.GreaterThan(0.01 * s.Mean * 0.999));
        Assert.That(s.DistributionFree, Is.Null);
    }
}
