using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// Exact realization distances of bias-free shallow networks with two inputs, without a solver. Every kink line passes
/// through the origin, so the activation regions are the open sectors between consecutive rays ±(−a₂, a₁) of the
/// lines; the gradient is constant on each sector and is read at one exact point inside it (the sum of the two
/// bounding rays, or a perpendicular when they are opposite). On a box the difference is linear on every convex cell
/// cut out by the lines, so its largest |value| is at a cell vertex: a box corner, a crossing of a line with a box edge,
/// or the origin.
/// </summary>
public static class PlanarCones
{
    public static bool Applies(ExactNet net) => ShallowNeurons.IsBiasFreeShallow(net) && net.InputSize == 2;

    /// <summary>ess sup over ℝ² of the largest |partial derivative| of any output (the paper's (21) with ‖·‖∞).</summary>
    public static Rational SemiNorm(ExactNet diff)
    {
        var best = Rational.Zero;
        foreach (var x in SectorPoints(diff))
            for (int o = 0; o < diff.OutputSize; o++)
                best = Rational.Max(best, ShallowNeurons.MaxAbs(Gradient(diff, x, o)));
        return best;
    }

    /// <summary>max over the box [lo, hi] of |output| (any output).</summary>
    public static Rational Sup(ExactNet diff, Rational[] lo, Rational[] hi)
    {
        var points = new List<Rational[]> { new[] { lo[0], lo[1] }, new[] { lo[0], hi[1] }, new[] { hi[0], lo[1] }, new[] { hi[0], hi[1] } };
        if (lo[0] <= 0 && hi[0] >= 0 && lo[1] <= 0 && hi[1] >= 0) points.Add([Rational.Zero, Rational.Zero]);
        foreach (var a in diff.Layers[0].W)
            for (int k = 0; k < 2; k++)
            {
                if (a[1 - k].IsZero) continue;
                foreach (var edge in new[] { lo[k], hi[k] })
                {
                    var p = new Rational[2];
                    p[k] = edge;
                    p[1 - k] = -a[k] * edge / a[1 - k];
                    if (p[1 - k] >= lo[1 - k] && p[1 - k] <= hi[1 - k]) points.Add(p);
                }
            }
        var best = Rational.Zero;
        foreach (var p in points)
            foreach (var v in diff.Evaluate(p)) best = Rational.Max(best, Rational.Abs(v));
        return best;
    }

    private static Rational[] Gradient(ExactNet net, Rational[] x, int o)
    {
        var g = new[] { Rational.Zero, Rational.Zero };
        for (int i = 0; i < net.Layers[0].Outputs; i++)
        {
            var a = net.Layers[0].W[i];
            if ((a[0] * x[0] + a[1] * x[1]).Sign <= 0) continue;
            var c = net.Layers[1].W[o][i];
            g[0] += c * a[0]; g[1] += c * a[1];
        }
        return g;
    }

    /// <summary>One exact point strictly inside every open sector (a point on no line).</summary>
    private static IEnumerable<Rational[]> SectorPoints(ExactNet net)
    {
        var rays = new List<Rational[]>();
        foreach (var a in net.Layers[0].W)
        {
            if (a[0].IsZero && a[1].IsZero) continue;
            var s = ShallowNeurons.MaxAbs(a);
            rays.Add([-a[1] / s, a[0] / s]);
            rays.Add([a[1] / s, -a[0] / s]);
        }
        if (rays.Count == 0) { yield return [Rational.One, Rational.Zero]; yield break; }
        rays.Sort(CompareAngle);
        var distinct = new List<Rational[]>();
        foreach (var r in rays)
            if (distinct.Count == 0 || CompareAngle(distinct[^1], r) != 0) distinct.Add(r);
        for (int i = 0; i < distinct.Count; i++)
        {
            var u = distinct[i]; var v = distinct[(i + 1) % distinct.Count];
            var cross = u[0] * v[1] - u[1] * v[0];
            // Rays come in opposite pairs, so consecutive rays are at most π apart; at exactly π the sector is a half-plane.
            yield return cross.Sign > 0 ? [u[0] + v[0], u[1] + v[1]] : [-u[1], u[0]];
        }
    }

    /// <summary>Orders directions by angle in [0, 2π) exactly (upper half-plane first, then by cross product).</summary>
    private static int CompareAngle(Rational[] p, Rational[] q)
    {
        int hp = Half(p), hq = Half(q);
        if (hp != hq) return hp.CompareTo(hq);
        return -(p[0] * q[1] - p[1] * q[0]).Sign;
    }

    private static int Half(Rational[] p) => p[1].Sign > 0 || (p[1].IsZero && p[0].Sign > 0) ? 0 : 1;
}
