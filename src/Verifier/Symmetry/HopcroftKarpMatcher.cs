namespace Verify.Symmetry;

/// <summary>
/// Hopcroft–Karp, O(E·√V). The default matcher: the bottleneck search calls it about log2(n²) times on graphs with up
/// to n² edges, where a general max-flow on object graphs (see <see cref="QuikGraphMatcher"/>) is much slower.
/// </summary>
public sealed class HopcroftKarpMatcher : IBipartiteMatcher
{
    public int[]? PerfectMatching(int n, IReadOnlyList<int>[] adj)
    {
        var matchL = new int[n]; var matchR = new int[n]; var dist = new int[n];
        Array.Fill(matchL, -1); Array.Fill(matchR, -1);
        var queue = new int[n];
        int matched = 0;
        while (Bfs())
            for (int u = 0; u < n; u++)
                if (matchL[u] < 0 && Dfs(u)) matched++;
        return matched == n ? matchL : null;

        bool Bfs()
        {
            int head = 0, tail = 0; bool found = false;
            for (int u = 0; u < n; u++)
            {
                if (matchL[u] < 0) { dist[u] = 0; queue[tail++] = u; }
                else dist[u] = -1;
            }
            while (head < tail)
            {
                int u = queue[head++];
                foreach (int v in adj[u])
                {
                    int w = matchR[v];
                    if (w < 0) found = true;
                    else if (dist[w] < 0) { dist[w] = dist[u] + 1; queue[tail++] = w; }
                }
            }
            return found;
        }

        // Iterative would avoid deep recursion, but layered paths are at most O(√n) long in practice here.
        bool Dfs(int u)
        {
            foreach (int v in adj[u])
            {
                int w = matchR[v];
                if (w < 0 || (dist[w] == dist[u] + 1 && Dfs(w)))
                {
                    matchL[u] = v; matchR[v] = u;
                    return true;
                }
            }
            dist[u] = -1;
            return false;
        }
    }
}
