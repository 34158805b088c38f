using CsCheck;
using Verify.Intervals.Tests.Support;
using static Verify.Intervals.Tests.Support.Exact;

namespace Verify.Intervals.Tests;

/// <summary>
/// <see cref="PointMatrixProduct"/>: for random matrices and boxes (awkward doubles: subnormals, huge and tiny
/// magnitudes, cancellation), the exact W·h + b at random points of the box lies in the result; the result is at most
/// a few n·u (relative to Σ|W||h|) wider than the exact range; unbounded boxes and overflow are refused, not wrapped.
/// </summary>
public class PointMatrixProductTests
{
    private static readonly Gen<double> Entry = Gen.Int[0, 5].SelectMany(k => k switch
    {
        0 => TestDoubles.Finite.Select(d => Math.Abs(d) > 1e150 ? 0.0 : d), // awkward, but products stay finite
        1 => Gen.Double[-1e-300, 1e-300],
        2 => Gen.Int[-8, 8].Select(i => i / 4.0),
        _ => Gen.Double[-3, 3],
    });

    [Test]
    public void EnclosesTheExactImageAtPointsOfTheBox()
    {
        int perChunk = TestDoubles.Iterations(60);
        TestDoubles.Chunked(8, perChunk, 0x9a11, (pcg, _) =>
        {
            int rows = (int)pcg.Next(6) + 1, n = (int)pcg.Next(12) + 1;
            var w = new double[rows * n]; var b = new double[rows]; var h = new Interval[n];
            for (int k = 0; k < w.Length; k++) w[k] = Entry.Generate(pcg, null!, out Size _);
            for (int i = 0; i < rows; i++) b[i] = Entry.Generate(pcg, null!, out Size _);
            for (int j = 0; j < n; j++)
            {
                double a = Entry.Generate(pcg, null!, out Size _), c = Entry.Generate(pcg, null!, out Size _);
                h[j] = pcg.Next(4) == 0 ? Interval.Point(a) : new Interval(Math.Min(a, c), Math.Max(a, c));
            }
            var z = new Interval[rows];
            Assert.That(PointMatrixProduct.TryMultiply(w, b, h, z), Is.True, "finite inputs with finite products");
            for (int s = 0; s < 4; s++)
            {
                var x = h.Select(iv => TestDoubles.PointIn(iv, pcg)).ToArray();
                for (int i = 0; i < rows; i++)
                {
                    var exact = Q(b[i]);
                    for (int j = 0; j < n; j++) exact += Q(w[i * n + j]) * Q(x[j]);
                    Assert.That(Contains(z[i], exact), $"row {i}: {z[i]} misses the exact value {exact.ToDouble():R}");
                }
            }
        });
    }

    [Test]
    public void IsTheExactRangeUpToTheErrorBound()
    {
        // W = [[1, −2, 0.5]], b = 0.25, h ∈ [0,1] × [1,2] × [−4,4]: the exact range is [−5.75, 1.25].
        var z = new Interval[1];
        Assert.That(PointMatrixProduct.TryMultiply([1, -2, 0.5], [0.25], [new(0, 1), new(1, 2), new(-4, 4)], z), Is.True);
        Assert.That(z[0].Lo, Is.LessThanOrEqualTo(-5.75).And.GreaterThan(-5.75 * (1 + 1e-14)));
        Assert.That(z[0].Hi, Is.GreaterThanOrEqualTo(1.25).And.LessThan(1.25 * (1 + 1e-14)));
    }

    [Test]
    public void RefusesUnboundedBoxesAndOverflow()
    {
        var z = new Interval[1];
        Assert.That(PointMatrixProduct.TryMultiply([1, 1], [0], [new(0, 1), new(0, double.PositiveInfinity)], z), Is.False);
        Assert.That(PointMatrixProduct.TryMultiply([1e300, 1e300], [0], [new(1e10, 1e10), new(0, 1)], z), Is.False);
        Assert.That(z[0], Is.EqualTo(default(Interval)), "a refused product leaves z untouched");
    }
}
