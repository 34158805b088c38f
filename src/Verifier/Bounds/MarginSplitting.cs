using Verify.Bab;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>The outcome of margin splitting: the certified margin bounds over the whole box, how many bisections,
/// how many boxes stayed undecided, and the centre of the worst one (where an attack may look next).</summary>
public sealed record MarginSplitOutcome(double[] Lower, int Splits, int OpenBoxes, double[]? WorstCentre);

/// <summary>
/// Input splitting for class margins on the branch-and-bound core: a sub-box is closed once every margin bound of its
/// leaf (<see cref="LinearDifferenceBounder.Margins"/>) is positive; the open boxes are taken worst margin first,
/// bisected along the dimension of largest influence, and their halves bounded in parallel (a half keeps its parent's
/// bounds where they are better, and starts from its parent's enclosures while few boxes are open). The certified
/// margin bound is the minimum over the closed and the undecided boxes, which cover the input box. Stops when nothing
/// is open (every margin positive), at the deadline, at <see cref="MaxSplits"/>, when <see cref="MaxOpenBoxes"/> boxes
/// are open, or when <see cref="Stop"/> says so (a flip was found).
/// </summary>
public sealed class MarginSplitting
{
    public int MaxSplits { get; init; } = int.MaxValue;
    public int MaxOpenBoxes { get; init; } = 200_000;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public int MaxBoxesWithEnclosures { get; init; } = 4_000;
    public LinearDifferenceBounder Leaf { get; init; } = new();
    public Func<bool>? Stop { get; init; }

    /// <summary>Every <see cref="ProbeEvery"/> rounds, hears the centre of the worst open box (an attack looks for a
    /// flip there); returning true stops the search.</summary>
    public Func<double[], bool>? Probe { get; init; }
    public int ProbeEvery { get; init; } = 8;

    /// <summary>Hears every closed box (all its margins positive); called from worker threads (--certificate).</summary>
    public Action<Box>? RecordLeaf { get; init; }

    /// <summary>Hears every bisection (box, dimension), from worker threads (--certificate).</summary>
    public Action<Box, int>? RecordSplit { get; init; }

    private sealed record Node(Box Box, MarginBound Bound)
    {
        public LayerBounds[]? Enclosures { get; init; }
    }

    /// <summary>Splits until the margins are certified positive or <paramref name="cancellation"/> fires (the deadline).</summary>
    public MarginSplitOutcome Run(Network network, Box box, ParameterBox delta, int cls, CancellationToken cancellation)
    {
        MarginBound root; LayerBounds[] enc;
        try { (root, enc) = Leaf.MarginsWithEnclosures(network, box, delta, cls, null, cancellation); }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The deadline came before the root was bounded: nothing certified, the whole box open.
            var none = Enumerable.Repeat(double.NegativeInfinity, network.OutputSize).ToArray();
            none[cls] = double.PositiveInfinity;
            return new MarginSplitOutcome(none, 0, 1, box.Center);
        }
        var search = new Search(this, network, delta, cls);
        search.Engine.Offer(new Node(box, root) { Enclosures = MaxBoxesWithEnclosures > 0 ? enc : null });
        search.Engine.Run(cancellation);
        var lower = search.CurrentLower();
        var worst = search.Engine.Undecided.MinBy(n => n.Bound.Worst);
        return new MarginSplitOutcome(lower, (int)search.Engine.Splits, search.Engine.UndecidedCount, worst?.Box.Center);
    }

    /// <summary>Boxes filed by their worst margin (smallest first); a box with every margin positive is closed.</summary>
    private sealed class Search : IBabProblem<Node, double>, ISplitPolicy<Box, Node>, ILeafBounder<Box, Node>
    {
        private readonly MarginSplitting _owner;
        private readonly Network _network;
        private readonly ParameterBox _delta;
        private readonly int _cls;
        private readonly int _batchSize;
        private readonly GlobalBounds _closed;   // of −margin, so that the maxima of the core are the minimal margins
        private bool _keepEnclosures = true;

        public Search(MarginSplitting owner, Network network, ParameterBox delta, int cls)
        {
            _owner = owner; _network = network; _delta = delta; _cls = cls;
            _batchSize = Math.Max(2, 2 * owner.Parallelism);
            _closed = new GlobalBounds(network.OutputSize, double.NegativeInfinity);
            Engine = new BabEngine<Box, Node, double>(this, this, this,
                new BabOptions { Threads = owner.Parallelism, BatchSize = _batchSize, MaxSplits = owner.MaxSplits });
        }

        public BabEngine<Box, Node, double> Engine { get; }

        public bool ShouldStop() => _probeFound || _owner.Stop?.Invoke() == true || !(Engine.UndecidedCount + _batchSize < _owner.MaxOpenBoxes);

        public NodeFate Triage(Node node, double priority) => NodeFate.Split;

        private int _rounds;
        private bool _probeFound;

        public void AfterRound()
        {
            if (_owner.Probe is not { } probe || ++_rounds % Math.Max(1, _owner.ProbeEvery) != 0) return;
            if (Engine.Open.TryPeek(out var worst, out _) && probe(worst.Box.Center)) _probeFound = true;
        }

        public bool Admit(ref Node node, out double priority)
        {
            priority = node.Bound.Worst;
            if (priority > 0) { _closed.Close(Negated(node.Bound.Lower)); _owner.RecordLeaf?.Invoke(node.Box); return false; }
            return true;
        }

        public void BeforeBranching(IReadOnlyList<Node> batch) =>
            _keepEnclosures = Engine.UndecidedCount + 2 * batch.Count < _owner.MaxBoxesWithEnclosures;

        public Box[] Split(Node node)
        {
            int dim = -1; double best = -1;
            for (int d = 0; d < node.Box.Dimension; d++)
            {
                var iv = node.Box[d];
                double mid = iv.Midpoint;
                if (!(mid > iv.Lo && mid < iv.Hi)) continue;
                double score = node.Bound.Influence[d] + 1e-12 * (iv.Hi - iv.Lo); // width breaks ties
                if (score > best) { best = score; dim = d; }
            }
            if (dim < 0) return [];
            _owner.RecordSplit?.Invoke(node.Box, dim);
            var (a, b) = node.Box.Bisect(dim);
            return [a, b];
        }

        public Node Bound(Box box, Node parent, CancellationToken cancellation)
        {
            var (bound, enc) = _owner.Leaf.MarginsWithEnclosures(_network, box, _delta, _cls, parent.Enclosures, cancellation);
            return new Node(box, bound.Max(parent.Bound) with { Influence = bound.Influence }) { Enclosures = _keepEnclosures ? enc : null };
        }

        /// <summary>Per class j: the minimum margin bound over the closed and undecided boxes (+∞ for the class itself).</summary>
        public double[] CurrentLower() =>
            Negated(_closed.Upper(u => Engine.UndecidedMaxInto(u, n => Negated(n.Bound.Lower))));

        private static double[] Negated(double[] v) => v.Select(x => -x).ToArray();
    }
}
