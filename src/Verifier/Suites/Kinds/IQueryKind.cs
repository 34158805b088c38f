using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Verify.Suites.Kinds;

/// <summary>Whether a kind takes a second network.</summary>
public enum SecondNetwork { None, Optional, Required }

/// <summary>
/// One kind of suite query (certify, equiv, sensitivity, …): which keys it accepts, how its own keys parse, which
/// `verify` command line runs it and how that command's --json answer is read and checked. The parser handles the keys
/// every kind shares (name, kind, timeout, args, network(s), network2, box, the sweep key, expect, expectUpper, method,
/// seed) as far as <see cref="Keys"/> lists them.
/// </summary>
public interface IQueryKind
{
    string Name { get; }

    /// <summary>Every key a query of this kind accepts, the common ones included (the published schema lists the same).</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>The values `expect` may take; empty when the kind has no verdict to expect.</summary>
    IReadOnlyList<string> Verdicts { get; }

    /// <summary>Keys whose list value expands into one query per element (at most one may be given); empty for none.</summary>
    IReadOnlyList<string> SweepKeys { get; }

    /// <summary>Whether the (first) sweep key must be given; kinds with alternatives check that in ParseSpec.</summary>
    bool NeedsSweep { get; }

    SecondNetwork Network2 { get; }

    /// <summary>Whether `box` is required (when <see cref="Keys"/> has it).</summary>
    bool NeedsBox { get; }

    /// <summary>Reads the kind's own keys into its spec, after the common ones; throws positioned errors.</summary>
    object? ParseSpec(SuiteYaml yaml, YamlMappingNode query, ParsedCommon common);

    /// <summary>The `verify` arguments that run <paramref name="q"/> and write its JSON answer to <paramref name="jsonPath"/>.</summary>
    List<string> Arguments(SuiteQuery q, string jsonPath);

    /// <summary>The verdict, bounds and failed expectations read from the verb's JSON answer and exit code.</summary>
    QueryReading Read(SuiteQuery q, JsonNode answer, int exitCode);
}

/// <summary>What the parser has read of the common keys, for a kind's cross-checks.</summary>
public sealed record ParsedCommon(string? Expect, SuiteBox? Box, string? SweepKey);

/// <summary>
/// A verb's answer as the suite judges it. <see cref="Failures"/> are contradicted expectations (a mismatch);
/// <see cref="Unsettled"/> says an expectation could be neither confirmed nor refuted (an unknown).
/// </summary>
public sealed record QueryReading(string Verdict, double? Upper, double? Lower, IReadOnlyList<string> Failures, bool Unsettled = false, string? Note = null)
{
    public static QueryReading Of(string verdict, double? upper, double? lower) => new(verdict, upper, lower, []);
}
