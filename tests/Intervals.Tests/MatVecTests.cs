using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// Matrix-vector products against exact rational hulls on random small matrices.
/// Stated bounds: the point-matrix fast path is within (2.0625·N + 8)·u·T + 2 ulp + O(Nη) of the exact hull
/// per endpoint, T = Σ_j |W_ij|·mag(x_j) (+|b_i|); Rump's interval product is at most 1.5× the exact
/// hull's width plus twice that rounding slack.
/// </summary>
public class MatVecTests
{
    private static readonly Rational U = Rational.Parse("1/9007199254740992");
    private static readonly Rational Eta = Q(double.Epsilon);

    private static double Entry(CsCheck.PCG pcg, int magnitudeClass) => magnitudeClass switch
    {
        0 => (pcg.Next(2001) - 1000) / 256.0,
        1 => (pcg.Next(1 << 30) / (double)(1 << 30) - 0.5) * 2,
        2 => (pcg.Next(1 << 30) / (double)(1 << 30) - 0.5) * 1e-300,
        _ => DotProductTests.Clip(Interval.Point(TestDoubles.PointIn(new Interval(-1e10, 1e10), pcg))).Lo,
    };

    private static Interval InputInterval(CsCheck.PCG pcg, int magnitudeClass, bool allowInfinite)
    {
        double a = Entry(pcg, magnitudeClass), b = pcg.Next(4) == 0 ? a : Entry(pcg, magnitudeClass);
        var iv = new Interval(Math.Min(a, b), Math.Max(a, b));
        if (allowInfinite && pcg.Next(10) == 0) iv = pcg.Next(2) == 0 ? new Interval(double.NegativeInfinity, iv.Hi) : new Interval(iv.Lo, double.PositiveInfinity);
        return iv;
    }

    [Test]
    public void PointMatrixTimesIntervalVectorEnclosesTheExactHullAndIsTight()
    {
        TestDoubles.Chunked(4, TestDoubles.Iterations(300), 0x3A7, (pcg, iter) =>
        {
            int rows = 1 + (int)pcg.Next(6), cols = (int)pcg.Next(24);
            int wClass = (int)pcg.Next(4), xClass = (int)pcg.Next(4);
            bool withBias = pcg.Next(2) == 0, infinite = iter % 7 == 0;
            var W = new double[rows * cols];
            for (int k = 0; k < W.Length; k++) W[k] = pcg.Next(5) == 0 ? 0.0 : Entry(pcg, wClass);
            var x = new Interval[cols];
            for (int j = 0; j < cols; j++) x[j] = InputInterval(pcg, xClass, infinite);
            var bias = withBias ? Enumerable.Range(0, rows).Select(_ => Entry(pcg, wClass)).ToArray() : [];
            double[] lo = x.Select(v => v.Lo).ToArray(), hi = x.Select(v => v.Hi).ToArray();
            double[] oLo = new double[rows], oHi = new double[rows];
            IntervalMath.MatVec(W, rows, cols, bias, lo, hi, oLo, oHi);

            for (int i = 0; i < rows; i++)
            {
                // Exact hull of the row; an infinite input with a non-zero weight makes that side unbounded.
                Rational eLo = withBias ? Q(bias[i]) : Rational.Zero, eHi = eLo, t = Rational.Abs(eLo);
                bool loInf = false, hiInf = false;
                for (int j = 0; j < cols; j++)
                {
                    double w = W[i * cols + j];
                    if (w == 0) continue;
                    double forLo = w > 0 ? lo[j] : hi[j], forHi = w > 0 ? hi[j] : lo[j];
                    if (double.IsInfinity(forLo)) loInf = true; else eLo += Q(w) * Q(forLo);
                    if (double.IsInfinity(forHi)) hiInf = true; else eHi += Q(w) * Q(forHi);
                    if (double.IsFinite(x[j].Magnitude)) t += Q(Math.Abs(w)) * Q(x[j].Magnitude);
                }
                var computed = new Interval(oLo[i], oHi[i]);
                if (loInf) Assert.That(oLo[i], Is.EqualTo(double.NegativeInfinity));
                else Assert.That(Contains(computed, eLo), $"row {i}: lower end {eLo.ToDouble():R} not in {computed}");
                if (hiInf) Assert.That(oHi[i], Is.EqualTo(double.PositiveInfinity));
                else Assert.That(Contains(computed, eHi), $"row {i}: upper end {eHi.ToDouble():R} not in {computed}");
                if (loInf || hiInf || infinite) continue;
                int n = cols + (withBias ? 1 : 0);
                Rational wSum = Rational.Zero;
                for (int j = 0; j < cols; j++) wSum += Q(Math.Abs(W[i * cols + j]));
                Rational slack = Rational.Parse("33/16") * n * U * t + 8 * U * t
                                 + 2 * Ulp((Rational.Max(Rational.Abs(eLo), Rational.Abs(eHi)) + 3 * n * U * t).ToDouble())
                                 + (4 * n + 8) * Eta * (1 + wSum);
                Assert.That(eLo - Q(oLo[i]) <= slack && Q(oHi[i]) - eHi <= slack,
                    $"row {i} of {rows}×{cols}: {computed} vs exact [{eLo.ToDouble():R}, {eHi.ToDouble():R}], slack {slack.ToDouble():R}");
            }
        });
    }

