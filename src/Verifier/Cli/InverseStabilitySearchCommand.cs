using System.CommandLine;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.InverseStability;
using Verify.Io;

namespace Verify.Cli;

/// <summary>`verify inverse-stability search`: pairs (Γ, Θ) with a large certified fiber distance / realization distance^α.</summary>
public static class InverseStabilitySearchCommand
{
    /// <summary>The restricted-space bound of the inverse-stability theorem (semi-norm, α = 1/2), as stated in our issue.</summary>
    public const double TheoremBound = 4;

    public static Command Build()
    {
        var arch = new Option<string>("--arch") { Description = "architecture d,m,D (inputs, hidden width, outputs)", Required = true };
        var space = new Option<string>("--space") { Description = "all | balanced | restricted (N*)", DefaultValueFactory = _ => "all" };
        var alpha = new Option<double>("--alpha") { Description = "exponent α of the realization distance", DefaultValueFactory = _ => 0.5 };
        var budget = new Option<double>("--budget") { Description = "search time in seconds", DefaultValueFactory = _ => 30 };
        var norm = new Option<string>("--norm") { Description = "realization norm: semi (W^{1,∞} semi-norm) | sup", DefaultValueFactory = _ => "semi" };
        var points = new Option<int>("--points") { Description = "sample points per fiber lower bound", DefaultValueFactory = _ => 10 };
        var timeout = new Option<double>("--timeout") { Description = "time limit per Z3 check in seconds", DefaultValueFactory = _ => 2 };
        var keep = new Option<int>("--keep") { Description = "number of best pairs to report and write", DefaultValueFactory = _ => 5 };
        var seed = CommonOptions.Seed();
        var outDir = new Option<string?>("--out-dir") { Description = "write each best pair as networks plus a certificate JSON" };
        var json = CommonOptions.Json();
        var cmd = new Command("search",
            "Search pairs (Γ, Θ) maximising certified fiber-distance lower bound / (realization distance upper bound)^α, seeded from " +
            "the degeneracy families and random restarts with local perturbation. Every reported ratio is a certified lower bound.")
        { arch, space, alpha, budget, norm, points, timeout, keep, seed, outDir, json };
        cmd.SetAction(p => VerbRunner.Run(() => Run(p.GetValue(arch)!, p.GetValue(space)!, p.GetValue(alpha), p.GetValue(budget), p.GetValue(norm)!,
            p.GetValue(points), p.GetValue(timeout), p.GetValue(keep), p.GetValue(seed), p.GetValue(outDir), p.GetValue(json))));
        return cmd;
    }

    private static int Run(string archText, string spaceText, double alpha, double budget, string normText, int points, double timeout,
                           int keep, int seed, string? outDir, string? jsonPath)
    {
        var a = archText.Split(',', StringSplitOptions.TrimEntries);
        if (a.Length != 3 || !a.All(s => int.TryParse(s, out var v) && v >= 1 && v <= 16))
            throw new UsageException("--arch needs d,m,D: three integers between 1 and 16");
        int d = int.Parse(a[0]), m = int.Parse(a[1]), outputs = int.Parse(a[2]);
        var space = spaceText switch
        {
            "all" => SearchSpace.All, "balanced" => SearchSpace.Balanced, "restricted" => SearchSpace.Restricted,
            _ => throw new UsageException("--space must be all, balanced or restricted"),
        };
        var norm = normText switch { "semi" => RealizationNorm.Semi, "sup" => RealizationNorm.Sup, _ => throw new UsageException("--norm must be semi or sup") };
        if (!(alpha > 0 && alpha <= 4)) throw new UsageException("--alpha must be in (0, 4]");
        if (!(budget > 0 && budget <= 86_400)) throw new UsageException("--budget must be a positive number of seconds");
        if (!(timeout > 0 && timeout <= 600)) throw new UsageException("--timeout must be a positive number of seconds");
        if (points < 1 || points > 200) throw new UsageException("--points must be between 1 and 200");
        if (keep < 1 || keep > 100) throw new UsageException("--keep must be between 1 and 100");
        if (space == SearchSpace.Restricted && d < 2) throw new UsageException("--space restricted (N*) needs d ≥ 2 (the last two input weights must be positive)");
        if (space != SearchSpace.All && d > 3) throw new UsageException("--space balanced/restricted generates networks for d ≤ 3");
        if (d > 1 && m > 4) throw new UsageException("for d ≥ 2 the semi-norm enumerates activation regions: keep m ≤ 4");
        var options = new SearchOptions(d, m, outputs, space)
        {
            Alpha = alpha, Budget = TimeSpan.FromSeconds(budget), Seed = seed, Norm = norm, Keep = keep,
            Fiber = new FiberOptions { Points = points, CheckTimeout = TimeSpan.FromSeconds(timeout), MaxChecks = 8, Seed = seed },
        };
        var result = InverseStabilitySearch.Run(options);
        Print(result, options);
        var files = outDir is null ? null : Write(result, outDir);
        JsonOutput.Write(jsonPath, Json(result, options, files));
        return 0;
    }

    private static bool TheoremApplies(SearchOptions o) => o.Space == SearchSpace.Restricted && o.Norm == RealizationNorm.Semi && o.Alpha == 0.5;

