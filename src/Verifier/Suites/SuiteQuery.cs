namespace Verify.Suites;

/// <summary>Where a query's input box comes from: explicit bounds, a JSON box file or a VNNLIB file (absolute paths).</summary>
public sealed record SuiteBox(string Name, double[]? Lo = null, double[]? Hi = null, string? File = null, string? VnnLib = null);

/// <summary>
/// One expanded query of a suite: a single verb invocation with its expectation. <see cref="Index"/> is its position in
/// the full expanded list (sharding uses it, so a shard's membership does not depend on --filter). Which fields are set
/// depends on the kind: <see cref="Eps"/> is the value of the kind's sweep key (ε, or a sensitivity noise ratio), and
/// <see cref="Spec"/> holds what only that kind reads.
/// </summary>
public sealed record SuiteQuery(
    int Index,
    string Name,
    string Kind,
    string? Network,
    string? Network2,
    SuiteBox? Box,
    double? Eps,
    string? Expect,
    double[]? ExpectUpper,
    double Timeout,
    string Method,
    int Seed,
    IReadOnlyList<string> Args)
{
    public object? Spec { get; init; }

    public T SpecAs<T>() where T : class =>
        Spec as T ?? throw new InvalidOperationException($"query '{Name}' ({Kind}) has no {typeof(T).Name}");
}

/// <summary>A parsed suite: its file and the expanded query list in declaration order.</summary>
public sealed record Suite(string Path, IReadOnlyList<SuiteQuery> Queries);
