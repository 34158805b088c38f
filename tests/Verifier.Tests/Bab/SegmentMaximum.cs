using Verify.Bab;

namespace Verify.Tests.Bab;

/// <summary>A segment [Lo, Hi] of the real line: the domain of the toy problem.</summary>
public sealed record Segment(double Lo, double Hi)
{
    public double Width => Hi - Lo;
    public double Mid => (Lo + Hi) / 2;
}

public sealed record SegmentNode(Segment Domain, double Upper, int Depth);

/// <summary>
/// A toy problem for the core: max of f(x) = 1 − |x − 0.3| over [0, 1] (exactly 1). A node's bound is the exact
/// maximum on its segment plus the squared width (sound, and it only converges as segments shrink); the lower bound
/// is the best f at a segment's centre; a node closes when its bound is within <see cref="Tolerance"/> of it. Every
/// number here is dyadic, so the runs are exact and repeatable.
/// </summary>
public sealed class SegmentMaximum : IBabProblem<SegmentNode, double>, ISplitPolicy<Segment, SegmentNode>, ILeafBounder<Segment, SegmentNode>
{
    public const double Peak = 0.3;
    public double Tolerance { get; init; } = 1.0 / 1024;
    /// <summary>Segments narrower than this are not split.</summary>
    public double MinWidth { get; init; }
    /// <summary>Called before each bound (e.g. to cancel the run at some point).</summary>
    public Action<int>? OnBound { get; init; }
    public Func<SegmentNode, NodeFate?>? TriageOverride { get; init; }

    public double Lower { get; private set; } = double.NegativeInfinity;
    /// <summary>The running maximum of the closed leaves' bounds.</summary>
    public GlobalBounds Bounds { get; } = new(1, double.NegativeInfinity);
    public List<double> TriagedUppers { get; } = [];
    public List<(Segment Domain, LeafKind Kind)> Leaves { get; } = [];
    public BabEngine<Segment, SegmentNode, double> Engine { get; private set; } = null!;
    private int _bounds;

    public static double F(double x) => 1 - Math.Abs(x - Peak);

    public BabEngine<Segment, SegmentNode, double> Build(BabOptions options)
    {
        Engine = new BabEngine<Segment, SegmentNode, double>(this, this, this, options,
            recorder: new LeafRecorder<SegmentNode>((n, k) => { lock (Leaves) Leaves.Add((n.Domain, k)); }));
        Engine.Offer(Make(new Segment(0, 1), 0));
        return Engine;
    }

    public double GlobalUpper() => Bounds.Upper(Engine.Undecided, n => [n.Upper])[0];

    private SegmentNode Make(Segment s, int depth)
    {
        double exact = s.Lo <= Peak && Peak <= s.Hi ? 1 : Math.Max(F(s.Lo), F(s.Hi));
        return new SegmentNode(s, exact + s.Width * s.Width, depth);
    }

    public bool ShouldStop() => false;

    /// <summary>The most nodes a round took.</summary>
    public int MaxRound { get; private set; }

    public void BeforeBranching(IReadOnlyList<SegmentNode> batch) => MaxRound = Math.Max(MaxRound, batch.Count);

    public NodeFate Triage(SegmentNode node, double priority)
    {
        TriagedUppers.Add(node.Upper);
        if (TriageOverride?.Invoke(node) is { } fate) return fate;
        if (node.Upper > Lower + Tolerance) return NodeFate.Split;
        Bounds.Close(0, node.Upper);
        return NodeFate.Close;
    }

    public bool Admit(ref SegmentNode node, out double priority)
    {
        Lower = Math.Max(Lower, F(node.Domain.Mid));
        priority = -node.Upper;
        if (node.Upper > Lower + Tolerance) return true;
        Bounds.Close(0, node.Upper);
        return false;
    }

    public Segment[] Split(SegmentNode node) =>
        node.Domain.Width < MinWidth ? [] : [new(node.Domain.Lo, node.Domain.Mid), new(node.Domain.Mid, node.Domain.Hi)];

    public SegmentNode Bound(Segment domain, SegmentNode parent, CancellationToken cancellation)
    {
        OnBound?.Invoke(Interlocked.Increment(ref _bounds));
        cancellation.ThrowIfCancellationRequested();
        return Make(domain, parent.Depth + 1);
    }
}
