using QuikGraph;
using QuikGraph.Algorithms.MaximumFlow;

namespace Verify.Symmetry;

/// <summary>
/// The same perfect-matching test as a unit-capacity max flow solved by QuikGraph's EdmondsKarpMaximumFlowAlgorithm
/// (source → left vertices → right vertices → sink). QuikGraph's own MaximumBipartiteMatchingAlgorithm returned
/// non-maximum matchings on small random cases in our tests, so the flow network is built explicitly.
/// Kept as an independent implementation to cross-check Hopcroft–Karp and selectable with
/// `verify distance --matcher quikgraph`; it allocates an object graph per call and is much slower at width 1000.
/// </summary>
public sealed class QuikGraphMatcher : IBipartiteMatcher
{
    public int[]? PerfectMatching(int n, IReadOnlyList<int>[] adj)
    {
        int source = 2 * n, sink = 2 * n + 1;
        var graph = new AdjacencyGraph<int, TaggedEdge<int, double>>();
        for (int v = 0; v < 2 * n + 2; v++) graph.AddVertex(v);
        for (int u = 0; u < n; u++)
        {
            graph.AddEdge(new TaggedEdge<int, double>(source, u, 1));
            foreach (int v in adj[u]) graph.AddEdge(new TaggedEdge<int, double>(u, n + v, 1));
        }
        for (int v = 0; v < n; v++) graph.AddEdge(new TaggedEdge<int, double>(n + v, sink, 1));
        EdgeFactory<int, TaggedEdge<int, double>> factory = (s, t) => new TaggedEdge<int, double>(s, t, 0);
        var augmentor = new ReversedEdgeAugmentorAlgorithm<int, TaggedEdge<int, double>>(graph, factory);
        augmentor.AddReversedEdges();
        var flow = new EdmondsKarpMaximumFlowAlgorithm<int, TaggedEdge<int, double>>(graph, e => e.Tag, factory, augmentor);
        flow.Compute(source, sink);
        augmentor.RemoveReversedEdges();
        if (Math.Round(flow.MaxFlow) != n) return null;
        var match = new int[n];
        Array.Fill(match, -1);
        foreach (var e in graph.Edges)
            if (e.Source < n && e.Target >= n && e.Target < 2 * n && e.Tag == 1 && flow.ResidualCapacities[e] < 0.5)
            {
                if (match[e.Source] >= 0) return null;
                match[e.Source] = e.Target - n;
            }
        return match.Contains(-1) ? null : match;
    }
}
