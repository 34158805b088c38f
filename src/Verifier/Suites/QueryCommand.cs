using System.Globalization;

namespace Verify.Suites;

/// <summary>The `verify` command line that runs one suite query, writing its result to <c>jsonPath</c>.</summary>
public static class QueryCommand
{
    public const double VerbShareOfTimeout = 0.5;

    public static List<string> Arguments(SuiteQuery q, string jsonPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { q.Kind, "--net", q.Network };
        if (q.Kind == "equiv") args.AddRange(["--net2", q.Network2!, "--quiet"]);
        else
        {
            args.AddRange(["--method", q.Method]);
            if (q.Threshold is { } t) args.AddRange(["--threshold", t.ToString("R", inv)]);
        }
        args.AddRange(["--eps", q.Eps.ToString("R", inv), "--seed", q.Seed.ToString(inv), "--json", jsonPath]);
        // The verb gets half the wall-clock budget so it can stop by itself and report its bounds (certify's phases can
        // overrun their limit a little, and process start-up is not free); the suite kills it at the full timeout only
        // when it overruns that. An explicit --timeout in args wins.
        if (!q.Args.Contains("--timeout")) args.AddRange(["--timeout", (q.Timeout * VerbShareOfTimeout).ToString("R", inv)]);
        var b = q.Box;
        if (b.Lo is not null) args.AddRange(["--lo", Join(b.Lo), "--hi", Join(b.Hi!)]);
        else if (b.File is not null) args.AddRange(["--box-file", b.File]);
        else args.AddRange(["--vnnlib", b.VnnLib!]);
        args.AddRange(q.Args);
        return args;
    }

    private static string Join(double[] xs) => string.Join(",", xs.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
}
