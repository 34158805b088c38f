using System.Diagnostics;
using Verify.Bab;
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

    /// <summary>
    /// Rounds grow from 2 boxes per worker up to 16 times that, to take about this long (0: fixed rounds): workers
    /// wait for each round's slowest box, and on 2 cores 10 s of ACAS Xu N1_1 made 20–25 % more bisections with
    /// rounds of a quarter of a second, 5-50×6-5 5–10 % (BENCHMARKS.md). A split-capped run keeps fixed rounds, so that
    /// which boxes it splits does not depend on the machine's speed.
    /// </summary>
    public double TargetRoundSeconds { get; init; } = 0.25;

    public string Name => "auto";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        Run(network, box, delta, cancellation).Bound;

    /// <summary>Hears, before each round, the boxes about to be split (the frontier's front: the largest bounds) with
    /// their upper bounds per output, on the searching thread; for an attack that restarts inside them
    /// (<c>Search/PromisingBoxAttack</c>). Must return quickly.</summary>
    public Action<Box, double[]>? Promising { get; init; }

    /// <summary>Sees every leaf of a run (its box and its bound) when the run ends: the open and settled boxes, which
    /// cover the input box.</summary>
    public Action<Box, DeviationBound>? RecordLeaf { get; init; }

    /// <summary>Hears every bisection (box, dimension), from worker threads (--certificate).</summary>
    public Action<Box, int>? RecordSplit { get; init; }

    private sealed record Node(Box Box, double[] Upper, double[] Lower, double[] DeltaUpper, double[] Influence, double Key)
    {
        public LayerBounds[]? Enclosures { get; init; }
    }

    public SplitOutcome Run(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var (rootBound, rootInfl, rootEnc) = Leaf.BoundWithEnclosures(network, box, delta, null, cancellation);
        double[] rootUpper = rootBound.Upper;
        var history = new SplitHistory(clock, rootBound.SupUpper, Progress);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Timeout);
        var search = new Splitting(this, network, delta, rootUpper, history, deadline.Token);
        search.Engine.Offer(MakeNode(box, rootBound, rootInfl, rootUpper) with { Enclosures = MaxBoxesWithEnclosures > 0 ? rootEnc : null });
        search.Engine.Run(deadline.Token);
        return SplitNodeBounds.Outcome(search.Engine, search.CurrentUpper(), history, n => n.Lower, n => n.DeltaUpper);
    }

    /// <summary>
    /// The search on the branch-and-bound core: boxes filed by −key (worst relative bound first), boxes whose key is
    /// 0 settled, children bounded from their parent's enclosures and capped by its bound.
    /// </summary>
    private sealed class Splitting : IBabProblem<Node, double>, ISplitPolicy<Box, Node>, ILeafBounder<Box, Node>
    {
        private readonly InputSplittingBounder _owner;
        private readonly Network _network;
        private readonly ParameterBox _delta;
        private readonly double[] _rootUpper;
        private readonly SplitHistory _history;
        private readonly CancellationToken _deadline;
        private readonly int _batchSize, _maxBatchSize;
        private bool _keepEnclosures;

        public Splitting(InputSplittingBounder owner, Network network, ParameterBox delta, double[] rootUpper,
                         SplitHistory history, CancellationToken deadline)
        {
            _owner = owner; _network = network; _delta = delta; _rootUpper = rootUpper;
            _history = history; _deadline = deadline;
            _batchSize = Math.Max(2, 2 * owner.Parallelism);
            _maxBatchSize = 16 * _batchSize;
            var recorder = owner.RecordLeaf is { } record
                ? new LeafRecorder<Node>((n, _) => record(n.Box, new DeviationBound(n.Upper, n.Lower, n.DeltaUpper)))
                : null;
            Engine = new BabEngine<Box, Node, double>(this, this, this,
                new BabOptions
                {
                    Threads = owner.Parallelism, BatchSize = _batchSize, MaxBatchSize = _maxBatchSize,
                    TargetRoundSeconds = owner.MaxSplits == int.MaxValue ? owner.TargetRoundSeconds : 0, MaxSplits = owner.MaxSplits,
                }, recorder: recorder);
        }

        public BabEngine<Box, Node, double> Engine { get; }

        public bool ShouldStop() =>
            SplitNodeBounds.Finished(Engine, _deadline, _owner.MaxSplits, _history, _owner.StopAtSupUpper)
            || !(Engine.UndecidedCount + _maxBatchSize < _owner.MaxOpenBoxes);

        /// <summary>A box whose bound is already exactly zero has nothing to gain from splitting.</summary>
        public NodeFate Triage(Node node, double priority) => node.Key <= 0 ? NodeFate.Settle : NodeFate.Split;

        public bool Admit(ref Node node, out double priority)
        {
            priority = -node.Key;
            return true;
        }

        public void BeforeBranching(IReadOnlyList<Node> batch)
        {
            _keepEnclosures = Engine.UndecidedCount + 2 * batch.Count < _owner.MaxBoxesWithEnclosures;
            if (_owner.Promising is { } promising)
                foreach (var n in batch) promising(n.Box, n.Upper);
        }

        public Box[] Split(Node node)
        {
            int dim = SplitDimension(node.Box, node.Influence);
            if (dim < 0) return [];
            _owner.RecordSplit?.Invoke(node.Box, dim);
            var (a, b) = node.Box.Bisect(dim);
            return [a, b];
        }

        public Node Bound(Box box, Node parent, CancellationToken cancellation)
        {
            var (bound, infl, enc) = _owner.Leaf.BoundWithEnclosures(_network, box, _delta, parent.Enclosures, cancellation);
            return MakeNode(box, Tighten(bound, parent), infl, _rootUpper) with { Enclosures = _keepEnclosures ? enc : null };
        }

        public void AfterRound()
        {
            _history.Offer(Engine.Splits, CurrentUpper().Max());
        }

        /// <summary>The certified U_j: the maximum over the boxes that cover the input box (0 if none is larger).</summary>
        public double[] CurrentUpper() => new GlobalBounds(_rootUpper.Length).Upper(u => Engine.UndecidedMaxInto(u, n => n.Upper));
    }

    private static DeviationBound Tighten(DeviationBound child, Node parent) =>
        SplitNodeBounds.CappedBy(child, parent.Upper, parent.Lower, parent.DeltaUpper);

    private static Node MakeNode(Box box, DeviationBound bound, double[] influence, double[] rootUpper) =>
        new(box, bound.Upper, bound.DeltaLower!, bound.DeltaUpper!, influence, SplitNodeBounds.Key(bound.Upper, rootUpper));

    /// <summary>The dimension of <paramref name="box"/> with the largest influence among those that can still be
    /// bisected; −1 if none.</summary>
    internal static int SplitDimension(Box box, double[] influence)
    {
        int best = -1; double bestScore = -1;
        for (int d = 0; d < box.Dimension; d++)
        {
            var iv = box[d];
            double m = iv.Midpoint;
            if (!(m > iv.Lo && m < iv.Hi)) continue;
            double score = influence[d] + 1e-12 * (iv.Hi - iv.Lo); // width breaks ties (e.g. all influences 0)
            if (score > bestScore) { bestScore = score; best = d; }
        }
        return best;
    }

}
