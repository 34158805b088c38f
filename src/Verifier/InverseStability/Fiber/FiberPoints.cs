using Verify.Intervals;
using Verify.Specs;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// Chooses the sample points of the fiber lower bound. The proof is sound for any points of U; good points make it
/// tight: the kinks of Θ with the derivative on both sides (they force Φ to put a kink exactly there), the middle of
/// every linear piece (slope) and the ends, then a uniform grid (1-D) or seeded random points (d ≥ 2).
/// </summary>
public static class FiberPoints
{
    public static IReadOnlyList<FiberPoint> Choose(ExactNet theta, FiberDomain u, int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one point");
        return u.Dimension == 1 ? OneDimensional(theta, u, count) : Multi(theta, u, count, seed);
    }

    private static IReadOnlyList<FiberPoint> OneDimensional(ExactNet theta, FiberDomain u, int count)
    {
        Rational lo = u.Lo[0], hi = u.Hi[0];
        Rational[] plus = [Rational.One], minus = [-Rational.One];
        var kinks = theta.Layers[0].W.Select((row, i) => row[0].IsZero ? (Rational?)null : -theta.Layers[0].B[i] / row[0])
            .Where(p => p is { } q && q > lo && q < hi).Select(p => p!.Value).Distinct().OrderBy(p => p).ToList();
        var points = new List<FiberPoint>
        {
            new([lo], [plus], "left end"),
            new([hi], [minus], "right end"),
        };
        points.AddRange(kinks.Select(p => new FiberPoint([p], [plus, minus], "kink of Θ")));
        var breaks = kinks.Prepend(lo).Append(hi).ToList();
        for (int j = 0; j + 1 < breaks.Count; j++)
            points.Add(new([(breaks[j] + breaks[j + 1]) / 2], [plus, minus], "middle of a linear piece of Θ's first layer"));
        for (int g = 1; points.Count < count; g++)
        {
            // Grid of 2^g cells; points already present are skipped, so the grid refines until the budget is used.
            int cells = 1 << g;
            for (int j = 1; j < cells && points.Count < count; j += 2)
            {
                var x = lo + (hi - lo) * new Rational(j, cells);
                if (points.All(p => p.X[0] != x)) points.Add(new([x], [], "grid"));
            }
            if (g > 20) break;
        }
        return points.OrderBy(p => p.X[0]).ToList();
    }

    private static IReadOnlyList<FiberPoint> Multi(ExactNet theta, FiberDomain u, int count, int seed)
    {
        int d = u.Dimension;
        var center = Enumerable.Range(0, d).Select(i => (u.Lo[i] + u.Hi[i]) / 2).ToArray();
        var axes = new List<Rational[]>();
        for (int k = 0; k < d; k++)
        {
            axes.Add(Enumerable.Range(0, d).Select(i => i == k ? Rational.One : Rational.Zero).ToArray());
            axes.Add(Enumerable.Range(0, d).Select(i => i == k ? -Rational.One : Rational.Zero).ToArray());
        }
        var points = new List<FiberPoint> { new(center, axes, "centre") };
        if (d <= 4)
            for (int mask = 0; mask < 1 << d; mask++)
                points.Add(new(Enumerable.Range(0, d).Select(i => (mask >> i & 1) == 1 ? u.Hi[i] : u.Lo[i]).ToArray(), [], "corner"));
        // On each kink hyperplane a·x + b = 0 of Θ's first layer: the projection of the centre, with the derivative
        // across the hyperplane (±a), which forces Φ to have a kink through that point.
        var first = theta.Layers[0];
        for (int i = 0; i < first.Outputs; i++)
        {
            var a = first.W[i];
            var norm2 = a.Aggregate(Rational.Zero, (s, v) => s + v * v);
            if (norm2.IsZero) continue;
            var t = (a.Zip(center, (x, y) => x * y).Aggregate(Rational.Zero, (s, v) => s + v) + first.B[i]) / norm2;
            var p = center.Select((c, k) => c - t * a[k]).ToArray();
            if (!u.Interior(p) || points.Any(q => q.X.SequenceEqual(p))) continue;
            points.Add(new(p, [a.ToArray(), a.Select(v => -v).ToArray()], $"on the kink hyperplane of Θ neuron {i}"));
        }
        var rng = new Random(seed);
        for (int tries = 0; points.Count < count && tries < 100 * count; tries++)
        {
            var x = Enumerable.Range(0, d).Select(i => u.Lo[i] + (u.Hi[i] - u.Lo[i]) * new Rational(rng.Next(1, 32), 32)).ToArray();
            if (points.All(q => !q.X.SequenceEqual(x))) points.Add(new(x, [], "random (seeded)"));
        }
        return points;
    }
}
