using System.Diagnostics;
using Verify.Bab;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--split hybrid`: input bisection and ReLU-phase branching chosen per box (docs/phases.md). A domain is a sub-box of
/// the input box with some phases fixed. Boxes are bisected along the dimension of largest influence and bounded by the
/// plain joint pass, as in <see cref="InputSplittingBounder"/>, while bisection pays. A box whose path made
/// <see cref="StallBisections"/> bisections without bringing its key below <see cref="StallRatio"/> of where it stood has
/// reached a plateau (its looseness is in the relaxations of neurons whose phase changes inside it, not in its width):
/// it is bounded again by the phase pass with α slopes (<see cref="LinearDifferenceBounder.BoundPhaseDomain"/>) and, if
/// that is below <see cref="PhaseGain"/> of its plain bound, branches on its own phases with β multipliers from then on.
/// The children of either split cover their parent, domains proved empty are dropped, so U_j is the maximum over the
/// open domains; a child's bound is capped by its parent's.
/// </summary>
public sealed class HybridSplittingBounder : IDeviationBounder
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxSplits { get; init; } = int.MaxValue;
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The pass of the boxes that are still bisected.</summary>
    public LinearDifferenceBounder BoxLeaf { get; init; } = new();

    /// <summary>The pass of phase domains (β is optimised only with <see cref="LinearDifferenceBounder.OptimizeSlopes"/>).</summary>
    public LinearDifferenceBounder PhaseLeaf { get; init; } = new() { OptimizeSlopes = true, SplitPerturbedPhases = true };

    /// <summary>A box has stalled after <see cref="StallBisections"/> bisections on its path that did not bring its key
    /// below this fraction of where it stood before them.</summary>
    public double StallRatio { get; init; } = 0.7;

    /// <summary>How many bisections without progress make a plateau (0: the whole box may branch on its phases).</summary>
    public int StallBisections { get; init; } = 5;

    /// <summary>A stalled box turns to phase branching only if the phase pass bounds it below this fraction of the plain
    /// pass; else its bisection goes on.</summary>
    public double PhaseGain { get; init; } = 0.8;

    public Action<SplitProgress>? Progress { get; init; }
    public double? StopAtSupUpper { get; init; }

    /// <summary>Hears, before each round, the box of each domain about to be split with its upper bounds (the attack
    /// restarts inside it), on the searching thread.</summary>
    public Action<Box, double[]>? Promising { get; init; }

    /// <summary>Rounds grow to about this long, as <see cref="InputSplittingBounder.TargetRoundSeconds"/> (a split-capped
    /// run keeps fixed rounds).</summary>
    public double TargetRoundSeconds { get; init; } = 0.25;

    /// <summary>Children start from their parent's enclosures while fewer than this many domains are open.</summary>
    public int MaxDomainsWithEnclosures { get; init; } = 4_000;

    public string Name => "hybrid";

    /// <summary>Domains proved empty and dropped in the last <see cref="Run"/>.</summary>
    public int LastInfeasible { get; private set; }

    /// <summary>Boxes of the last <see cref="Run"/> that turned to phase branching.</summary>
    public int LastPhaseRoots { get; private set; }

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        Run(network, box, delta, cancellation).Bound;

    /// <summary>A part of the search: a box with fixed phases; <paramref name="SplitLayer"/> is the layer of the newest
    /// phase split (−1 after a bisection).</summary>
    internal sealed record Domain(Box Box, PhaseSet Phases, int SplitLayer);

    /// <summary>A bounded domain: in box mode it carries the influence of its input dimensions, in phase mode the
    /// neuron to split next (null when none is unstable).</summary>
    internal sealed record Node(Box Box, PhaseSet Phases, double[] Upper, double[] Lower, double[] DeltaUpper, double[]? Influence,
                               LinearDifferenceBounder.PhaseChoice? Branch, double Key, bool Infeasible)
    {
        public LayerBounds[]? Enclosures { get; init; }
        public bool PhaseMode => Influence is null;

        /// <summary>The key where the path last made progress, the bisections since, and how many make a plateau
        /// here (doubled each time the phase pass was tried on the path and not taken).</summary>
        public double Anchor { get; init; } = Key;
        public int Since { get; init; }
        public int Window { get; init; }
    }

    public SplitOutcome Run(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var (rootBound, rootInfl, rootEnc) = BoxLeaf.BoundWithEnclosures(network, box, delta, null, cancellation);
        var rootUpper = rootBound.Upper;
        var history = new SplitHistory(clock, rootBound.SupUpper, Progress);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Timeout);
        var search = new Branching(this, network, delta, rootUpper, history, deadline.Token);
        var root = new Node(box, PhaseSet.Empty, rootUpper, rootBound.DeltaLower!, rootBound.DeltaUpper!, rootInfl, null,
            SplitNodeBounds.Key(rootUpper, rootUpper), false) { Enclosures = rootEnc, Window = StallBisections };
        // No bisection needed to make a plateau: the whole box may branch on its phases from the start.
        search.Engine.Offer(StallBisections <= 0 ? search.Stalled(new Domain(box, PhaseSet.Empty, -1), root, rootEnc, cancellation) : root);
        search.Engine.Run(deadline.Token);
        LastInfeasible = search.Infeasible;
        LastPhaseRoots = search.PhaseRoots;
        return SplitNodeBounds.Outcome(search.Engine, search.CurrentUpper(), history, n => n.Lower, n => n.DeltaUpper);
    }

    private sealed class Branching : IBabProblem<Node, double>, ISplitPolicy<Domain, Node>, ILeafBounder<Domain, Node>
    {
        private readonly HybridSplittingBounder _owner;
        private readonly Network _network;
        private readonly ParameterBox _delta;
        private readonly double[] _rootUpper, _weights;
        private readonly SplitHistory _history;
        private readonly CancellationToken _deadline;
        private bool _keepEnclosures = true;
        public int Infeasible, PhaseRoots;

        public Branching(HybridSplittingBounder owner, Network network, ParameterBox delta, double[] rootUpper, SplitHistory history,
                         CancellationToken deadline)
        {
            _owner = owner; _network = network; _delta = delta; _rootUpper = rootUpper;
            _weights = rootUpper.Select(u => u > 0 ? 1 / u : 0).ToArray();
            _history = history; _deadline = deadline;
            int batch = Math.Max(2, 2 * owner.Parallelism);
            Engine = new BabEngine<Domain, Node, double>(this, this, this,
                new BabOptions
                {
                    Threads = owner.Parallelism, BatchSize = batch, MaxBatchSize = 16 * batch, MaxSplits = owner.MaxSplits,
                    TargetRoundSeconds = owner.MaxSplits == int.MaxValue ? owner.TargetRoundSeconds : 0,
                });
        }

        public BabEngine<Domain, Node, double> Engine { get; }

        public bool ShouldStop() => SplitNodeBounds.Finished(Engine, _deadline, _owner.MaxSplits, _history, _owner.StopAtSupUpper);

        public NodeFate Triage(Node node, double priority) =>
            node.Key <= 0 || (node.PhaseMode && node.Branch is null) ? NodeFate.Settle : NodeFate.Split;

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
            if (_owner.Promising is not { } promising) return;
            // The phase domains of one box share it: the attack hears each box once per round.
            var heard = new HashSet<Box>(ReferenceEqualityComparer.Instance);
            foreach (var n in batch)
                if (heard.Add(n.Box)) promising(n.Box, n.Upper);
        }

        public Domain[] Split(Node node)
        {
            if (node.PhaseMode)
            {
                if (node.Branch is not { } b) return [];
                return node.Phases.Children(b.Layer, b.Neuron, b.Perturbed).Select(p => new Domain(node.Box, p, b.Layer)).ToArray();
            }
            int dim = InputSplittingBounder.SplitDimension(node.Box, node.Influence!);
            if (dim < 0) return [];
            var (lo, hi) = node.Box.Bisect(dim);
            return [new Domain(lo, PhaseSet.Empty, -1), new Domain(hi, PhaseSet.Empty, -1)];
        }

        public Node Bound(Domain domain, Node parent, CancellationToken cancellation)
        {
            if (parent.PhaseMode)
                return PhaseNode(domain, parent, parent.Enclosures, domain.SplitLayer, cancellation);
            var (bound, infl, enc) = _owner.BoxLeaf.BoundWithEnclosures(_network, domain.Box, _delta, parent.Enclosures, cancellation);
            var capped = SplitNodeBounds.CappedBy(bound, parent.Upper, parent.Lower, parent.DeltaUpper);
            double key = SplitNodeBounds.Key(capped.Upper, _rootUpper);
            bool progress = key < _owner.StallRatio * parent.Anchor;
            var node = new Node(domain.Box, PhaseSet.Empty, capped.Upper, capped.DeltaLower!, capped.DeltaUpper!, infl, null, key, false)
                { Enclosures = _keepEnclosures ? enc : null, Anchor = progress ? key : parent.Anchor, Since = progress ? 0 : parent.Since + 1,
                  Window = parent.Window };
            if (key <= 0 || node.Since < node.Window) return node;
            return Stalled(domain, node, enc, cancellation);
        }

        /// <summary>Bisection stalled on <paramref name="node"/>: the same box, bounded by the phase pass, from now on
        /// split on its phases — if that pass is already clearly tighter; otherwise bisection goes on from here.</summary>
        public Node Stalled(Domain domain, Node node, LayerBounds[]? enclosures, CancellationToken cancellation)
        {
            var phase = PhaseNode(domain, node, enclosures, -1, cancellation);
            // A box with no phase fixed is not empty: dropping it would leave part of the input box unbounded.
            if (phase.Infeasible) throw new InvalidOperationException("a box was proved empty: a bug in the phase pass");
            // Not taken: the phase pass costs several plain ones, so it is tried again on this path only after twice
            // as many bisections without progress.
            if (!(phase.Key <= _owner.PhaseGain * node.Key))
                return node with { Anchor = node.Key, Since = 0, Window = Math.Max(1, 2 * node.Window) };
            Interlocked.Increment(ref PhaseRoots);
            return phase;
        }

        /// <summary>The phase pass on <paramref name="domain"/>, capped by <paramref name="cap"/> (a node whose domain
        /// contains it), from the enclosures <paramref name="outer"/>.</summary>
        private Node PhaseNode(Domain domain, Node cap, LayerBounds[]? outer, int reuseThrough, CancellationToken cancellation)
        {
            var r = _owner.PhaseLeaf.BoundPhaseDomain(_network, domain.Box, _delta, domain.Phases, outer, reuseThrough, _weights, cancellation);
            if (r.Infeasible) return new Node(domain.Box, domain.Phases, [], [], [], null, null, 0, true);
            var capped = SplitNodeBounds.CappedBy(r.Bound!, cap.Upper, cap.Lower, cap.DeltaUpper);
            return new Node(domain.Box, domain.Phases, capped.Upper, capped.DeltaLower!, capped.DeltaUpper!, null, r.Branch,
                SplitNodeBounds.Key(capped.Upper, _rootUpper), false) { Enclosures = _keepEnclosures ? r.Enclosures : null };
        }

        public void AfterRound() => _history.Offer(Engine.Splits, CurrentUpper().Max());

        /// <summary>The certified U_j: the maximum over the domains not proved empty, which cover the box.</summary>
        public double[] CurrentUpper() => new GlobalBounds(_rootUpper.Length).Upper(u => Engine.UndecidedMaxInto(u, n => n.Upper));
    }
}
