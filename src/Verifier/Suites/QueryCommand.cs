using Verify.Suites.Kinds;

namespace Verify.Suites;

/// <summary>The `verify` command line that runs one suite query, writing its result to <c>jsonPath</c>.</summary>
public static class QueryCommand
{
    /// <summary>The kind's own command line, then the query's extra args as they are.</summary>
    public static List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var args = KindOf(q).Arguments(q, jsonPath);
        args.AddRange(q.Args);
        return args;
    }

    public static IQueryKind KindOf(SuiteQuery q) =>
        QueryKinds.Find(q.Kind) ?? throw new InvalidOperationException($"query '{q.Name}' has unknown kind '{q.Kind}'");
}
