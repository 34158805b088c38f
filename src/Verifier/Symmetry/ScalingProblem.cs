namespace Verify.Symmetry;

/// <summary>
/// Optimal neuron scalings for fixed permutations: min over t of max over parameters |a − y·2^(t_row − t_col)|,
/// where t is the log2 scale of each hidden neuron (0 for inputs, outputs and biases). For a fixed level h every
/// parameter restricts t_row − t_col to an interval, so "level h is reachable" is a system of difference
/// constraints, feasible iff its constraint graph has no negative cycle (Bellman–Ford). Feasibility is monotone in
/// h, and the optimum is found by bisection over double bit patterns; exact up to rounding of the log2 endpoints.
/// Cost O(64·V·E): meant for the small networks of the exact branch and bound.
/// </summary>
public sealed class ScalingProblem
{
    /// <summary>One parameter: reference value a, value y of the permuted copy, the variable of its row and of its column (−1 = fixed at 0).</summary>
    public readonly record struct Term(double A, double Y, int Row, int Col);

    private readonly List<Term> _terms = [];
    public int Variables { get; }

    public ScalingProblem(int variables) { Variables = variables; }

    public void Add(double a, double y, int row, int col) => _terms.Add(new Term(a, y, row, col));

    public int Count => _terms.Count;

    /// <summary>The minimal level and log2 scales attaining it.</summary>
    public (double Level, double[] Log2Scales) Solve()
    {
        if (TryLevel(0, out var t0)) return (0, t0);
        double upper = 0;
        foreach (var term in _terms) upper = Math.Max(upper, Math.Abs(term.A - term.Y));
        upper = Math.Max(upper, double.Epsilon);
        double[]? best;
        while (!TryLevel(upper, out best))
        {
            if (upper >= double.MaxValue) throw new InvalidOperationException("scaling problem infeasible at every level");
            upper = Math.Min(double.MaxValue, upper * 2);
        }
        long lo = BitConverter.DoubleToInt64Bits(0.0), hi = BitConverter.DoubleToInt64Bits(upper);
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (TryLevel(BitConverter.Int64BitsToDouble(mid), out var t)) { hi = mid; best = t; } else lo = mid;
        }
        return (BitConverter.Int64BitsToDouble(hi), best!);
    }

    public double Level() => Solve().Level;

    /// <summary>Whether level h is reachable; if so, log2 scales reaching it.</summary>
    public bool TryLevel(double h, out double[] log2Scales)
    {
        log2Scales = [];
        // Node Variables is the reference (t = 0). Edge u→v with weight w means t_v ≤ t_u + w.
        int nodes = Variables + 1, reference = Variables;
        var from = new List<int>(); var to = new List<int>(); var weight = new List<double>();
        foreach (var term in _terms)
        {
            if (term.Y == 0)
            {
                if (Math.Abs(term.A) > h) return false;
                continue;
            }
            double x1 = (term.A - h) / term.Y, x2 = (term.A + h) / term.Y;
            double lo = Math.Min(x1, x2), hi = Math.Max(x1, x2);
            if (hi <= 0) return false; // only a ratio ≤ 0 would do; scales are positive
            int r = term.Row < 0 ? reference : term.Row, c = term.Col < 0 ? reference : term.Col;
            if (r == c)
            {
                if (lo > 1 || hi < 1) return false;
                continue;
            }
            if (double.IsFinite(hi)) { from.Add(c); to.Add(r); weight.Add(Math.Log2(hi)); }          // t_r − t_c ≤ log2 hi
            if (lo > 0) { from.Add(r); to.Add(c); weight.Add(-Math.Log2(lo)); }                      // t_c − t_r ≤ −log2 lo
        }
        var dist = new double[nodes];
        for (int pass = 0; pass < nodes; pass++)
        {
            bool changed = false;
            for (int e = 0; e < from.Count; e++)
            {
                double cand = dist[from[e]] + weight[e];
                if (cand < dist[to[e]]) { dist[to[e]] = cand; changed = true; }
            }
            if (!changed)
            {
                // Shift so that the reference sits at 0.
                double shift = dist[reference];
                log2Scales = new double[Variables];
                for (int v = 0; v < Variables; v++) log2Scales[v] = dist[v] - shift;
                return true;
            }
        }
        return false;
    }
}
