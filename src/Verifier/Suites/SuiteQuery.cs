namespace Verify.Suites;

/// <summary>Where a query's input box comes from: explicit bounds, a JSON box file or a VNNLIB file (absolute paths).</summary>
public sealed record SuiteBox(string Name, double[]? Lo = null, double[]? Hi = null, string? File = null, string? VnnLib = null);

/// <summary>
/// One expanded query of a suite: a single verb invocation with its expectation. <see cref="Index"/> is its position in
/// the full expanded list (sharding uses it, so a shard's membership does not depend on --filter).
/// </summary>
public sealed record SuiteQuery(
    int Index,
    string Name,
    string Kind,
    string Network,
    string? Network2,
    SuiteBox Box,
    double Eps,
    double? Threshold,
    string? Expect,
    double[]? ExpectUpper,
    double Timeout,
    string Method,
    int Seed,
    IReadOnlyList<string> Args);

/// <summary>A parsed suite: its file and the expanded query list in declaration order.</summary>
public sealed record Suite(string Path, IReadOnlyList<SuiteQuery> Queries);
