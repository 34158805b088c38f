using System.Diagnostics;
using Verify.Bab;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--split phase`: the linear bound refined by branching on ReLU phases (β-CROWN style, docs/phases.md). A domain is
/// the input box with some nominal pre-activations fixed to z ≥ 0 or z ≤ 0; it is bounded by the joint linear pass with
/// the phases intersected into its enclosures and a β multiplier per fixed phase optimised with the α slopes
/// (<see cref="LinearDifferenceBounder.BoundPhaseDomain"/>). The worst domain (largest bound relative to the root's)
/// is split on the unstable neuron whose relaxation intercepts contribute most to its worst output bound (BaBSR).
/// Domains proved empty are dropped; the others cover the box, so U_j is the maximum over the open ones. A child's
/// bound is capped by its parent's. Stops at the timeout, <see cref="MaxSplits"/> or <see cref="StopAtSupUpper"/>.
/// </summary>
public sealed class PhaseSplittingBounder : IDeviationBounder
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxSplits { get; init; } = int.MaxValue;
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The leaf pass; β is optimised only with <see cref="LinearDifferenceBounder.OptimizeSlopes"/> (without
    /// it a fixed phase only tightens its own neuron).</summary>
    public LinearDifferenceBounder Leaf { get; init; } = new() { OptimizeSlopes = true };
    public Action<SplitProgress>? Progress { get; init; }
    public double? StopAtSupUpper { get; init; }

    /// <summary>Return right after the root (its bound, no split) when its sup U is not below this: certify's auto
    /// gives phase branching the time of an input splitting that stalled only if its root already does better.</summary>
    public double? GiveUpAbove { get; init; }

    /// <summary>Hears, before each round, the box with the upper bounds of the domain about to be split, on the
    /// searching thread (the attack restarts in the box: a phase domain is not a box it could search alone).</summary>
    public Action<Box, double[]>? Promising { get; init; }

    /// <summary>Children start from their parent's enclosures while fewer than this many domains are open (each
    /// keeps ≈ 12 doubles per neuron); beyond, from scratch.</summary>
    public int MaxDomainsWithEnclosures { get; init; } = 2_000;

    public string Name => "phase";

    /// <summary>Domains proved empty and dropped in the last <see cref="Run"/> (for tests and reports).</summary>
    public int LastInfeasible { get; private set; }

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        Run(network, box, delta, cancellation).Bound;

    private sealed record Node(PhaseSet Phases, double[] Upper, double[] Lower, double[] DeltaUpper,
                               LinearDifferenceBounder.PhaseChoice? Branch, double Key, bool Infeasible)
    {
        public LayerBounds[]? Enclosures { get; init; }
    }

    public SplitOutcome Run(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var root = Leaf.BoundPhaseDomain(network, box, delta, PhaseSet.Empty, null, -1, null, cancellation);
        if (root.Infeasible) throw new InvalidOperationException("the input box was proved empty: a bug in the phase pass");
        var rootUpper = root.Bound!.Upper;
        var history = new SplitHistory(clock, rootUpper.Max(), Progress);
        if (GiveUpAbove is { } above && !(rootUpper.Max() < above))
            return new SplitOutcome(root.Bound, 0, 1, history.Finish(0, rootUpper.Max()));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Timeout);
        var search = new Branching(this, network, box, delta, rootUpper, history, deadline.Token);
        search.Engine.Offer(search.MakeNode(PhaseSet.Empty, root.Bound, root) with { Enclosures = root.Enclosures });
        search.Engine.Run(deadline.Token);
        LastInfeasible = search.Infeasible;
        return SplitNodeBounds.Outcome(search.Engine, search.CurrentUpper(), history, n => n.Lower, n => n.DeltaUpper);
    }

    /// <summary>The search on the branch-and-bound core: domains filed by −key (worst relative bound first), empty
    /// domains closed on admission, domains without an unstable neuron or with a zero bound settled.</summary>
    private sealed class Branching : IBabProblem<Node, double>, ISplitPolicy<PhaseDomain, Node>, ILeafBounder<PhaseDomain, Node>
    {
        private readonly PhaseSplittingBounder _owner;
        private readonly Network _network;
        private readonly Box _box;
        private readonly ParameterBox _delta;
        private readonly double[] _rootUpper, _weights;
        private readonly SplitHistory _history;
        private readonly CancellationToken _deadline;
        private bool _keepEnclosures = true;

        public Branching(PhaseSplittingBounder owner, Network network, Box box, ParameterBox delta, double[] rootUpper,
                         SplitHistory history, CancellationToken deadline)
        {
            _owner = owner; _network = network; _box = box; _delta = delta; _rootUpper = rootUpper;
            _weights = rootUpper.Select(u => u > 0 ? 1 / u : 0).ToArray();
            _history = history; _deadline = deadline;
            int batch = Math.Max(2, 2 * owner.Parallelism);
            Engine = new BabEngine<PhaseDomain, Node, double>(this, this, this,
                new BabOptions { Threads = owner.Parallelism, BatchSize = batch, MaxSplits = owner.MaxSplits });
        }

        public BabEngine<PhaseDomain, Node, double> Engine { get; }

        public int Infeasible;

        public bool ShouldStop() => SplitNodeBounds.Finished(Engine, _deadline, _owner.MaxSplits, _history, _owner.StopAtSupUpper);

        public NodeFate Triage(Node node, double priority) => node.Key <= 0 || node.Branch is null ? NodeFate.Settle : NodeFate.Split;

        public bool Admit(ref Node node, out double priority)
        {
            priority = -node.Key;
            if (!node.Infeasible) return true;
            Interlocked.Increment(ref Infeasible);
            return false;
        }

        public void BeforeBranching(IReadOnlyList<Node> batch)
        {
            _keepEnclosures = Engine.UndecidedCount + 2 * batch.Count < _owner.MaxDomainsWithEnclosures;
            if (_owner.Promising is { } promising && batch.Count > 0) promising(_box, batch[0].Upper);
        }

        public PhaseDomain[] Split(Node node)
        {
            if (node.Branch is not { } b) return [];
            return node.Phases.Children(b.Layer, b.Neuron, b.Perturbed).Select(p => new PhaseDomain(p, b.Layer)).ToArray();
        }

        public Node Bound(PhaseDomain domain, Node parent, CancellationToken cancellation)
        {
            var r = _owner.Leaf.BoundPhaseDomain(_network, _box, _delta, domain.Phases, parent.Enclosures, domain.SplitLayer, _weights, cancellation);
            if (r.Infeasible) return new Node(domain.Phases, [], [], [], null, 0, true);
            return MakeNode(domain.Phases, Tighten(r.Bound!, parent), r) with { Enclosures = _keepEnclosures ? r.Enclosures : null };
        }

        public void AfterRound()
        {
            _history.Offer(Engine.Splits, CurrentUpper().Max());
        }

        /// <summary>The certified U_j: the maximum over the feasible domains, which cover the box (0 if none is larger).</summary>
        public double[] CurrentUpper() => new GlobalBounds(_rootUpper.Length).Upper(u => Engine.UndecidedMaxInto(u, n => n.Upper));

        public Node MakeNode(PhaseSet phases, DeviationBound bound, LinearDifferenceBounder.PhaseDomainBound r)
        {
            return new Node(phases, bound.Upper, bound.DeltaLower!, bound.DeltaUpper!, r.Branch, SplitNodeBounds.Key(bound.Upper, _rootUpper), false);
        }
    }


    /// <summary>The child's bound capped by its parent's (which holds on the child's subdomain).</summary>
    private static DeviationBound Tighten(DeviationBound child, Node parent) =>
        SplitNodeBounds.CappedBy(child, parent.Upper, parent.Lower, parent.DeltaUpper);
}