    [Test]
    public void IntervalMatrixProductsEncloseAndStayWithinRumpsFactor()
    {
        TestDoubles.Chunked(4, TestDoubles.Iterations(150), 0x5A1, (pcg, _) =>
        {
            int rows = 1 + (int)pcg.Next(5), cols = (int)pcg.Next(16);
            int aClass = (int)pcg.Next(4), xClass = (int)pcg.Next(4);
            var lo = new double[rows * cols]; var hi = new double[rows * cols];
            for (int k = 0; k < lo.Length; k++) { var e = InputInterval(pcg, aClass, false); lo[k] = e.Lo; hi[k] = e.Hi; }
            var A = new IntervalMatrix(rows, cols, lo, hi);
            var x = Enumerable.Range(0, cols).Select(_ => InputInterval(pcg, xClass, false)).ToArray();
            var rump = A.Multiply(x);
            var tight = A.MultiplyTight(x);
            for (int i = 0; i < rows; i++)
            {
                Rational eLo = Rational.Zero, eHi = Rational.Zero, t = Rational.Zero, conversion = Rational.Zero;
                for (int j = 0; j < cols; j++)
                {
                    var a = A[i, j];
                    Rational[] c = [Q(a.Lo) * Q(x[j].Lo), Q(a.Lo) * Q(x[j].Hi), Q(a.Hi) * Q(x[j].Lo), Q(a.Hi) * Q(x[j].Hi)];
                    eLo += c.Min(); eHi += c.Max();
                    t += Q(a.Magnitude) * Q(x[j].Magnitude);
                    conversion += 4 * Eta * (Q(a.Magnitude) + Q(x[j].Magnitude));
                }
                DotProductTests.Encloses(rump[i], eLo, eHi, $"Rump row {i}");
                DotProductTests.Encloses(tight[i], eLo, eHi, $"tight row {i}");
                Rational slack = DotProductTests.Slack(2 * cols, t, Rational.Max(Rational.Abs(eLo), Rational.Abs(eHi))) + 8 * U * t + conversion;
                Assert.That(Q(rump[i].Hi) - Q(rump[i].Lo) <= Rational.Parse("3/2") * (eHi - eLo) + 2 * slack,
                    $"Rump row {i}: {rump[i]} wider than 1.5× [{eLo.ToDouble():R}, {eHi.ToDouble():R}]");
                Rational tightSlack = (2 * cols + 2) * U * t + (2 * cols + 2) * Eta;
                Assert.That(eLo - Q(tight[i].Lo) <= tightSlack && Q(tight[i].Hi) - eHi <= tightSlack, $"tight row {i}: {tight[i]}");
            }
        });
    }

    [Test]
    public void AliasedOutputsAndBadShapes()
    {
        double[] W = [1, -2, 3, 4];
        double[] lo = [-1, 0], hi = [1, 2];
        IntervalMath.MatVec(W, 2, 2, lo, hi, lo, hi); // in place
        Assert.That(new Interval(lo[0], hi[0]).Contains(new Interval(-5, 1)));
        Assert.That(new Interval(lo[1], hi[1]).Contains(new Interval(-3, 11)));
        Assert.Throws<ArgumentException>(() => IntervalMath.MatVec(W, 2, 3, new double[3], new double[3], new double[2], new double[2]));
        Assert.Throws<ArgumentException>(() => IntervalMath.MatVec(W, 2, 2, [1, 0], [0, 0], new double[2], new double[2]));
        Assert.Throws<ArgumentException>(() => IntervalMath.MatVec(W, 2, 2, [double.NaN, 0], [0, 0], new double[2], new double[2]));
    }

    [Test]
    public void LargeProductMatchesTheExactHullClosely()
    {
        // 300 columns exercise the vectorised kernel and the stack/pool switch (> 256 columns).
        var pcg = new CsCheck.PCG(7, 7);
        int rows = 3, cols = 300;
        var W = new double[rows * cols];
        for (int k = 0; k < W.Length; k++) W[k] = Entry(pcg, 1);
        var lo = new double[cols]; var hi = new double[cols];
        for (int j = 0; j < cols; j++) { double a = Entry(pcg, 1); lo[j] = a; hi[j] = a + 0.01; }
        double[] oLo = new double[rows], oHi = new double[rows];
        IntervalMath.MatVec(W, rows, cols, lo, hi, oLo, oHi);
        for (int i = 0; i < rows; i++)
        {
            Rational eLo = Rational.Zero, eHi = Rational.Zero;
            for (int j = 0; j < cols; j++)
            {
                double w = W[i * cols + j];
                eLo += Q(w) * Q(w > 0 ? lo[j] : hi[j]); eHi += Q(w) * Q(w > 0 ? hi[j] : lo[j]);
            }
            Assert.That(Contains(new Interval(oLo[i], oHi[i]), eLo) && Contains(new Interval(oLo[i], oHi[i]), eHi));
            Assert.That((Q(oHi[i]) - Q(oLo[i])) - (eHi - eLo), Is.LessThan(Rational.Parse("1e-11")));
        }
    }
}
