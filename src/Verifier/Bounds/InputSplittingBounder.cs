using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>The outcome of branch and bound over the input box.</summary>
public sealed record SplitOutcome(DeviationBound Bound, int Splits, int OpenBoxes, IReadOnlyList<SplitProgress> History);

/// <summary>
/// `--method auto`: the linear bound (<see cref="LinearDifferenceBounder"/>) refined by input splitting. The open
/// sub-boxes sit in a priority queue keyed by their worst bound relative to the whole box's (so every output counts);
/// the worst boxes are taken in batches, bisected along the dimension with the largest influence (|coefficient| ×
/// width in the linear bounds of the outputs), and their halves bounded in parallel. The certified U_j is the maximum
/// of U_j over the open boxes — they cover the input box — and a half is never worse than its parent (the parent's bound
/// holds on it). Stops at the timeout, at <see cref="MaxSplits"/>, at <see cref="StopAtSupUpper"/>, or when <see cref="MaxOpenBoxes"/> boxes are open
/// (memory cap: each open box holds a few arrays of input-dimension and output-dimension doubles, ≈ 200 bytes for the
/// benchmark sizes, so the default 200,000 boxes stay below ~50 MB).
/// </summary>
public sealed class InputSplittingBounder : IDeviationBounder
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxSplits { get; init; } = int.MaxValue;
    public int MaxOpenBoxes { get; init; } = 200_000;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public LinearDifferenceBounder Leaf { get; init; } = new();
    public Action<SplitProgress>? Progress { get; init; }

    /// <summary>Stop once the sup-norm bound is at most this (e.g. a replayed lower bound: no better answer exists).</summary>
    public double? StopAtSupUpper { get; init; }

    /// <summary>A child's pass intersects its pre-activation enclosures with its parent's (valid: the child box lies
    /// in the parent's). Each open box then keeps its enclosures (≈ 12 doubles per neuron, 29 KB for 5-50×6-5), so
    /// only while fewer than this many boxes are open; beyond, children start from scratch.</summary>
    public int MaxBoxesWithEnclosures { get; init; } = 4_000;

    public string Name => "auto";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        Run(network, box, delta, cancellation).Bound;

    private sealed record Node(Box Box, double[] Upper, double[] Lower, double[] DeltaUpper, double[] Influence, double Key)
    {
        public LayerBounds[]? Enclosures { get; init; }
    }

    public SplitOutcome Run(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var (rootBound, rootInfl, rootEnc) = Leaf.BoundWithEnclosures(network, box, delta, null, cancellation);
        double[] rootUpper = rootBound.Upper;
        var history = new List<SplitProgress> { new(0, clock.Elapsed.TotalSeconds, rootBound.SupUpper) };
        var queue = new PriorityQueue<Node, double>();
        var done = new List<Node>();   // boxes too small to bisect further
        var rootNode = MakeNode(box, rootBound, rootInfl, rootUpper) with { Enclosures = MaxBoxesWithEnclosures > 0 ? rootEnc : null };
        queue.Enqueue(rootNode, -rootNode.Key);
        int splits = 0;
        int batchSize = Math.Max(2, 2 * Parallelism);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Timeout);
        var ct = deadline.Token;
        double lastSup = rootBound.SupUpper;
        var batch = new List<Node>(batchSize);
        while (!ct.IsCancellationRequested && splits < MaxSplits && queue.Count > 0 && queue.Count + done.Count + batchSize < MaxOpenBoxes
               && !(lastSup <= StopAtSupUpper))
        {
            batch.Clear();
            while (batch.Count < batchSize && queue.Count > 0 && splits + batch.Count < MaxSplits)
            {
                var n = queue.Dequeue();
                if (n.Key <= 0) { done.Add(n); continue; } // already exact zero: nothing to gain
                batch.Add(n);
            }
            if (batch.Count == 0) break;
            var children = new Box[batch.Count * 2];
            var splittable = new bool[batch.Count];
            for (int b = 0; b < batch.Count; b++)
            {
                int dim = SplitDimension(batch[b]);
                if (dim < 0) continue;
                splittable[b] = true;
                (children[2 * b], children[2 * b + 1]) = batch[b].Box.Bisect(dim);
            }
            var results = new (DeviationBound, double[], LayerBounds[])[children.Length];
            bool keep = queue.Count + done.Count + children.Length < MaxBoxesWithEnclosures;
            bool cancelled = false;
            try
            {
                Parallel.For(0, children.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, c =>
                {
                    if (children[c] is null) return;
                    results[c] = Leaf.BoundWithEnclosures(network, children[c], delta, batch[c / 2].Enclosures, ct);
                });
            }
            catch (OperationCanceledException) { cancelled = true; }
            for (int b = 0; b < batch.Count; b++)
            {
                var parent = batch[b];
                if (!splittable[b]) { done.Add(parent); continue; }
                if (cancelled) { queue.Enqueue(parent, -parent.Key); continue; }
                for (int s = 0; s < 2; s++)
                {
                    var (bound, infl, enc) = results[2 * b + s];
                    var tightened = Tighten(bound, parent);
                    var node = MakeNode(children[2 * b + s], tightened, infl, rootUpper) with { Enclosures = keep ? enc : null };
                    queue.Enqueue(node, -node.Key);
                }
                splits++;
            }
            if (cancelled) break;
            double sup = CurrentUpper(queue, done, rootUpper.Length).Max();
            if (sup < lastSup)
            {
                lastSup = sup;
                var p = new SplitProgress(splits, clock.Elapsed.TotalSeconds, sup);
                history.Add(p);
                Progress?.Invoke(p);
            }
        }
        var upper = CurrentUpper(queue, done, rootUpper.Length);
        var lo = new double[upper.Length]; var hi = new double[upper.Length];
        Array.Fill(lo, double.PositiveInfinity); Array.Fill(hi, double.NegativeInfinity);
        foreach (var n in queue.UnorderedItems.Select(e => e.Element).Concat(done))
            for (int j = 0; j < lo.Length; j++) { lo[j] = Math.Min(lo[j], n.Lower[j]); hi[j] = Math.Max(hi[j], n.DeltaUpper[j]); }
        var final = new SplitProgress(splits, clock.Elapsed.TotalSeconds, upper.Max());
        if (history[^1].SupUpper != final.SupUpper || history[^1].Splits != splits) history.Add(final);
        return new SplitOutcome(new DeviationBound(upper, lo, hi), splits, queue.Count + done.Count, Thin(history, 40));
    }

    private static DeviationBound Tighten(DeviationBound child, Node parent)
    {
        int n = child.Upper.Length;
        var up = new double[n]; var lo = new double[n]; var hi = new double[n];
        for (int j = 0; j < n; j++)
        {
            up[j] = Math.Min(child.Upper[j], parent.Upper[j]);
            lo[j] = Math.Max(child.DeltaLower![j], parent.Lower[j]);
            hi[j] = Math.Min(child.DeltaUpper![j], parent.DeltaUpper[j]);
        }
        return new DeviationBound(up, lo, hi);
    }

    private static Node MakeNode(Box box, DeviationBound bound, double[] influence, double[] rootUpper)
    {
        double key = 0;
        for (int j = 0; j < rootUpper.Length; j++)
            if (rootUpper[j] > 0) key = Math.Max(key, bound.Upper[j] / rootUpper[j]);
        return new Node(box, bound.Upper, bound.DeltaLower!, bound.DeltaUpper!, influence, key);
    }

    /// <summary>The dimension with the largest influence among those that can still be bisected; −1 if none.</summary>
    private static int SplitDimension(Node n)
    {
        int best = -1; double bestScore = -1;
        for (int d = 0; d < n.Box.Dimension; d++)
        {
            var iv = n.Box[d];
            double m = iv.Midpoint;
            if (!(m > iv.Lo && m < iv.Hi)) continue;
            double score = n.Influence[d] + 1e-12 * (iv.Hi - iv.Lo); // width breaks ties (e.g. all influences 0)
            if (score > bestScore) { bestScore = score; best = d; }
        }
        return best;
    }

    private static double[] CurrentUpper(PriorityQueue<Node, double> queue, List<Node> done, int n)
    {
        var u = new double[n];
        foreach (var (node, _) in queue.UnorderedItems)
            for (int j = 0; j < n; j++) u[j] = Math.Max(u[j], node.Upper[j]);
        foreach (var node in done)
            for (int j = 0; j < n; j++) u[j] = Math.Max(u[j], node.Upper[j]);
        return u;
    }

    private static IReadOnlyList<SplitProgress> Thin(List<SplitProgress> h, int max)
    {
        if (h.Count <= max) return h;
        var r = new List<SplitProgress>();
        for (int i = 0; i < max - 1; i++) r.Add(h[(int)((long)i * (h.Count - 1) / (max - 1))]);
        r.Add(h[^1]);
        return r;
    }
}
