namespace Verify.Symmetry;

/// <summary>
/// Linear bottleneck assignment: a permutation π minimising max_i cost[i, π(i)]. The optimum is one of the matrix
/// entries, so it binary-searches the sorted distinct finite costs for the smallest threshold whose graph
/// {(i, j) : cost ≤ threshold} has a perfect matching. Entries set to +∞ are treated as forbidden.
/// </summary>
public static class BottleneckAssignment
{
    public sealed record Result(double Value, int[] Assignment);

    public static Result? Solve(double[,] cost, IBipartiteMatcher? matcher = null)
    {
        matcher ??= new HopcroftKarpMatcher();
        int n = cost.GetLength(0);
        if (n != cost.GetLength(1)) throw new ArgumentException("cost matrix must be square");
        if (n == 0) return new Result(0, []);
        var values = new List<double>(n * n);
        foreach (var c in cost) if (double.IsFinite(c)) values.Add(c);
        if (values.Count == 0) return null;
        values.Sort();
        var distinct = new List<double>(values.Count) { values[0] };
        foreach (var v in values) if (v != distinct[^1]) distinct.Add(v);

        int[]? Try(double threshold)
        {
            var adj = new IReadOnlyList<int>[n];
            for (int i = 0; i < n; i++)
            {
                var row = new List<int>();
                for (int j = 0; j < n; j++) if (cost[i, j] <= threshold) row.Add(j);
                adj[i] = row;
            }
            return matcher.PerfectMatching(n, adj);
        }

        var best = Try(distinct[^1]);
        if (best is null) return null;
        int lo = -1, hi = distinct.Count - 1; // Try(distinct[lo]) fails (or lo = -1), Try(distinct[hi]) succeeds
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            var m = Try(distinct[mid]);
            if (m is not null) { hi = mid; best = m; } else lo = mid;
        }
        return new Result(distinct[hi], best);
    }
}
