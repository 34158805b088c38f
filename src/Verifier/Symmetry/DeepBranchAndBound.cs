using System.Diagnostics;
using Verify.Bab;
using Verify.Model;
using Verify.Results;
using static Verify.Symmetry.ParameterVectors;

namespace Verify.Symmetry;

/// <summary>
/// Exact distance for deep networks with small hidden layers, by branch and bound over the permutations, assigning
/// neurons one at a time, layer by layer (each layer's rows only depend on its own and the previous permutation).
/// Bounds used to prune (a node is cut when its bound reaches the best distance found):
///  - modulo permutation: the exact ℓ∞ cost of every assigned row (it is final once the previous layer is fixed);
///  - modulo permutation and scaling: for the first layer the exact scaled cost of the row alone (inputs are never
///    scaled); deeper rows contribute |a| whenever the copy's entry is 0 or of opposite sign (no positive scale can
///    help); and each completed layer the exact optimal scaling of all rows so far (<see cref="ScalingProblem"/>),
///    a relaxation of the full problem.
/// Leaves are solved exactly. The search starts from the heuristic's upper bound; if the node or time budget runs
/// out, the best alignment found is returned as an upper bound (Exact = false).
/// It runs on the branch-and-bound core (<see cref="BabEngine{TDomain, TNode, TPriority}"/>) depth first: one node per
/// round on the searching thread, the children of the latest expanded node first, cheapest first. That order finds
/// incumbents early, keeps the frontier to one path's siblings, and makes the node budget mean what it always meant.
/// </summary>
public sealed class DeepBranchAndBound : IBabProblem<DeepBranchAndBound.Node, (long Expansion, double Cost, int Row)>,
    ISplitPolicy<DeepBranchAndBound.Assignment, DeepBranchAndBound.Node>, ILeafBounder<DeepBranchAndBound.Assignment, DeepBranchAndBound.Node>
{
    /// <summary>
    /// A partial assignment of A's hidden neurons to B's: the permutations of the layers before <paramref name="Layer"/>
    /// (Done, shared between nodes, never written), and of layer Layer the rows before <paramref name="Row"/> (Current,
    /// with Used marking B's rows taken). Layer = hidden count: every permutation is fixed.
    /// </summary>
    public sealed record Assignment(int Layer, int Row, int[][] Done, int[] Current, bool[] Used, int Chosen);

    /// <summary>An assignment with a lower bound of every completion. Prunable: it assigned a row, and is cut when its
    /// bound reaches the incumbent (the root and the step to the next layer carry their parent's bound unchecked).</summary>
    public sealed record Node(Assignment Part, double Bound, bool Prunable);

    private readonly EditableNetwork _a, _b;
    private readonly bool _scale;
    private readonly int _hidden;
    private readonly long _nodeLimit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _timeLimit;
    private readonly CancellationToken _cancel;
    private long _nodes;
    private long _expansions;
    private bool _aborted;
    private double _best;
    private int[][] _bestPerms;
    private double[][]? _bestLog2Scales;

    private DeepBranchAndBound(Network a, Network b, bool scale, long nodeLimit, TimeSpan timeLimit, CancellationToken cancel, double best, int[][] bestPerms)
    {
        _a = new EditableNetwork(a); _b = new EditableNetwork(b);
        _scale = scale; _hidden = a.Depth - 1;
        _nodeLimit = nodeLimit; _timeLimit = timeLimit; _cancel = cancel;
        _best = best; _bestPerms = bestPerms;
    }

    public static DistanceResult Solve(Network a, Network b, bool scale, long nodeLimit = 20_000_000, TimeSpan? timeLimit = null,
                                       CancellationToken cancel = default)
    {
        RequireSameArchitecture(a, b);
        var start = LayerwiseAlignment.Solve(a, b, scale, cancel);
        var perms = start.Alignment.Permutations.Select(p => (int[])p.Clone()).ToArray();
        var bb = new DeepBranchAndBound(a, b, scale, nodeLimit, timeLimit ?? TimeSpan.FromSeconds(60), cancel, double.PositiveInfinity, perms);
        // The heuristic's permutations, with their own exact optimum, are the incumbent.
        bb.Leaf(perms);
        var engine = new BabEngine<Assignment, Node, (long, double, int)>(bb, bb, bb, new BabOptions { Threads = 1, BatchSize = 1 }, DepthFirst.Instance);
        engine.Offer(new Node(bb.Fresh(0, []), 0, Prunable: false));
        // The budget, not the token, ends the run: the token is read with the clock, as part of it.
        engine.Run();

        var scales = bb._bestLog2Scales is null
            ? bb._bestPerms.Select(p => Enumerable.Repeat(1.0, p.Length).ToArray()).ToArray()
            : bb._bestLog2Scales.Select(t => t.Select(x => Math.Pow(2, x)).ToArray()).ToArray();
        var alignment = new Alignment(bb._bestPerms, scales);
        var aligned = alignment.Apply(b);
        string method = bb._aborted
            ? $"branch and bound stopped after {bb._nodes} nodes, {bb._clock.Elapsed.TotalSeconds:F1} s (upper bound)"
            : $"branch and bound ({bb._nodes} nodes)";
        return new DistanceResult(bb._best, scale ? DistanceModulo.PermScale : DistanceModulo.Perm, !bb._aborted, method,
            alignment, aligned, scale ? $"aligned copy rounds c·w; its plain ℓ∞ distance is {LInf(a, aligned):R}" : null);
    }

    /// <summary>Layer l with no row assigned yet, after the permutations <paramref name="done"/>.</summary>
    private Assignment Fresh(int l, int[][] done)
    {
        int n = l < _hidden ? _a.Width(l) : 0;
        return new Assignment(l, 0, done, new int[n], new bool[n], -1);
    }

    /// <summary>The latest expansion first (depth first), then the cheapest child, then B's row order.</summary>
    private sealed class DepthFirst : IComparer<(long Expansion, double Cost, int Row)>
    {
        public static readonly DepthFirst Instance = new();

        public int Compare((long Expansion, double Cost, int Row) x, (long Expansion, double Cost, int Row) y)
        {
            int c = y.Expansion.CompareTo(x.Expansion);
            if (c != 0) return c;
            c = x.Cost.CompareTo(y.Cost);
            return c != 0 ? c : x.Row.CompareTo(y.Row);
        }
    }

    public bool ShouldStop() => _aborted;

    public NodeFate Triage(Node node, (long Expansion, double Cost, int Row) priority)
    {
        if (node.Prunable && node.Bound >= _best) return NodeFate.Close;
        if (++_nodes > _nodeLimit || (_nodes % 1024 == 0 && (_clock.Elapsed > _timeLimit || _cancel.IsCancellationRequested)))
        {
            _aborted = true;
            return NodeFate.KeepAndStop;
        }
        var p = node.Part;
        if (p.Layer == _hidden) { Leaf(p.Done); return NodeFate.Close; }
        if (p.Row == _a.Width(p.Layer) && _scale && p.Layer >= 1 && Prefix([.. p.Done, p.Current], p.Layer).Level() >= _best) return NodeFate.Close;
        _expansions++;
        return NodeFate.Split;
    }

    public bool Admit(ref Node node, out (long Expansion, double Cost, int Row) priority)
    {
        priority = (_expansions, node.Bound, node.Part.Chosen);
        return !(node.Prunable && node.Bound >= _best);
    }

    /// <summary>The next row's choices among B's unused rows, or the step to the next layer when the layer is full.</summary>
    public Assignment[] Split(Node node)
    {
        var p = node.Part;
        if (p.Row == _a.Width(p.Layer)) return [Fresh(p.Layer + 1, [.. p.Done, p.Current])];
        var parts = new List<Assignment>();
        for (int j = 0; j < p.Used.Length; j++)
        {
            if (p.Used[j]) continue;
            var current = (int[])p.Current.Clone(); current[p.Row] = j;
            var used = (bool[])p.Used.Clone(); used[j] = true;
            parts.Add(new Assignment(p.Layer, p.Row + 1, p.Done, current, used, j));
        }
        return [.. parts];
    }

    public Node Bound(Assignment part, Node parent, CancellationToken cancellation)
    {
        if (part.Chosen < 0) return new Node(part, parent.Bound, Prunable: false);
        int l = part.Layer;
        return new Node(part, Math.Max(parent.Bound, RowBound(l, part.Row - 1, part.Chosen, l > 0 ? part.Done[l - 1] : null)), Prunable: true);
    }

    /// <summary>A lower bound on (modulo permutation: exactly) the cost of A's row i against B's row j in layer l.</summary>
    private double RowBound(int l, int i, int j, int[]? prev)
    {
        var ar = _a.W[l][i]; var br = _b.W[l][j];
        if (!_scale)
        {
            double m = Math.Abs(_a.B[l][i] - _b.B[l][j]);
            for (int k = 0; k < ar.Length; k++) m = Math.Max(m, Math.Abs(ar[k] - br[prev is null ? k : prev[k]]));
            return m;
        }
        if (l == 0) return ScaledNeuronCost.Cost(Incoming(_a, 0, i), Incoming(_b, 0, j), [], []);
        double s = SignBound(_a.B[l][i], _b.B[l][j]);
        for (int k = 0; k < ar.Length; k++) s = Math.Max(s, SignBound(ar[k], br[prev![k]]));
        return s;
    }

    /// <summary>|a − y·x| ≥ |a| for every x &gt; 0 when y is 0 or of the opposite sign to a.</summary>
    private static double SignBound(double a, double y) => a == 0 || (y != 0 && Math.Sign(a) == Math.Sign(y)) ? 0 : Math.Abs(a);

    private void Leaf(int[][] perms)
    {
        double level; double[][]? log2 = null;
        if (_scale)
        {
            var problem = Prefix(perms, _hidden);
            var (lv, t) = problem.Solve();
            level = lv;
            log2 = Split(t, perms);
        }
        else
        {
            level = 0;
            for (int l = 0; l <= _hidden; l++)
                for (int i = 0; i < _a.Width(l); i++)
                    level = Math.Max(level, RowBound(l, i, l < _hidden ? perms[l][i] : i, l > 0 ? perms[l - 1] : null));
        }
        if (level < _best)
        {
            _best = level;
            _bestPerms = perms.Select(p => (int[])p.Clone()).ToArray();
            _bestLog2Scales = log2;
        }
    }

    private double[][] Split(double[] t, int[][] perms)
    {
        var r = new double[_hidden][];
        int offset = 0;
        for (int l = 0; l < _hidden; l++) { r[l] = t.AsSpan(offset, perms[l].Length).ToArray(); offset += perms[l].Length; }
        return r;
    }

    /// <summary>The scaling problem over the rows of layers 0..last (last = hidden count means every parameter).</summary>
    private ScalingProblem Prefix(int[][] perms, int last)
    {
        var offsets = new int[_hidden + 1];
        for (int l = 0; l < _hidden; l++) offsets[l + 1] = offsets[l] + _a.Width(l);
        var p = new ScalingProblem(offsets[_hidden]);
        for (int l = 0; l <= last; l++)
            for (int i = 0; i < _a.Width(l); i++)
            {
                int j = l < _hidden ? perms[l][i] : i;
                int row = l < _hidden ? offsets[l] + i : -1;
                p.Add(_a.B[l][i], _b.B[l][j], row, -1);
                var ar = _a.W[l][i]; var br = _b.W[l][j];
                for (int k = 0; k < ar.Length; k++)
                    p.Add(ar[k], br[l > 0 ? perms[l - 1][k] : k], row, l > 0 ? offsets[l - 1] + k : -1);
            }
        return p;
    }
}
