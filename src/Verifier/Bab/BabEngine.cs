namespace Verify.Bab;

/// <summary>
/// Best-first branch and bound over any domain: rounds of up to <see cref="BabOptions.BatchSize"/> nodes are taken off
/// the <see cref="Open"/> frontier (the problem triages each), split by the <see cref="ISplitPolicy{TDomain, TNode}"/>,
/// their parts bounded by the <see cref="ILeafBounder{TDomain, TNode}"/> on a pool of workers, and the children
/// admitted in order. A cancelled round is undone: its parents go back to the frontier under their old priorities, so
/// every part of the root stays accounted for by an open, settled, frozen or closed node. A parent the policy cannot
/// split is settled. Every leaf (a node never split) is handed to the recorder once: when it is closed or frozen, and
/// when the run ends for the open and settled ones.
/// </summary>
public sealed class BabEngine<TDomain, TNode, TPriority>(
    IBabProblem<TNode, TPriority> problem,
    ISplitPolicy<TDomain, TNode> splitPolicy,
    ILeafBounder<TDomain, TNode> leafBounder,
    BabOptions options,
    IComparer<TPriority>? comparer = null,
    ILeafRecorder<TNode>? recorder = null)
{
    private readonly List<TNode> _settled = [];

    public Frontier<TNode, TPriority> Open { get; } = new(comparer);

    /// <summary>Leaves that still count in the global bound but are not split.</summary>
    public IReadOnlyList<TNode> Settled => _settled;

    /// <summary>The nodes that stand for the undecided rest of the root: open and settled.</summary>
    public IEnumerable<TNode> Undecided => Open.Nodes.Concat(_settled);

    public int UndecidedCount => Open.Count + _settled.Count;

    /// <summary>Raises each u_j to the maximum of <paramref name="upperOf"/> over the undecided nodes (open and settled).</summary>
    public void UndecidedMaxInto(double[] u, Func<TNode, double[]> upperOf)
    {
        Open.MaxInto(u, upperOf);
        foreach (var n in _settled) Frontier<TNode, TPriority>.MaxOf(u, upperOf(n));
    }

    public long Splits { get; private set; }

    /// <summary>A root (or any node made outside a round) goes through <see cref="IBabProblem{TNode, TPriority}.Admit"/>.</summary>
    public void Offer(TNode node)
    {
        if (problem.Admit(ref node, out var priority)) Open.Add(node, priority);
        else recorder?.Record(node, LeafKind.Closed);
    }

    /// <summary>Keeps the <paramref name="keep"/> best open nodes; the others are frozen (handed to <paramref name="frozen"/>).</summary>
    public int Freeze(int keep, Action<TNode> frozen) => Open.KeepBest(keep, n =>
    {
        frozen(n);
        recorder?.Record(n, LeafKind.Frozen);
    });

    /// <summary>Runs rounds until the problem stops it, the token is cancelled, nothing is open or the split cap is reached.</summary>
    public BabExit Run(CancellationToken cancellation = default)
    {
        try { return Rounds(cancellation); }
        finally
        {
            if (recorder is not null)
            {
                foreach (var n in Open.Nodes) recorder.Record(n, LeafKind.Open);
                foreach (var n in _settled) recorder.Record(n, LeafKind.Settled);
            }
        }
    }

    private BabExit Rounds(CancellationToken cancellation)
    {
        var batch = new List<TNode>(options.BatchSize);
        var priorities = new List<TPriority>(options.BatchSize);
        var rounds = new RoundSizer(options);
        while (true)
        {
            if (problem.ShouldStop()) return BabExit.Stopped;
            if (cancellation.IsCancellationRequested) return BabExit.Cancelled;
            if (Open.Count == 0) return BabExit.Exhausted;
            if (Splits >= options.MaxSplits) return BabExit.SplitLimit;

            batch.Clear(); priorities.Clear();
            while (batch.Count < rounds.Size && Splits + batch.Count < options.MaxSplits && Open.TryTake(out var node, out var priority))
            {
                switch (problem.Triage(node, priority))
                {
                    case NodeFate.Split: batch.Add(node); priorities.Add(priority); break;
                    case NodeFate.Settle: _settled.Add(node); break;
                    case NodeFate.Close: recorder?.Record(node, LeafKind.Closed); break;
                    case NodeFate.KeepAndStop:
                        Open.Add(node, priority);
                        Requeue(batch, priorities);
                        return BabExit.Stopped;
                }
            }
            if (batch.Count == 0) continue;

            problem.BeforeBranching(batch);
            var children = new TNode[batch.Count][];
            try
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                BranchAll(batch, children, cancellation);
                rounds.Observe(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
                problem.AfterBranching(batch, children, cancellation);
            }
            catch (Exception e) when (IsCancellation(e))
            {
                Requeue(batch, priorities);   // the parents still stand for their parts
                return BabExit.Cancelled;
            }
            for (int i = 0; i < batch.Count; i++)
            {
                if (children[i].Length == 0) { _settled.Add(batch[i]); continue; }
                Splits++;
                foreach (var c in children[i]) Offer(c);
            }
            problem.AfterRound();
        }
    }

    /// <summary>
    /// Splits every parent (cheap, on this thread), then bounds all their parts on the workers as one flat list: with
    /// parents of two parts and as many parents as twice the threads, a pool per parent left threads idle at the end of
    /// every round (measured: a quarter of the CPU time of `certify --method auto` spent waiting on 2 cores).
    /// </summary>
    private void BranchAll(List<TNode> batch, TNode[][] children, CancellationToken cancellation)
    {
        var parts = new TDomain[batch.Count][];
        var jobs = new List<(int Parent, int Part)>();
        for (int i = 0; i < batch.Count; i++)
        {
            parts[i] = splitPolicy.Split(batch[i]);
            children[i] = new TNode[parts[i].Length];
            for (int k = 0; k < parts[i].Length; k++) jobs.Add((i, k));
        }
        void BoundOne(int q)
        {
            var (i, k) = jobs[q];
            children[i][k] = leafBounder.Bound(parts[i][k], batch[i], cancellation);
        }
        if (options.Threads == 1)
        {
            for (int q = 0; q < jobs.Count; q++) BoundOne(q);
            cancellation.ThrowIfCancellationRequested();   // as Parallel.For does when the token fired meanwhile
            return;
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellation };
        Parallel.For(0, jobs.Count, parallel, BoundOne);
    }

    private void Requeue(List<TNode> batch, List<TPriority> priorities)
    {
        for (int i = 0; i < batch.Count; i++) Open.Add(batch[i], priorities[i]);
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.InnerExceptions.All(x => x is OperationCanceledException));
}
