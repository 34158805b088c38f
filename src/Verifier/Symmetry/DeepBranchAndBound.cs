using System.Diagnostics;
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
/// </summary>
public sealed class DeepBranchAndBound
{
    private readonly EditableNetwork _a, _b;
    private readonly bool _scale;
    private readonly int _hidden;
    private readonly long _nodeLimit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _timeLimit;
    private readonly CancellationToken _cancel;
    private long _nodes;
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
        bb.Search(0, 0, perms.Select(p => new int[p.Length]).ToArray(), perms.Select(p => new bool[p.Length]).ToArray(), 0);

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

    private void Search(int l, int i, int[][] perms, bool[][] used, double bound)
    {
        if (_aborted) return;
        if (++_nodes > _nodeLimit || (_nodes % 1024 == 0 && (_clock.Elapsed > _timeLimit || _cancel.IsCancellationRequested)))
        {
            _aborted = true;
            return;
        }
        if (l == _hidden) { Leaf(perms); return; }
        if (i == _a.Width(l))
        {
            if (_scale && l >= 1 && Prefix(perms, l).Level() >= _best) return;
            Search(l + 1, 0, perms, used, bound);
            return;
        }
        int n = _a.Width(l);
        var options = new List<(double Cost, int J)>();
        for (int j = 0; j < n; j++)
            if (!used[l][j])
            {
                double c = Math.Max(bound, RowBound(l, i, j, l > 0 ? perms[l - 1] : null));
                if (c < _best) options.Add((c, j));
            }
        foreach (var (c, j) in options.OrderBy(o => o.Cost))
        {
            if (c >= _best || _aborted) continue;
            perms[l][i] = j; used[l][j] = true;
            Search(l, i + 1, perms, used, c);
            used[l][j] = false;
        }
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
