using Verify.Intervals;
using Verify.Model;
using Propagation = Verify.Bounds.IntervalPropagation;

namespace Verify.InverseStability;

/// <summary>
/// max_j |f1_j − f2_j|: affine on each region, so its largest value on the region's closure is a linear program. Z3's
/// optimiser proposes the best vertex x*; the value v there is certified as the region's maximum by an exact strict
/// check (no point of the region has ±(f1_j − f2_j) &gt; v), and the witness x* (in the closed box) is replayed with
/// <see cref="Network.EvaluateExact"/>. By continuity the maximum over the closures of all regions is the sup over the box.
/// Partial patterns are bounded by interval propagation of both networks over the region box.
/// </summary>
public sealed class SupObjective(Network first, Network second, BoxSlice slice) : IRegionObjective
{
    public double Bound(NetworkProgress p1, NetworkProgress p2, RegionBox box)
    {
        if (p1.Done && p2.Done)
            return Differences(p1, p2).Max(g => box.Enclose(g).Magnitude);
        var y1 = Outputs(p1, box); var y2 = Outputs(p2, box);
        double bound = 0;
        for (int j = 0; j < y1.Length; j++) bound = Math.Max(bound, (y1[j] - y2[j]).Magnitude);
        return bound;
    }

    public Rational? ValueAt(Rational[] x)
    {
        var y1 = first.EvaluateExact(x); var y2 = second.EvaluateExact(x);
        var best = Rational.Zero;
        for (int j = 0; j < y1.Length; j++) best = Rational.Max(best, Rational.Abs(y1[j] - y2[j]));
        return best;
    }

    public LeafOutcome Leaf(NetworkProgress p1, NetworkProgress p2, Rational[] point, RegionBox box, RegionSolver solver, Rational best)
    {
        double bestLow = best.Sign < 0 ? double.NegativeInfinity : best.ToInterval().Lo;
        Rational localBest = best; Rational[]? witness = null;
        double undecided = double.NegativeInfinity;
        foreach (var g in Differences(p1, p2))
            foreach (var form in new[] { g, g.Scale(-Rational.One) })
            {
                var enclosure = box.Enclose(form);
                if (enclosure.Hi <= bestLow || enclosure.Hi <= 0) continue;
                // Most regions cannot beat the best value: one exact check says so, before any optimisation.
                if (localBest.Sign >= 0)
                {
                    var beats = solver.Find(new AffineForm(form.Coefficients, form.Constant - localBest), 1, box);
                    if (beats.Empty) continue;
                    if (beats.IsUnknown) { undecided = Math.Max(undecided, enclosure.Hi); continue; }
                }
                var at = solver.Maximize(form);
                // Any point of the box gives a true value; only the optimiser's claim about the region needs the check below.
                if (at is null || !slice.Box.Contains(slice.Embed(at))) { undecided = Math.Max(undecided, enclosure.Hi); continue; }
                var v = form.Evaluate(at);
                // Certificate: no point of the region exceeds v.
                var above = new AffineForm(form.Coefficients, form.Constant - v);
                if (!solver.Find(above, 1, box).Empty) { undecided = Math.Max(undecided, enclosure.Hi); continue; }
                if (v <= localBest) continue;
                var value = ValueAt(slice.Embed(at))!.Value;   // ≥ v: another output may be larger at x*
                if (value > localBest) { localBest = value; witness = at; }
            }
        if (witness is not null) return new LeafOutcome(localBest, witness, undecided);
        return undecided > double.NegativeInfinity ? LeafOutcome.Undecided(undecided) : LeafOutcome.NoBetter;
    }

    private static AffineForm[] Differences(NetworkProgress p1, NetworkProgress p2)
    {
        var o1 = p1.Outputs; var o2 = p2.Outputs;
        return o1.Select((f, j) => new AffineForm(f.Coefficients.Select((a, k) => a - o2[j].Coefficients[k]).ToArray(), f.Constant - o2[j].Constant)).ToArray();
    }

    /// <summary>Enclosures of a network's outputs on every region completing the partial pattern inside the box.</summary>
    private static Interval[] Outputs(NetworkProgress p, RegionBox box)
    {
        if (p.Done) return p.Outputs.Select(box.Enclose).ToArray();
        var layer = p.Net.Layers[p.Layer];
        var h = new Interval[p.Pre.Length];
        for (int i = 0; i < h.Length; i++)
            h[i] = i < p.Next ? box.Enclose(p.Post[i]) : Propagation.Activate(layer.Activation, box.Enclose(p.Pre[i]));
        for (int l = p.Layer + 1; l < p.Net.Depth; l++) h = Propagation.Layer(p.Net.Layers[l], h);
        return h;
    }
}
