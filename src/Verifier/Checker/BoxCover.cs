namespace Verify.Checker;

/// <summary>
/// Whether closed boxes (the leaves) cover a closed box, decided exactly on the doubles: a cell is covered if a leaf
/// contains it, or — split at a leaf face strictly inside it, preferring a face no leaf straddles (the bisections that
/// made the leaves) — if both halves are. Each split removes a face from the inside of the cells, so this ends; a cell
/// with no face inside that no leaf contains is not covered.
/// </summary>
public static class BoxCover
{
    /// <summary>Null when covered, else a description of an uncovered cell.</summary>
    public static string? Uncovered(double[] lo, double[] hi, IReadOnlyList<(double[] Lo, double[] Hi)> leaves) =>
        Uncovered(lo, hi, Enumerable.Range(0, leaves.Count).ToList(), leaves);

    private static string? Uncovered(double[] lo, double[] hi, List<int> candidates, IReadOnlyList<(double[] Lo, double[] Hi)> leaves)
    {
        var meeting = candidates.Where(i => Meets(leaves[i], lo, hi)).ToList();
        if (meeting.Any(i => Contains(leaves[i], lo, hi))) return null;
        (int Dim, double At)? fallback = null, cut = null;
        foreach (int i in meeting.TakeWhile(_ => cut is null))
            for (int d = 0; d < lo.Length && cut is null; d++)
                foreach (var c in new[] { leaves[i].Lo[d], leaves[i].Hi[d] })
                {
                    if (!(lo[d] < c && c < hi[d])) continue;
                    fallback ??= (d, c);
                    if (!meeting.Any(q => leaves[q].Lo[d] < c && c < leaves[q].Hi[d])) { cut = (d, c); break; }
                }
        cut ??= fallback;
        if (cut is null) return "the cell [" + string.Join(", ", lo.Zip(hi, (a, b) => $"{a:R}..{b:R}")) + "] is covered by no leaf";
        var (dim, at) = cut.Value;
        var loHi = (double[])hi.Clone(); loHi[dim] = at;
        var hiLo = (double[])lo.Clone(); hiLo[dim] = at;
        return Uncovered(lo, loHi, meeting, leaves) ?? Uncovered(hiLo, hi, meeting, leaves);
    }

    private static bool Meets((double[] Lo, double[] Hi) leaf, double[] lo, double[] hi)
    {
        for (int d = 0; d < lo.Length; d++)
            if (leaf.Lo[d] > hi[d] || leaf.Hi[d] < lo[d]) return false;
        return true;
    }

    private static bool Contains((double[] Lo, double[] Hi) leaf, double[] lo, double[] hi)
    {
        for (int d = 0; d < lo.Length; d++)
            if (leaf.Lo[d] > lo[d] || leaf.Hi[d] < hi[d]) return false;
        return true;
    }
}
