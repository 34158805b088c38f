namespace Verify.Symmetry;

/// <summary>Perfect matchings in a bipartite graph with n left and n right vertices.</summary>
public interface IBipartiteMatcher
{
    /// <summary>match[i] = right vertex of left vertex i, or null when no perfect matching exists.</summary>
    int[]? PerfectMatching(int n, IReadOnlyList<int>[] adjacency);
}
