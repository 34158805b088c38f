using Verify.Bab;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>The outcome of phase branching on the margins: the certified margin bounds over the whole box, how many
/// splits, how many domains stayed undecided, and how many were proved empty and dropped.</summary>
public sealed record MarginPhaseOutcome(double[] Lower, int Splits, int OpenDomains, int Infeasible);

/// <summary>
/// Class margins refined by branching on ReLU phases (β-CROWN style) on the branch-and-bound core: what `certify --top1`
/// does at a fixed input, where input splitting has nothing to split. A domain is the box with some pre-activations
/// fixed (<see cref="PhaseDomain"/>); its leaf is <see cref="LinearDifferenceBounder.MarginPhaseDomain"/> with optimised
/// slopes and β. A domain proved empty is dropped (it has no point, so it bounds nothing); one whose margins are all
/// positive is closed; the others are taken worst margin first and split on the neuron chosen for the worst margin. A
/// child keeps its parent's margins where they are better (they hold on the child). The two children of a split cover
/// their parent, so the minimum over the closed and undecided domains is a certified margin bound. Stops when nothing is
/// open, at the deadline, at <see cref="MaxSplits"/>, or when <see cref="Stop"/> says so (a flip was found).
/// </summary>
public sealed class MarginPhaseSplitting
{
    public int MaxSplits { get; init; } = int.MaxValue;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public LinearDifferenceBounder Leaf { get; init; } = new() { OptimizeMargins = true };

    /// <summary>Children start from their parent's enclosures while fewer than this many domains are open.</summary>
    public int MaxDomainsWithEnclosures { get; init; } = 2_000;

    /// <summary>Children's margin optimisers start from their parent's optimised slopes and β (kept while enclosures
    /// are), rather than from the plain slopes and β = 0.</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>Asked after every round; true stops the search (an attack found a flip meanwhile).</summary>
    public Func<bool>? Stop { get; init; }

    private sealed record Node(PhaseSet Phases, MarginBound? Bound, LinearDifferenceBounder.PhaseChoice? Branch, bool Infeasible)
    {
        public LayerBounds[]? Enclosures { get; init; }
        public IReadOnlyDictionary<int, LinearDifferenceBounder.SlopeStart>? Starts { get; init; }
    }

    /// <summary>Branches until every margin is certified positive or <paramref name="cancellation"/> fires (the deadline).</summary>
    public MarginPhaseOutcome Run(Network network, Box box, ParameterBox delta, int cls, CancellationToken cancellation) =>
        Run(network, box, delta, cls, cancellation, null);

    /// <summary>As <see cref="Run(Network, Box, ParameterBox, int, CancellationToken)"/>, the root taking every layer from
    /// <paramref name="rootEnclosures"/> when given (a plain pass over the same box and parameter box computed them).</summary>
    internal MarginPhaseOutcome Run(Network network, Box box, ParameterBox delta, int cls, CancellationToken cancellation, LayerBounds[]? rootEnclosures)
    {
        LinearDifferenceBounder.MarginDomainBound root;
        try { root = Leaf.MarginPhaseDomain(network, box, delta, cls, PhaseSet.Empty, rootEnclosures, network.Depth - 1, cancellation); }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var none = Enumerable.Repeat(double.NegativeInfinity, network.OutputSize).ToArray();
            none[cls] = double.PositiveInfinity;
            return new MarginPhaseOutcome(none, 0, 1, 0);
        }
        if (root.Infeasible) throw new InvalidOperationException("the input box was proved empty: a bug in the phase pass");
        var search = new Branching(this, network, box, delta, cls);
        search.Engine.Offer(new Node(PhaseSet.Empty, root.Bound, root.Branch, false) { Enclosures = root.Enclosures, Starts = root.Starts });
        search.Engine.Run(cancellation);
        return new MarginPhaseOutcome(search.CurrentLower(), (int)search.Engine.Splits, search.Engine.UndecidedCount, search.Infeasible);
    }

    /// <summary>Domains filed by their worst margin (smallest first); empty ones dropped, positive ones closed.</summary>
    private sealed class Branching : IBabProblem<Node, double>, ISplitPolicy<PhaseDomain, Node>, ILeafBounder<PhaseDomain, Node>
    {
        private readonly MarginPhaseSplitting _owner;
        private readonly Network _network;
        private readonly Box _box;
        private readonly ParameterBox _delta;
        private readonly int _cls;
        private readonly GlobalBounds _closed;   // of −margin, so that the maxima of the core are the minimal margins
        private bool _keepEnclosures = true;
        private int _infeasible;

        public Branching(MarginPhaseSplitting owner, Network network, Box box, ParameterBox delta, int cls)
        {
            _owner = owner; _network = network; _box = box; _delta = delta; _cls = cls;
            _closed = new GlobalBounds(network.OutputSize, double.NegativeInfinity);
            Engine = new BabEngine<PhaseDomain, Node, double>(this, this, this,
                new BabOptions { Threads = owner.Parallelism, BatchSize = Math.Max(2, 2 * owner.Parallelism), MaxSplits = owner.MaxSplits });
        }

        public BabEngine<PhaseDomain, Node, double> Engine { get; }

        public int Infeasible => Volatile.Read(ref _infeasible);

        public bool ShouldStop() => _owner.Stop?.Invoke() == true;

        public NodeFate Triage(Node node, double priority) => node.Branch is null ? NodeFate.Settle : NodeFate.Split;

        public bool Admit(ref Node node, out double priority)
        {
            priority = 0;
            if (node.Infeasible) { Interlocked.Increment(ref _infeasible); return false; }
            priority = node.Bound!.Worst;
            if (priority > 0) { _closed.Close(Negated(node.Bound.Lower)); return false; }
            return true;
        }

        public void BeforeBranching(IReadOnlyList<Node> batch) =>
            _keepEnclosures = Engine.UndecidedCount + 2 * batch.Count < _owner.MaxDomainsWithEnclosures;

        public PhaseDomain[] Split(Node node)
        {
            if (node.Branch is not { } b) return [];
            return node.Phases.Children(b.Layer, b.Neuron, b.Perturbed).Select(p => new PhaseDomain(p, b.Layer)).ToArray();
        }

        public Node Bound(PhaseDomain domain, Node parent, CancellationToken cancellation)
        {
            var r = _owner.Leaf.MarginPhaseDomain(_network, _box, _delta, _cls, domain.Phases, parent.Enclosures, domain.SplitLayer, cancellation,
                _owner.WarmStart ? parent.Starts : null);
            if (r.Infeasible) return new Node(domain.Phases, null, null, true);
            var bound = r.Bound!.Max(parent.Bound!);
            // A parent's better margins can close a child the leaf alone left open: no branch is needed then.
            return new Node(domain.Phases, bound, bound.Worst > 0 ? null : r.Branch, false) { Enclosures = _keepEnclosures ? r.Enclosures : null, Starts = _keepEnclosures ? r.Starts : null };
        }

        /// <summary>Per class j: the minimum margin bound over the closed and undecided domains (+∞ for the class itself).</summary>
        public double[] CurrentLower() =>
            Negated(_closed.Upper(u => Engine.UndecidedMaxInto(u, n => Negated(n.Bound!.Lower))));

        private static double[] Negated(double[] v) => v.Select(x => -x).ToArray();
    }
}
