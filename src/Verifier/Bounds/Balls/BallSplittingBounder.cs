using System.Diagnostics;
using Verify.Bab;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// A one-layer norm ball at a fixed input, bounded through its exact reduction to an ℓ2 ball in the layer's
/// pre-activations (<see cref="BallTail"/>, docs/normballs.md): the tail's linear bounds over the ball
/// (<see cref="BallLinearPass"/>), refined by branching on the ReLU phases of the tail's unstable neurons on the
/// branch-and-bound core. A domain fixes some phases; its two children (z′ ≥ 0, z′ ≤ 0) cover it, domains proved empty
/// are dropped, so U_j is the maximum over the others. A child's bound is capped by its parent's. Stops at
/// <see cref="Timeout"/>, <see cref="MaxSplits"/> or once sup U ≤ <see cref="StopAtSupUpper"/>.
/// </summary>
public sealed class BallSplittingBounder : IDeviationBounder
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxSplits { get; init; } = int.MaxValue;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public double? StopAtSupUpper { get; init; }
    public Action<Results.SplitProgress>? Progress { get; init; }

    /// <summary>Children start from their parent's enclosures while fewer than this many domains are open.</summary>
    public int MaxDomainsWithEnclosures { get; init; } = 20_000;

    public string Name => "ball";

    /// <summary>Domains proved empty and dropped in the last run (for tests and reports).</summary>
    public int LastInfeasible { get; private set; }

    /// <summary>Domains bounded in the last run, the root included.</summary>
    public int LastDomains { get; private set; }

    /// <summary>Whether the reduction applies (a point box, a one-layer ball, a ReLU tail): else <see cref="Run"/> is null.</summary>
    public static bool Applies(Network network, Box box, ParameterBox delta) => BallTail.TryCreate(network, box, delta) is not null;

    /// <summary>+∞ per output where the reduction does not apply (nothing is claimed).</summary>
    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        Run(network, box, delta, cancellation)?.Bound
        ?? new DeviationBound(Enumerable.Repeat(double.PositiveInfinity, network.OutputSize).ToArray());

    /// <summary>The root bound only, without branching (what `--method linear` adds).</summary>
    public static DeviationBound? Root(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        if (BallTail.TryCreate(network, box, delta) is not { } tail) return null;
        var root = new BallLinearPass(tail).Bound(NoPhases(tail), null, cancellation);
        return root.Infeasible ? throw new InvalidOperationException("the ball was proved empty: a bug in the ball pass") : new DeviationBound(root.Upper);
    }

    public SplitOutcome? Run(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        if (BallTail.TryCreate(network, box, delta) is not { } tail) return null;
        var clock = Stopwatch.StartNew();
        var pass = new BallLinearPass(tail);
        var root = pass.Bound(NoPhases(tail), null, cancellation);
        if (root.Infeasible) throw new InvalidOperationException("the ball was proved empty: a bug in the ball pass");
        var history = new SplitHistory(clock, root.Upper.Max(), Progress);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Timeout);
        var search = new Branching(this, pass, history, deadline.Token);
        search.Engine.Offer(new Node(NoPhases(tail), root, root.Upper.Max()));
        search.Engine.Run(deadline.Token);
        LastInfeasible = search.Infeasible;
        LastDomains = search.Domains + 1;
        int splits = (int)search.Engine.Splits;
        var upper = search.CurrentUpper();
        return new SplitOutcome(new DeviationBound(upper), splits, search.Engine.UndecidedCount, history.Finish(splits, upper.Max()));
    }

    private static sbyte[][] NoPhases(BallTail tail) =>
        Enumerable.Range(tail.Layer, tail.Depth - 1 - tail.Layer).Select(l => new sbyte[tail.Network.Layers[l].Outputs]).ToArray();

    private sealed record Node(sbyte[][] Signs, BallLinearPass.DomainBound Bound, double Key);

    /// <summary>Domains filed by −(their sup U), empty ones dropped on admission, those without an unstable free neuron settled.</summary>
    private sealed class Branching : IBabProblem<Node, double>, ISplitPolicy<sbyte[][], Node>, ILeafBounder<sbyte[][], Node>
    {
        private readonly BallSplittingBounder _owner;
        private readonly BallLinearPass _pass;
        private readonly SplitHistory _history;
        private readonly CancellationToken _deadline;
        private readonly int _outputs;
        private bool _keepEnclosures = true;
        public int Infeasible, Domains;

        public Branching(BallSplittingBounder owner, BallLinearPass pass, SplitHistory history, CancellationToken deadline)
        {
            _owner = owner; _pass = pass; _history = history; _deadline = deadline;
            _outputs = pass.Outputs;
            Engine = new BabEngine<sbyte[][], Node, double>(this, this, this,
                new BabOptions { Threads = owner.Parallelism, BatchSize = Math.Max(2, 2 * owner.Parallelism), MaxSplits = owner.MaxSplits });
        }

        public BabEngine<sbyte[][], Node, double> Engine { get; }

        public bool ShouldStop() => SplitNodeBounds.Finished(Engine, _deadline, _owner.MaxSplits, _history, _owner.StopAtSupUpper);

        public NodeFate Triage(Node node, double priority) => node.Key <= 0 || node.Bound.Branch.Layer < 0 ? NodeFate.Settle : NodeFate.Split;

        public bool Admit(ref Node node, out double priority)
        {
            priority = -node.Key;
            if (!node.Bound.Infeasible) return true;
            Interlocked.Increment(ref Infeasible);
            return false;
        }

        public void BeforeBranching(IReadOnlyList<Node> batch) =>
            _keepEnclosures = Engine.UndecidedCount + 2 * batch.Count < _owner.MaxDomainsWithEnclosures;

        public sbyte[][][] Split(Node node)
        {
            var (m, k) = node.Bound.Branch;
            if (m < 0) return [];
            return [With(node.Signs, m, k, 1), With(node.Signs, m, k, -1)];
        }

        private static sbyte[][] With(sbyte[][] signs, int m, int k, sbyte s)
        {
            var copy = (sbyte[][])signs.Clone();
            copy[m] = (sbyte[])signs[m].Clone();
            copy[m][k] = s;
            return copy;
        }

        public Node Bound(sbyte[][] signs, Node parent, CancellationToken cancellation)
        {
            var b = _pass.Bound(signs, _keepEnclosures ? parent.Bound : null, cancellation, parent.Bound.Branch.Layer);
            Interlocked.Increment(ref Domains);
            if (b.Infeasible) return new Node(signs, b, 0);
            // The parent's bound holds on this part of its domain.
            var upper = new double[b.Upper.Length];
            for (int j = 0; j < upper.Length; j++) upper[j] = Math.Min(b.Upper[j], parent.Bound.Upper[j]);
            return new Node(signs, b with { Upper = upper }, upper.Max());
        }

        public void AfterRound() => _history.Offer(Engine.Splits, CurrentUpper().Max());

        /// <summary>The certified U_j: the maximum over the domains not proved empty, which cover the ball.</summary>
        public double[] CurrentUpper() => new GlobalBounds(_outputs).Upper(u => Engine.UndecidedMaxInto(u, n => n.Bound.Upper));
    }
}