    private static void Print(SearchResult r, SearchOptions o)
    {
        Console.WriteLine($"search --arch {o.Inputs},{o.Width},{o.Outputs} --space {o.Space.ToString().ToLowerInvariant()} α = {o.Alpha}, norm {Norm(o.Norm)}: " +
                          $"{r.Evaluated.Count} pairs scored, {r.Rejected} outside the space or with equal realizations, {r.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine("ratio = certified fiber lower bound / (realization upper bound)^α, rounded down");
        Console.WriteLine($"{"origin",-28} {"fiber ≥",12} {"fiber ≤",12} {"realization ≤",14} {"ratio ≥",10}  lower bound from");
        var families = r.Evaluated.Where(p => p.Origin.StartsWith("family", StringComparison.Ordinal)).ToList();
        foreach (var p in families.Concat(r.Best.Except(families)))
            Console.WriteLine($"{p.Origin,-28} {p.FiberLower.ToDouble(),12:G6} {(p.Fiber.Upper is null ? "-" : p.Fiber.Upper.Distance.ToDouble().ToString("G6")),12} " +
                              $"{p.Realization.Value.ToDouble(),14:G6} {p.Ratio,10:G6}  {p.LowerArgument}");
        var max = r.Evaluated.Count == 0 ? 0 : r.Evaluated.Max(p => p.Ratio);
        Console.WriteLine($"largest certified ratio: {max:G6}");
        if (TheoremApplies(o))
        {
            if (max > TheoremBound)
                Console.WriteLine($"WARNING: certified ratio {max:G6} > {TheoremBound} on N* (semi-norm, α = 1/2) contradicts the theorem's bound: " +
                                  "a bug in this tool or in the statement we were given. Inspect the certificate.");
            else Console.WriteLine($"restricted space N*: every certified ratio ≤ {TheoremBound}, consistent with the theorem (semi-norm, α = 1/2).");
        }
        else if (o.Space == SearchSpace.Restricted)
            Console.WriteLine($"restricted space: the theorem's bound {TheoremBound} is stated for the semi-norm with α = 1/2; not compared here.");
    }

    private static string Norm(RealizationNorm n) => n == RealizationNorm.Semi ? "W^{1,∞} semi-norm" : "sup";

    private static IReadOnlyList<JsonObject> Write(SearchResult r, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<JsonObject>();
        for (int i = 0; i < r.Best.Count; i++)
        {
            var p = r.Best[i];
            var g = Path.Combine(dir, $"pair{i + 1}-gamma.json");
            var t = Path.Combine(dir, $"pair{i + 1}-theta.json");
            NetworkFiles.Write(p.Gamma.ToNetwork($"search pair {i + 1} Gamma"), g);
            NetworkFiles.Write(p.Theta.ToNetwork($"search pair {i + 1} Theta"), t);
            var cert = Certificate(p, g, t);
            var c = Path.Combine(dir, $"pair{i + 1}-certificate.json");
            JsonOutput.Write(c, cert);
            written.Add(new JsonObject { ["gamma"] = g, ["theta"] = t, ["certificate"] = c });
        }
        return written;
    }

    private static JsonObject Certificate(SearchPair p, string gammaPath, string thetaPath) => new()
    {
        ["origin"] = p.Origin,
        ["gamma"] = new JsonObject { ["path"] = gammaPath, ["exactParameters"] = FiberJson.Parameters(p.Gamma), ["fileIsExact"] = p.Gamma.IsDyadicExact },
        ["theta"] = new JsonObject { ["path"] = thetaPath, ["exactParameters"] = FiberJson.Parameters(p.Theta), ["fileIsExact"] = p.Theta.IsDyadicExact },
        ["realization"] = new JsonObject { ["upper"] = p.Realization.Value.ToString(), ["approx"] = p.Realization.Value.ToDouble(),
                                           ["exact"] = p.Realization.Exact, ["method"] = p.Realization.Method },
        ["fiberLower"] = new JsonObject { ["value"] = p.FiberLower.ToString(), ["approx"] = p.FiberLower.ToDouble(), ["argument"] = p.LowerArgument },
        ["fiber"] = FiberJson.Report(p.Fiber, p.Domain, p.BiasFree),
        ["ratio"] = p.Ratio,
    };

    private static JsonObject Json(SearchResult r, SearchOptions o, IReadOnlyList<JsonObject>? files) => new()
    {
        ["arch"] = new JsonArray(o.Inputs, o.Width, o.Outputs),
        ["space"] = o.Space.ToString().ToLowerInvariant(),
        ["alpha"] = o.Alpha,
        ["norm"] = o.Norm == RealizationNorm.Semi ? "semi" : "sup",
        ["evaluated"] = r.Evaluated.Count,
        ["rejected"] = r.Rejected,
        ["seconds"] = r.Elapsed.TotalSeconds,
        ["maxRatio"] = r.Evaluated.Count == 0 ? 0 : r.Evaluated.Max(p => p.Ratio),
        ["theoremBound"] = TheoremApplies(o) ? TheoremBound : null,
        ["violation"] = TheoremApplies(o) ? r.Evaluated.Any(p => p.Ratio > TheoremBound) : null,
        ["pairs"] = new JsonArray(r.Evaluated.Select(p => (JsonNode)new JsonObject
        {
            ["origin"] = p.Origin, ["fiberLower"] = p.FiberLower.ToString(), ["fiberUpper"] = p.Fiber.Upper?.Distance.ToString(),
            ["realizationUpper"] = p.Realization.Value.ToString(), ["ratio"] = p.Ratio, ["lowerArgument"] = p.LowerArgument,
        }).ToArray()),
        ["files"] = files is null ? null : new JsonArray(files.Select(f => (JsonNode)f).ToArray()),
    };
}
