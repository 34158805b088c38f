using System.Collections.Concurrent;
using System.Globalization;
using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// What a certificate needs from an input-splitting run, collected from worker threads: the leaf boxes, and the
/// dimension each box that was split was bisected along, so that the split tree can be rebuilt as the search built it
/// (the same intermediate boxes, hence the same enclosures handed down to the leaves), not just some tree with those leaves.
/// </summary>
public sealed class SplitRecord
{
    private readonly ConcurrentBag<Box> _leaves = [];
    private readonly ConcurrentDictionary<string, int> _dimensions = new();

    public void Leaf(Box box) => _leaves.Add(box);

    /// <summary>A split that a cancelled round undoes is harmless: its box stays a leaf, and a leaf is not looked up.</summary>
    public void Split(Box box, int dimension) => _dimensions[Key(box)] = dimension;

    public IReadOnlyList<Box> Leaves => _leaves.ToArray();

    public int? DimensionOf(Box box) => _dimensions.TryGetValue(Key(box), out var d) ? d : null;

    private static string Key(Box box) => string.Join(",", box.Lower.Concat(box.Upper).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
