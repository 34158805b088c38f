using System.Diagnostics;
using Verify.Bab;
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

    /// <summary>
    /// The mutable state of one run and its problem on the branch-and-bound core: parts filed by −priority, parts
    /// closed for every output leave the search (pruned), the rest are bisected. Only the searching thread touches it,
    /// except the lower bounds (locked) and the closed maxima (<see cref="GlobalBounds"/>).
    /// </summary>
    private sealed class Run : IBabProblem<Part, double>, ISplitPolicy<Box, Part>, ILeafBounder<Box, Part>
    {
        private readonly BranchAndBound _owner;
        private readonly Stopwatch _clock;
        private readonly CancellationToken _ct, _outer;
        private (double U, double L) _lastReport = (double.NaN, double.NaN);
        // Attacks on parts get at most as much time as bounding: once L is (nearly) optimal they only slow U down.
        private long _boundTicks, _attackTicks, _roundStart;

        public Run(BranchAndBound owner, int[] outputs, int m, Box root, Stopwatch clock, CancellationToken ct, CancellationToken outer)
        {
            _owner = owner; _clock = clock; _ct = ct; _outer = outer;
            Outputs = outputs; Lower = new LowerBound?[m]; Bounds = new GlobalBounds(m, double.NegativeInfinity); Root = root;
            var opt = owner._opt;
            Threads = opt.Threads > 0 ? opt.Threads : Environment.ProcessorCount;
            var recorder = opt.RecordLeaf is { } record ? new LeafRecorder<Part>((p, kind) => record(p.Box, p.Upper, kind)) : null;
            Engine = new BabEngine<Box, Part, double>(this, this, this, new BabOptions
            {
                Threads = Threads, BatchSize = opt.BatchSize > 0 ? opt.BatchSize : 2 * Threads, MaxSplits = opt.MaxSplits,
            }, recorder: recorder);
        }

        public int[] Outputs { get; }
        public LowerBound?[] Lower { get; }
        /// <summary>The closed maxima (max U_j over parts closed for j or frozen) and the lower bounds' values.</summary>
        public GlobalBounds Bounds { get; }
        public Box Root { get; }
        public int Threads { get; }
        public BabEngine<Box, Part, double> Engine { get; }
        public StopReason? Reason { get; set; }
        public int Splits => (int)Engine.Splits;
        public int Pruned, Frozen;
        public long RootBoundCalls;

        public bool ShouldStop()
        {
            Reason = _owner.Check(this, _clock, ref _lastReport, _ct, _outer);
            return Reason is not null;
        }

        /// <summary>L may have grown since the part was queued: close what is now settled before spending a split on it.</summary>
        public NodeFate Triage(Part p, double priority)
        {
            _owner.Close(this, p);
            if (!IsClosed(p)) return NodeFate.Split;
            Pruned++;
            return NodeFate.Close;
        }

        public bool Admit(ref Part p, out double priority)
        {
            _owner.Close(this, p);
            priority = 0;
            if (IsClosed(p)) { Pruned++; return false; }
            p.Priority = _owner.PriorityOf(this, p);
            priority = -p.Priority;
            return true;
        }

        public Box[] Split(Part p)
        {
            var (left, right) = p.Box.Bisect(ChooseDimension(p));
            return [left, right];
        }

        public Part Bound(Box box, Part parent, CancellationToken cancellation)
        {
            var part = _owner.NewPart(this, box, parent.Upper, cancellation);
            part.Gradient = parent.Gradient;
            return part;
        }

        public void BeforeBranching(IReadOnlyList<Part> batch) => _roundStart = Stopwatch.GetTimestamp();

        public void AfterBranching(IReadOnlyList<Part> batch, Part[][] children, CancellationToken cancellation)
        {
            long t1 = Stopwatch.GetTimestamp();
            _boundTicks += t1 - _roundStart;
            if (_attackTicks > _boundTicks) return;
            _owner.AttackMostPromising(this, children, cancellation);
            _attackTicks += Stopwatch.GetTimestamp() - t1;
        }

        public void AfterRound()
        {
            if (Engine.Open.Count > _owner._opt.MaxOpenParts) _owner.FreezeLeastPromising(this);
        }
    }

    public SearchResult Search(Box box, CancellationToken cancellation = default)
    {
        var sw = Stopwatch.StartNew();
        using var timeout = _opt.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        var ct = linked.Token;
        int m = _net.OutputSize;
        var outs = (_opt.Outputs ?? Enumerable.Range(0, m).ToArray()).Distinct().Order().ToArray();
        var run = new Run(this, outs, m, box, sw, ct, cancellation);
        StopReason? reason = null;
        try
        {
            var rootAttack = _attack.Run(box, outputs: outs, cancellation: ct);
            foreach (var j in outs) Improve(run, rootAttack.Lower[j]);
            var root = NewPart(run, box, Enumerable.Repeat(double.PositiveInfinity, m).ToArray(), ct);
            run.RootBoundCalls++;
            var cands = _attack.Search(box, null, OpenOutputs(root), PartBudget(), ct, out _);
            root.Gradient = GradientOf(cands);
            run.Engine.Offer(root);
        }
        catch (OperationCanceledException)
        {
            reason = cancellation.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
        }
        if (reason is null && run.Engine.Open.Count == 0 && run.Bounds.ClosedUpper().All(double.IsNegativeInfinity))
            reason = StopReason.Timeout;   // cancelled before the root was bounded: nothing is certified
        reason ??= run.Engine.Run(ct) == BabExit.Stopped ? run.Reason!.Value
            : cancellation.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
        var upper = UpperBounds(run);
        Report(run, upper, sw);
        for (int j = 0; j < m; j++)
            if (run.Lower[j] is { } l && upper[j] < l.Value)
                throw new InvalidOperationException(
                    $"bounder '{_bounder.Name}' is unsound: upper bound {upper[j]:R} below the replayed witness {l.Value:R} for output {j}");
        return new SearchResult(upper, run.Lower, reason.Value, run.Splits, run.Engine.Open.Count, run.Pruned, run.Frozen,
            run.RootBoundCalls + 2L * run.Engine.Splits, sw.Elapsed);
    }

    /// <summary>Reports progress and says why the search is done, if it is: threshold, gap, time, split cap, in that order.</summary>
    private StopReason? Check(Run run, Stopwatch sw, ref (double U, double L) lastReport, CancellationToken ct, CancellationToken outer)
    {
        var upper = UpperBounds(run);
        var now = (U: SupOf(upper, run.Outputs), L: SupLowerOf(run));
        if (now != lastReport) { Report(run, upper, sw); lastReport = now; }
        if (_opt.Threshold is { } t && (now.U <= t || ExceedsThreshold(run, t))) return StopReason.Threshold;
        if (run.Engine.Open.Count == 0 || GapReached(run, upper)) return Proven(run, upper) ? StopReason.Exact : StopReason.Gap;
        if (ct.IsCancellationRequested) return outer.IsCancellationRequested ? StopReason.Cancelled : StopReason.Timeout;
        if (run.Splits >= _opt.MaxSplits) return StopReason.MaxSplits;
        return null;
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
    private void AttackMostPromising(Run run, Part[][] children, CancellationToken ct)
    {
        var all = children.SelectMany(c => c).ToList();
        foreach (var c in all) { Close(run, c); c.Priority = PriorityOf(run, c); }
        var chosen = all.Where(c => !IsClosed(c)).OrderByDescending(c => c.Priority).Take(Math.Max(1, run.Threads)).ToArray();
        var par = new ParallelOptions { MaxDegreeOfParallelism = run.Threads };
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
            {
                run.Lower[candidate.Output] = candidate;
                run.Bounds.RaiseLower(candidate.Output, candidate.Value);
            }
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
                run.Bounds.Close(j, p.Upper[j]);
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

    /// <summary>Keeps the most promising half of the open parts; the rest are frozen into the closed maxima.</summary>
    private void FreezeLeastPromising(Run run) =>
        run.Engine.Freeze(Math.Max(1, _opt.MaxOpenParts / 2), p =>
        {
            for (int j = 0; j < p.Open.Length; j++)
                if (p.Open[j]) run.Bounds.Close(j, p.Upper[j]);
            run.Frozen++;
        });

    /// <summary>
    /// U_j = max over open parts, closed and frozen parts (NaN for outputs not searched). An open part's U_j for an
    /// output it is closed for is already in the closed maximum, so every U_j of a part may enter.
    /// </summary>
    private static double[] UpperBounds(Run run)
    {
        var closedOrOpen = run.Bounds.Upper(run.Engine.Open.Nodes, p => p.Upper);
        var u = Enumerable.Repeat(double.NaN, closedOrOpen.Length).ToArray();
        foreach (var j in run.Outputs)
            u[j] = double.IsNegativeInfinity(closedOrOpen[j]) ? double.PositiveInfinity : closedOrOpen[j];   // the root was never bounded
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

    private static double SupLowerOf(Run run) => run.Bounds.SupLower;

    private void Report(Run run, double[] upper, Stopwatch sw)
    {
        if (_opt.Progress is null) return;
        _opt.Progress(new SearchProgress(sw.Elapsed, SupOf(upper, run.Outputs), SupLowerOf(run), run.Engine.Open.Count, run.Splits));
    }
}
