using System.Globalization;
using System.Text.Json.Nodes;

namespace Verify.Suites.Kinds;

/// <summary>The query kinds a suite may use, by name, and the small pieces their command lines share.</summary>
public static class QueryKinds
{
    public static readonly IReadOnlyList<IQueryKind> All =
    [
        new CertifyKind(), new CertifyTopOneKind(), new EquivKind(), new EquivTopOneKind(), new SensitivityKind(), new DistanceKind(),
        new InverseStabilityExamplesKind(), new InverseStabilityConditionsKind(),
    ];

    /// <summary>Keys every kind accepts.</summary>
    public static readonly IReadOnlyList<string> CommonKeys = ["name", "kind", "timeout", "args"];

    public static IQueryKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>Share of the query's wall-clock limit given to the verb's own --timeout (see <see cref="AddTimeout"/>).</summary>
    public const double VerbShareOfTimeout = 0.5;

    internal static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    internal static string Join(double[] xs) => string.Join(",", xs.Select(Fmt));

    /// <summary>The verb gets a share of the wall-clock budget (half by default) so it can stop by itself and report
    /// honest bounds (phases can overrun their limit a little, and process start-up is not free); the suite kills it at the
    /// full timeout only when it overruns that. An explicit option in args wins.</summary>
    internal static void AddTimeout(List<string> args, SuiteQuery q, string option = "--timeout", double share = VerbShareOfTimeout)
    {
        if (!q.Args.Contains(option)) args.AddRange([option, Fmt(q.Timeout * share)]);
    }

    internal static void AddBox(List<string> args, SuiteBox b)
    {
        if (b.Lo is not null) args.AddRange(["--lo", Join(b.Lo), "--hi", Join(b.Hi!)]);
        else if (b.File is not null) args.AddRange(["--box-file", b.File]);
        else args.AddRange(["--vnnlib", b.VnnLib!]);
    }

    internal static double? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    /// <summary>"what v outside [lo, hi]" when v is known and outside the range; null otherwise.</summary>
    internal static string? OutsideRange(string what, double? value, double[]? range) =>
        range is null || value is not { } v || (v >= range[0] && v <= range[1]) ? null
            : string.Create(CultureInfo.InvariantCulture, $"{what} {v:G6} outside [{range[0]:G6}, {range[1]:G6}]");
}
