using Verify.Bounds;

namespace Verify.Tests.Bounds;

/// <summary>The fused products of the joint pass's affine step are bit-identical to adding the rows one at a time
/// (y[j] += a·x[j] per non-zero row, in row order), which is what the rounding analysis of the bounders assumes:
/// every column sum is a plain round-to-nearest sum of the same products in the same order.</summary>
public class TransposedProductsTests
{
    private static double Entry(Random rng) => rng.Next(8) switch
    {
        0 => 0.0,
        1 => -0.0,
        2 => Math.ScaleB(rng.NextDouble() - 0.5, -1000),   // tiny products underflow
        _ => (2 * rng.NextDouble() - 1) * Math.Pow(10, rng.Next(-3, 4)),
    };

    /// <summary>A random shape, W and a box [lo, hi] of δW (awkward entries: signed zeros, underflowing products).</summary>
    private static (int NOut, int NIn, double[] W, double[] Lo, double[] Hi) RandomLayer(Random rng)
    {
        int nOut = 1 + rng.Next(40), nIn = 1 + rng.Next(70);
        var w = new double[nOut * nIn]; var hi = new double[nOut * nIn]; var lo = new double[nOut * nIn];
        for (int q = 0; q < w.Length; q++)
        {
            w[q] = Entry(rng);
            double a = Entry(rng), b = Entry(rng);
            lo[q] = Math.Min(a, b); hi[q] = Math.Max(a, b);
        }
        return (nOut, nIn, w, lo, hi);
    }

    [Test]
    public void CombineAndCornersMatchRowByRowSumsBitForBit()
    {
        var rng = new Random(16);
        for (int t = 0; t < 300; t++)
        {
            var (nOut, nIn, w, lo, hi) = RandomLayer(rng);
            var c = new double[nOut];
            for (int i = 0; i < nOut; i++) c[i] = rng.Next(3) == 0 ? 0 : Entry(rng);
            var rows = new int[nOut];
            int n = TransposedProducts.NonZeroRows(c, rows);
            var combined = new double[nIn]; var pos = new double[nIn]; var neg = new double[nIn];
            TransposedProducts.Combine(c, rows.AsSpan(0, n), w, nIn, combined);
            bool withNeg = t % 2 == 0;
            TransposedProducts.Corners(c, rows.AsSpan(0, n), hi, lo, nIn, pos, neg, withNeg);
            var eCombined = new double[nIn]; var ePos = new double[nIn]; var eNeg = new double[nIn];
            for (int i = 0; i < nOut; i++)
            {
                double a = c[i];
                if (a == 0) continue;
                for (int j = 0; j < nIn; j++)
                {
                    eCombined[j] += a * w[i * nIn + j];
                    ePos[j] += a * (a > 0 ? hi : lo)[i * nIn + j];
                    eNeg[j] += a * (a > 0 ? lo : hi)[i * nIn + j];
                }
            }
            for (int j = 0; j < nIn; j++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(combined[j]), Is.EqualTo(BitConverter.DoubleToInt64Bits(eCombined[j])), $"trial {t}, column {j}");
                Assert.That(BitConverter.DoubleToInt64Bits(pos[j]), Is.EqualTo(BitConverter.DoubleToInt64Bits(ePos[j])), $"trial {t}, column {j}");
                if (withNeg) Assert.That(BitConverter.DoubleToInt64Bits(neg[j]), Is.EqualTo(BitConverter.DoubleToInt64Bits(eNeg[j])), $"trial {t}, column {j}");
            }
        }
    }

    [Test]
    public void CombineBothGivesTheSeparateSumsExactly()
    {
        // Widths around the 512- and 256-bit blocks and the scalar tail; rows where only one of c, d is non-zero.
        var rng = new Random(11);
        for (int t = 0; t < 300; t++)
        {
            var (nOut, nIn, w, lo, hi) = RandomLayer(rng);
            var c = new double[nOut]; var d = new double[nOut];
            for (int i = 0; i < nOut; i++)
            {
                c[i] = rng.Next(3) == 0 ? 0 : Entry(rng);
                d[i] = rng.Next(3) == 0 ? 0 : Entry(rng);
            }
            var rows = new int[nOut];
            int nc = TransposedProducts.NonZeroRows(c, rows);
            var ch = new double[nIn];
            TransposedProducts.Combine(c, rows.AsSpan(0, nc), w, nIn, ch);
            int nd = TransposedProducts.NonZeroRows(d, rows);
            var cd = new double[nIn]; var pos = new double[nIn]; var neg = new double[nIn];
            TransposedProducts.Combine(d, rows.AsSpan(0, nd), w, nIn, cd);
            TransposedProducts.Corners(d, rows.AsSpan(0, nd), hi, lo, nIn, pos, neg, withNeg: false);
            int nb = TransposedProducts.NonZeroRows(c, d, rows);
            var bc = new double[nIn]; var bd = new double[nIn]; var bp = new double[nIn];
            TransposedProducts.CombineBoth(c, d, rows.AsSpan(0, nb), w, hi, lo, nIn, bc, bd, bp);
            for (int j = 0; j < nIn; j++)
            {
                // Equal as numbers (a zero coefficient may turn a −0 sum into +0, which no later step distinguishes).
                Assert.That(bc[j], Is.EqualTo(ch[j]), $"trial {t}, column {j} (c)");
                Assert.That(bd[j], Is.EqualTo(cd[j]), $"trial {t}, column {j} (d)");
                Assert.That(bp[j], Is.EqualTo(pos[j]), $"trial {t}, column {j} (corners)");
            }
        }
    }

    [Test]
    public void NonZeroRowsKeepsRowOrder()
    {
        var rows = new int[6];
        int n = TransposedProducts.NonZeroRows([0.0, 2.0, -0.0, -1.0, 0.0, 3.0], rows);
        Assert.That(rows.AsSpan(0, n).ToArray(), Is.EqualTo(new[] { 1, 3, 5 }));
    }
}
