using QuikGraph;
using QuikGraph.Algorithms;

namespace Verify.Symmetry;

/// <summary>
/// The same perfect-matching test through QuikGraph's MaximumBipartiteMatchingAlgorithm (Edmonds–Karp max flow on
/// an augmented graph). Kept as an independent implementation to cross-check Hopcroft–Karp and selectable with
/// `verify distance --matcher quikgraph`; it allocates an object graph per call and is slower at width 1000.
/// </summary>
public sealed class QuikGraphMatcher : IBipartiteMatcher
{
    public int[]? PerfectMatching(int n, IReadOnlyList<int>[] adj)
    {
        var graph = new AdjacencyGraph<int, Edge<int>>();
        for (int v = 0; v < 2 * n; v++) graph.AddVertex(v);
        for (int u = 0; u < n; u++)
            foreach (int v in adj[u]) graph.AddEdge(new Edge<int>(u, n + v));
        int next = 2 * n;
        var algo = new MaximumBipartiteMatchingAlgorithm<int, Edge<int>>(
            graph, Enumerable.Range(0, n), Enumerable.Range(n, n), () => next++, (s, t) => new Edge<int>(s, t));
        algo.Compute();
        if (algo.MatchedEdges.Count() != n) return null;
        var match = new int[n];
        Array.Fill(match, -1);
        foreach (var e in algo.MatchedEdges)
        {
            if (e.Source >= n || e.Target < n || e.Target >= 2 * n || match[e.Source] >= 0) return null;
            match[e.Source] = e.Target - n;
        }
        return match;
    }
}
