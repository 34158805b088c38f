namespace Verify.Symmetry;

/// <summary>
/// Minimum-sum linear assignment (Hungarian method with potentials, shortest augmenting paths), O(n³).
/// Used by the deep alignment heuristic and as the baseline the bottleneck assignment is benchmarked against.
/// </summary>
public static class HungarianAssignment
{
    /// <summary>assignment[i] = column of row i minimising Σ cost[i, assignment[i]].</summary>
    public static int[] Solve(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (n != cost.GetLength(1)) throw new ArgumentException("cost matrix must be square");
        var u = new double[n + 1]; var v = new double[n + 1];
        var p = new int[n + 1]; var way = new int[n + 1];
        var minv = new double[n + 1]; var used = new bool[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double cur = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var assignment = new int[n];
        for (int j = 1; j <= n; j++) assignment[p[j] - 1] = j - 1;
        return assignment;
    }
}
