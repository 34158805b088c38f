using System.Diagnostics;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Anytime branch and bound on the input box, closing the gap between a sound upper bound U (any
/// <see cref="IDeviationBounder"/>) and a replayed lower bound L (<see cref="DeviationAttack"/>). Parts are split
/// best-first (largest open upper bound first) along the dimension of largest influence, bounded, the most promising
/// children attacked, and parts whose U_j cannot exceed (1+gap)·L_j any more are closed for output j.
/// Soundness: every part ever created is accounted for in U_j: still open (its own bound), closed (its bound,
/// kept in a running maximum), frozen by the memory cap (likewise), or replaced by its two children, whose bounds
/// are capped by the parent's (they lie inside it).
/// </summary>
public sealed class BranchAndBound
{
    private readonly Network _net;
    private readonly ParameterBox _delta;
    private readonly IDeviationBounder _bounder;
    private readonly BranchAndBoundOptions _opt;
    private readonly DeviationAttack _attack;
    private readonly object _lowerGate = new();

    public BranchAndBound(Network network, ParameterBox delta, IDeviationBounder bounder, BranchAndBoundOptions? options = null)
    {
        _net = network;
        _delta = delta;
        _bounder = bounder;
        _opt = options ?? new BranchAndBoundOptions();
        if (!(_opt.Gap >= 0)) throw new ArgumentOutOfRangeException(nameof(options), "gap must be ≥ 0");
        if (_opt.MaxOpenParts < 2) throw new ArgumentOutOfRangeException(nameof(options), "the cap on open parts must be ≥ 2");
        _attack = new DeviationAttack(network, delta, _opt.Attack);
    }

    private sealed class Part(Box box, double[] upper, bool[] open)
    {
        public Box Box { get; } = box;
        public double[] Upper { get; } = upper;
        public bool[] Open { get; } = open;
        public double[]? Gradient { get; set; }
        public double[]? Influence { get; set; }
        public double Priority { get; set; }
    }

    /// <summary>The mutable state of one run; only the searching thread touches it, except the lower bounds (locked).</summary>
    private sealed class Run
    {
        public required int[] Outputs;
        public required LowerBound?[] Lower;
        public required double[] ClosedMax;   // max U_j over parts closed for j or frozen
        public readonly PriorityQueue<Part, double> Queue = new();
        public Box Root = null!;
        public int Splits, Pruned, Frozen;
        public long BoundCalls;
    }

    public SearchResult Search(Box box, CancellationToken cancellation = default)
    {
        var sw = Stopwatch.StartNew();
        using var timeout = _opt.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        var ct = linked.Token;
        int m = _net.OutputSize;
        var outs = (_opt.Outputs ?? Enumerable.Range(0, m).ToArray()).Distinct().Order().ToArray();
        var run = new Run
        {
            Outputs = outs,
            Lower = new LowerBound?[m],
            ClosedMax = Enumerable.Repeat(double.NegativeInfinity, m).ToArray(),
            Root = box,
        };
        StopReason? reason = null;
        try
        {
            var rootAttack = _attack.Run(box, outputs: outs, cancellation: ct);
            foreach (var j in outs) Improve(run, rootAttack.Lower[j]);
            var root = NewPart(run, box, Enumerable.Repeat(double.PositiveInfinity, m).ToArray(), ct);
            run.BoundCalls++;
            var cands = _attack.Search(box, null, OpenOutputs(root), PartBudget(), ct, out _);
            root.Gradient = GradientOf(cands);
            Offer(run, root);
        }
        catch (OperationCanceledException)
        {
            reason = cancellation.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
        }
        if (reason is null && run.Queue.Count == 0 && run.ClosedMax.All(double.IsNegativeInfinity))
            reason = StopReason.Timeout;   // cancelled before the root was bounded: nothing is certified
        reason ??= Loop(run, sw, ct, cancellation);
        var upper = UpperBounds(run);
        Report(run, upper, sw);
        for (int j = 0; j < m; j++)
            if (run.Lower[j] is { } l && upper[j] < l.Value)
                throw new InvalidOperationException(
                    $"bounder '{_bounder.Name}' is unsound: upper bound {upper[j]:R} below the replayed witness {l.Value:R} for output {j}");
        return new SearchResult(upper, run.Lower, reason.Value, run.Splits, run.Queue.Count, run.Pruned, run.Frozen, run.BoundCalls, sw.Elapsed);
    }

    private StopReason Loop(Run run, Stopwatch sw, CancellationToken ct, CancellationToken outer)
    {
        int threads = _opt.Threads > 0 ? _opt.Threads : Environment.ProcessorCount;
        int batchSize = _opt.BatchSize > 0 ? _opt.BatchSize : 2 * threads;
        var par = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var lastReport = (U: double.NaN, L: double.NaN);
        // Attacks on parts get at most as much time as bounding: once L is (nearly) optimal they only slow U down.
        long boundTicks = 0, attackTicks = 0;
        while (true)
        {
            var upper = UpperBounds(run);
            var now = (U: SupOf(upper, run.Outputs), L: SupLowerOf(run));
            if (now != lastReport) { Report(run, upper, sw); lastReport = now; }
            if (_opt.Threshold is { } t && (now.U <= t || ExceedsThreshold(run, t))) return StopReason.Threshold;
            if (run.Queue.Count == 0 || GapReached(run, upper)) return Proven(run, upper) ? StopReason.Exact : StopReason.Gap;
            if (ct.IsCancellationRequested) return outer.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
            if (run.Splits >= _opt.MaxSplits) return StopReason.MaxSplits;

            var batch = new List<Part>(batchSize);
            while (batch.Count < batchSize && run.Splits + batch.Count < _opt.MaxSplits && run.Queue.TryDequeue(out var p, out _))
            {
                // L may have grown since p was queued: close what is now settled before spending a split on it.
                Close(run, p);
                if (IsClosed(p)) { run.Pruned++; continue; }
                batch.Add(p);
            }
            if (batch.Count == 0) continue;
            var children = new Part[batch.Count][];
            try
            {
                long t0 = Stopwatch.GetTimestamp();
                Parallel.For(0, batch.Count, par, i => children[i] = Split(run, batch[i], ct));
                long t1 = Stopwatch.GetTimestamp();
                boundTicks += t1 - t0;
                if (attackTicks <= boundTicks)
                {
                    AttackMostPromising(run, children, threads, par, ct);
                    attackTicks += Stopwatch.GetTimestamp() - t1;
                }
            }
            catch (Exception e) when (e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(x => x is OperationCanceledException)))
            {
                foreach (var p in batch) run.Queue.Enqueue(p, -p.Priority);   // the parents still stand for their parts
                return outer.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
            }
            run.Splits += batch.Count;
            run.BoundCalls += 2L * batch.Count;
            foreach (var pair in children) foreach (var c in pair) Offer(run, c);
            if (run.Queue.Count > _opt.MaxOpenParts) FreezeLeastPromising(run);
        }
    }

    private Part[] Split(Run run, Part p, CancellationToken ct)
    {
        int dim = ChooseDimension(p);
        var (left, right) = p.Box.Bisect(dim);
        var a = NewPart(run, left, p.Upper, ct);
        var b = NewPart(run, right, p.Upper, ct);
        a.Gradient = b.Gradient = p.Gradient;
        return [a, b];
    }

    /// <summary>Bounds a part; its U_j are capped by the enclosing part's (a bounder need not be monotone).</summary>
    private Part NewPart(Run run, Box box, double[] parentUpper, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        DeviationBound bound;
        double[]? influence = null;
        if (_bounder is IInfluenceBounder ib) (bound, influence) = ib.BoundWithInfluence(_net, box, _delta, ct);
        else bound = _bounder.Bound(_net, box, _delta, ct);
        var upper = new double[parentUpper.Length];
        for (int j = 0; j < upper.Length; j++) upper[j] = Math.Min(parentUpper[j], bound.Upper[j]);
        var open = new bool[upper.Length];
        foreach (var j in run.Outputs) open[j] = true;
        return new Part(box, upper, open) { Influence = influence };
    }

    /// <summary>Attacks the children with the largest open upper bounds, seeded by their centres and the best witnesses.</summary>
    private void AttackMostPromising(Run run, Part[][] children, int threads, ParallelOptions par, CancellationToken ct)
    {
        var all = children.SelectMany(c => c).ToList();
        foreach (var c in all) { Close(run, c); c.Priority = PriorityOf(run, c); }
        var chosen = all.Where(c => !IsClosed(c)).OrderByDescending(c => c.Priority).Take(Math.Max(1, threads)).ToArray();
        var budget = PartBudget();
        Parallel.For(0, chosen.Length, par, i =>
        {
            var part = chosen[i];
            var seeds = new List<double[]> { part.Box.Center };
            lock (_lowerGate)
                foreach (var l in run.Lower)
                    if (l is not null) seeds.Add(l.Witness.X);
            var cands = _attack.Search(part.Box, seeds, OpenOutputs(part), budget, ct, out _);
            part.Gradient = GradientOf(cands);
            foreach (var c in cands)
            {
                double current;
                lock (_lowerGate) current = run.Lower[c.Output]?.Value ?? double.NegativeInfinity;
                if (c.Estimate > current) Improve(run, _attack.Certify(c, run.Root));
            }
        });
    }

    private AttackOptions PartBudget() => (_opt.PartAttack ?? _opt.Attack.ForPart()) with { Threads = 1 };

    private void Improve(Run run, LowerBound? candidate)
    {
        if (candidate is null) return;
        lock (_lowerGate)
            if (run.Lower[candidate.Output] is not { } cur || candidate.Exact > cur.Exact)
                run.Lower[candidate.Output] = candidate;
    }

    private static int[] OpenOutputs(Part p)
    {
        var r = new List<int>();
        for (int j = 0; j < p.Open.Length; j++) if (p.Open[j]) r.Add(j);
        return r.ToArray();
    }

    private static double[]? GradientOf(IReadOnlyList<AttackCandidate> cands)
    {
        if (cands.Count == 0) return null;
        var g = new double[cands[0].InputGradient.Length];
        foreach (var c in cands) for (int i = 0; i < g.Length; i++) g[i] += c.InputGradient[i];
        return g;
    }

    /// <summary>
    /// The bounder's influence where it gives one, else the largest width × (|∂Δf/∂x_i| + 5% of the largest) with the
    /// gradient of the attack objective at the part's best point, else the widest side.
    /// </summary>
    private static int ChooseDimension(Part p)
    {
        if (p.Influence is { } infl && infl.Length == p.Box.Dimension)
        {
            int arg = 0; double top = double.NegativeInfinity;
            for (int i = 0; i < infl.Length; i++)
            {
                double score = infl[i] + 1e-12 * (p.Box[i].Hi - p.Box[i].Lo);   // width breaks ties
                if (score > top) { top = score; arg = i; }
            }
            return arg;
        }
        double gmax = 0;
        if (p.Gradient is { } g) foreach (var v in g) gmax = Math.Max(gmax, v);
        int best = 0; double bestScore = -1;
        for (int i = 0; i < p.Box.Dimension; i++)
        {
            double w = p.Box[i].Hi - p.Box[i].Lo;
            double score = gmax > 0 ? w * (p.Gradient![i] + 0.05 * gmax) : w;
            if (score > bestScore) { bestScore = score; best = i; }
        }
        return best;
    }

    /// <summary>Closes output j of a part when its U_j cannot matter for the target any more.</summary>
    private void Close(Run run, Part p)
    {
        double factor = 1 + _opt.Gap;
        double supLower;
        lock (_lowerGate) supLower = SupLowerOf(run);
        for (int j = 0; j < p.Open.Length; j++)
        {
            if (!p.Open[j]) continue;
            double l;
            lock (_lowerGate) l = run.Lower[j]?.Value ?? 0.0;
            double threshold = _opt.Objective == SearchObjective.SupNorm ? factor * supLower : factor * l;
            if (p.Upper[j] <= threshold)
            {
                p.Open[j] = false;
                lock (run.ClosedMax) run.ClosedMax[j] = Math.Max(run.ClosedMax[j], p.Upper[j]);
            }
        }
    }

    private static bool IsClosed(Part p)
    {
        foreach (var o in p.Open) if (o) return false;
        return true;
    }

    private double PriorityOf(Run run, Part p)
    {
        double best = double.NegativeInfinity;
        for (int j = 0; j < p.Open.Length; j++)
        {
            if (!p.Open[j]) continue;
            double v = _opt.Objective == SearchObjective.SupNorm ? p.Upper[j] : p.Upper[j] - (run.Lower[j]?.Value ?? 0.0);
            best = Math.Max(best, v);
        }
        return best;
    }

    private void Offer(Run run, Part p)
    {
        Close(run, p);
        if (IsClosed(p)) { run.Pruned++; return; }
        p.Priority = PriorityOf(run, p);
        run.Queue.Enqueue(p, -p.Priority);
    }

    /// <summary>Keeps the most promising half of the open parts; the rest are frozen into <see cref="Run.ClosedMax"/>.</summary>
    private void FreezeLeastPromising(Run run)
    {
        var parts = new List<Part>(run.Queue.Count);
        while (run.Queue.TryDequeue(out var p, out _)) parts.Add(p);
        int keep = Math.Max(1, _opt.MaxOpenParts / 2);
        for (int i = 0; i < parts.Count; i++)
        {
            var p = parts[i];
            if (i < keep) { run.Queue.Enqueue(p, -p.Priority); continue; }
            for (int j = 0; j < p.Open.Length; j++)
                if (p.Open[j]) run.ClosedMax[j] = Math.Max(run.ClosedMax[j], p.Upper[j]);
            run.Frozen++;
        }
    }

    /// <summary>U_j = max over open parts, closed and frozen parts (NaN for outputs not searched).</summary>
    private static double[] UpperBounds(Run run)
    {
        int m = run.Lower.Length;
        var u = Enumerable.Repeat(double.NaN, m).ToArray();
        foreach (var j in run.Outputs) u[j] = run.ClosedMax[j];
        foreach (var (p, _) in run.Queue.UnorderedItems)
            for (int j = 0; j < m; j++)
                if (p.Open[j] && p.Upper[j] > u[j]) u[j] = p.Upper[j];
        foreach (var j in run.Outputs)
            if (double.IsNegativeInfinity(u[j])) u[j] = double.PositiveInfinity;   // the root was never bounded
        return u;
    }

    private bool GapReached(Run run, double[] upper)
    {
        double factor = 1 + _opt.Gap;
        if (_opt.Objective == SearchObjective.SupNorm) return SupOf(upper, run.Outputs) <= factor * SupLowerOf(run);
        foreach (var j in run.Outputs)
            if (!(upper[j] <= factor * (run.Lower[j]?.Value ?? 0.0))) return false;
        return true;
    }

    private bool Proven(Run run, double[] upper)
    {
        if (_opt.Objective == SearchObjective.SupNorm) return SupOf(upper, run.Outputs) <= SupLowerOf(run);
        foreach (var j in run.Outputs) if (!(upper[j] <= (run.Lower[j]?.Value ?? 0.0))) return false;
        return true;
    }

    private bool ExceedsThreshold(Run run, double t)
    {
        var exact = Rational.FromDouble(t);
        lock (_lowerGate)
            foreach (var l in run.Lower) if (l is not null && l.Exact > exact) return true;
        return false;
    }

    private static double SupOf(double[] u, int[] outs)
    {
        double s = double.NegativeInfinity;
        foreach (var j in outs) s = Math.Max(s, u[j]);
        return s;
    }

    private static double SupLowerOf(Run run)
    {
        double s = 0;
        foreach (var l in run.Lower) if (l is not null) s = Math.Max(s, l.Value);
        return s;
    }

    private void Report(Run run, double[] upper, Stopwatch sw)
    {
        if (_opt.Progress is null) return;
        _opt.Progress(new SearchProgress(sw.Elapsed, SupOf(upper, run.Outputs), SupLowerOf(run), run.Queue.Count, run.Splits));
    }
}
