using System.Diagnostics.CodeAnalysis;

namespace Verify.Bab;

/// <summary>
/// The open nodes of a branch and bound, best first: the node with the smallest priority under the comparer comes off
/// first, so a search that wants the largest bound first files a node under −bound (or passes a reversed comparer).
/// This is the one priority queue of the project's searches; ties come off in the queue's own order, which depends
/// only on the sequence of additions and removals, so the same inputs give the same run.
/// </summary>
public sealed class Frontier<TNode, TPriority>(IComparer<TPriority>? comparer = null)
{
    private readonly PriorityQueue<TNode, TPriority> _queue = new(comparer);

    public int Count => _queue.Count;

    public void Add(TNode node, TPriority priority) => _queue.Enqueue(node, priority);

    public bool TryTake([MaybeNullWhen(false)] out TNode node, [MaybeNullWhen(false)] out TPriority priority) =>
        _queue.TryDequeue(out node, out priority);

    public bool TryPeek([MaybeNullWhen(false)] out TNode node, [MaybeNullWhen(false)] out TPriority priority) =>
        _queue.TryPeek(out node, out priority);

    /// <summary>Every open node, in no particular order.</summary>
    public IEnumerable<TNode> Nodes
    {
        get
        {
            foreach (var (node, _) in _queue.UnorderedItems) yield return node;
        }
    }

    /// <summary>
    /// Keeps the <paramref name="keep"/> best nodes and hands every other one, best first, to
    /// <paramref name="dropped"/> (a memory cap: the caller keeps what it must of them). Returns how many were dropped.
    /// </summary>
    public int KeepBest(int keep, Action<TNode> dropped)
    {
        var all = new List<(TNode Node, TPriority Priority)>(_queue.Count);
        while (_queue.TryDequeue(out var n, out var p)) all.Add((n, p));
        int count = 0;
        for (int i = 0; i < all.Count; i++)
        {
            if (i < keep) { _queue.Enqueue(all[i].Node, all[i].Priority); continue; }
            dropped(all[i].Node);
            count++;
        }
        return count;
    }
}
