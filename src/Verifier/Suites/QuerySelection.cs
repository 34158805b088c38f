using System.Text.RegularExpressions;
using Verify.Errors;

namespace Verify.Suites;

/// <summary>Picks the queries one run executes: shard (by index in the full expanded list), name glob, and resume.</summary>
public static class QuerySelection
{
    /// <summary>Parses "i/n" with 1 ≤ i ≤ n.</summary>
    public static (int Index, int Count) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n)
            return (i, n);
        throw new UsageException($"--shard: '{text}' is not i/n with 1 ≤ i ≤ n");
    }

    /// <summary>Shard i of n holds the queries whose index mod n is i − 1: every query in exactly one shard.</summary>
    public static IEnumerable<SuiteQuery> Shard(IEnumerable<SuiteQuery> queries, int index, int count) =>
        queries.Where(q => q.Index % count == index - 1);

    /// <summary>Shell-style glob over query names: * any run of characters, ? one character.</summary>
    public static IEnumerable<SuiteQuery> Filter(IEnumerable<SuiteQuery> queries, string glob)
    {
        var regex = new Regex("^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
        return queries.Where(q => regex.IsMatch(q.Name));
    }
}
