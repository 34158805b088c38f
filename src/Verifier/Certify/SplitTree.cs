using Verify.Intervals;

namespace Verify.Certify;

/// <summary>
/// The bisection tree behind input splitting's leaves, rebuilt from the leaf boxes alone: a box with more than one
/// leaf inside is the parent of the two halves of <see cref="Box.Bisect"/> along the one dimension that separates its
/// leaves. Nodes come parents first. A box no bisection explains is kept as a leaf (sound: its own pass bounds it).
/// </summary>
public static class SplitTree
{
    /// <param name="dimensionOf">the dimension the search bisected a box along, where known: tried first, so that the
    /// tree is the search's own (a box split along d, whose halves were both split along d', is also explained by
    /// d' first, with other intermediate boxes).</param>
    public static IReadOnlyList<(Box Box, int Parent)> Rebuild(Box root, IReadOnlyList<Box> leaves, Func<Box, int?>? dimensionOf = null)
    {
        var nodes = new List<(Box, int)>();
        Add(root, -1, leaves, nodes, dimensionOf);
        return nodes;
    }

    private static void Add(Box box, int parent, IReadOnlyList<Box> inside, List<(Box, int)> nodes, Func<Box, int?>? dimensionOf)
    {
        int me = nodes.Count;
        nodes.Add((box, parent));
        if (inside.Count <= 1) return;
        var known = dimensionOf?.Invoke(box);
        var order = known is { } k && k >= 0 && k < box.Dimension
            ? Enumerable.Range(0, box.Dimension).Where(d => d != k).Prepend(k)
            : Enumerable.Range(0, box.Dimension);
        foreach (int d in order)
        {
            double m = box[d].Midpoint;
            if (!(m > box[d].Lo && m < box[d].Hi)) continue;
            var (a, b) = box.Bisect(d);
            var left = inside.Where(l => Within(l, a)).ToList();
            var right = inside.Where(l => Within(l, b)).ToList();
            if (left.Count == 0 || right.Count == 0 || left.Count + right.Count != inside.Count) continue;
            Add(a, me, left, nodes, dimensionOf);
            Add(b, me, right, nodes, dimensionOf);
            return;
        }
    }

    private static bool Within(Box inner, Box outer)
    {
        for (int d = 0; d < inner.Dimension; d++)
            if (inner[d].Lo < outer[d].Lo || inner[d].Hi > outer[d].Hi) return false;
        return true;
    }
}
