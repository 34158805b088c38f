using System.CommandLine;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;
using Verify.Results;

namespace Verify.Cli;

/// <summary>`verify inverse-stability search`: pairs (Γ, Θ) with a large certified fiber distance / realization distance^α.</summary>
public static class InverseStabilitySearchCommand
{
    public static Command Build()
    {
        var arch = new Option<string>("--arch") { Description = "architecture d,m,1 (inputs, hidden width, one output) of the paper's N_(d,m,1)", Required = true };
        var space = new Option<string>("--space") { Description = "all (N_N) | balanced (N′ of (36)) | restricted (N* of (37))", DefaultValueFactory = _ => "all" };
        var alpha = new Option<double>("--alpha") { Description = "exponent α of the realization distance", DefaultValueFactory = _ => 0.5 };
        var budget = new Option<double>("--budget") { Description = "search time in seconds (honoured to within 10 %)", DefaultValueFactory = _ => 30 };
        var norm = new Option<string>("--norm") { Description = "realization norm: semi (W^{1,∞} semi-norm (21)) | sup (on [−1,1]^d)", DefaultValueFactory = _ => "semi" };
        var timeout = new Option<double>("--timeout") { Description = "time limit per Z3 check in seconds (d ≥ 3 only)", DefaultValueFactory = _ => 2 };
        var keep = new Option<int>("--keep") { Description = "number of best pairs to report and write", DefaultValueFactory = _ => 5 };
        var seed = new Option<int?>("--seed") { Description = "random seed (default: none, a fresh seed that is reported)" };
        var families = new Option<bool>("--seed-families") { Description = "also start from the paper's examples of the same architecture" };
        var outDir = new Option<string?>("--out-dir") { Description = "write each best pair as networks plus a certificate JSON" };
        var json = CommonOptions.Json();
        var cmd = new Command("search",
            "Search pairs (Γ, Θ) maximising certified fiber-distance lower bound / (realization distance)^α from random starts, by local " +
            "moves that bring R(Θ) toward R(Γ) while keeping the kink lines. Every reported ratio is a certified lower bound; each pair " +
            "names the pathologies of Section 2 it exhibits and its verdict against Theorems 3.1 and 3.3.")
        { arch, space, alpha, budget, norm, timeout, keep, seed, families, outDir, json };
        cmd.SetAction(p => VerbRunner.Run(() => Run(p.GetValue(arch)!, p.GetValue(space)!, p.GetValue(alpha), p.GetValue(budget), p.GetValue(norm)!,
            p.GetValue(timeout), p.GetValue(keep), p.GetValue(seed), p.GetValue(families), p.GetValue(outDir), p.GetValue(json))));
        return cmd;
    }

    private static int Run(string archText, string spaceText, double alpha, double budget, string normText, double timeout,
                           int keep, int? seed, bool families, string? outDir, string? jsonPath)
    {
        var a = archText.Split(',', StringSplitOptions.TrimEntries);
        if (a.Length != 3 || !a.All(s => int.TryParse(s, out var v) && v >= 1 && v <= 16))
            throw new UsageException("--arch needs d,m,1: three integers between 1 and 16");
        int d = int.Parse(a[0]), m = int.Parse(a[1]);
        if (int.Parse(a[2]) != 1) throw new UsageException("--arch: the paper's lemmas and theorems are for one output (d,m,1)");
        var space = spaceText switch
        {
            "all" => SearchSpace.All, "balanced" => SearchSpace.Balanced, "restricted" => SearchSpace.Restricted,
            _ => throw new UsageException("--space must be all, balanced or restricted"),
        };
        var norm = normText switch { "semi" => RealizationNorm.Semi, "sup" => RealizationNorm.Sup, _ => throw new UsageException("--norm must be semi or sup") };
        if (!(alpha > 0 && alpha <= 4)) throw new UsageException("--alpha must be in (0, 4]");
        if (!(budget > 0 && budget <= 86_400)) throw new UsageException("--budget must be a positive number of seconds");
        if (!(timeout > 0 && timeout <= 600)) throw new UsageException("--timeout must be a positive number of seconds");
        if (keep < 1 || keep > 100) throw new UsageException("--keep must be between 1 and 100");
        if (space == SearchSpace.Restricted && d < 2) throw new UsageException("--space restricted (N*) needs d ≥ 2 (the last two input weights must be positive)");
        if (d > 2 && m > 4) throw new UsageException("for d ≥ 3 the semi-norm enumerates activation regions with Z3: keep m ≤ 4");
        if (m > 8) throw new UsageException("--arch: m ≤ 8 (the upper bound enumerates neuron permutations)");
        var options = new SearchOptions(d, m, space)
        {
            Alpha = alpha, Budget = TimeSpan.FromSeconds(budget), Seed = seed, SeedFamilies = families, Norm = norm, Keep = keep,
            CheckTimeout = TimeSpan.FromSeconds(Math.Min(timeout, budget)),
        };
        var result = InverseStabilitySearch.Report(options);
        Print(result, options);
        var files = outDir is null ? null : Write(result, outDir);
        JsonOutput.Write(jsonPath, result.ToJson(files));
        return result.Violation ? (int)ExitCode.Falsified : 0;
    }

    private static string Space(SearchSpace s) => s switch { SearchSpace.All => "N_N", SearchSpace.Balanced => "N′", _ => "N*" };

    private static void Print(StabilitySearchResult r, SearchOptions o)
    {
        Console.WriteLine($"search N_({o.Inputs},{o.Width},1), space {Space(o.Space)}, α = {o.Alpha}, norm {(o.Norm == RealizationNorm.Semi ? "W^{1,∞} semi-norm" : "sup on [−1,1]^d")}, " +
                          $"seed {r.Seed}{(o.SeedFamilies ? " (+ paper examples)" : "")}: {r.Restarts} starts, {r.Evaluated} pairs scored, {r.Rejected} outside the space, {r.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine("ratio = certified fiber lower bound / (realization distance)^α, rounded down");
        Console.WriteLine($"{"#",2} {"ratio ≥",10} {"fiber ≥",10} {"fiber ≤",10} {"realization",12} {"moves",5}  pathology; theorem; origin");
        int i = 0;
        foreach (var p in r.Best)
            Console.WriteLine($"{++i,2} {p.Ratio,10:G6} {p.Lower.Value.ToDouble(),10:G6} {p.ParameterUpper.ToDouble(),10:G6} {p.Realization.Value.ToDouble(),12:G6} {p.Moves,5}  " +
                              $"{string.Join(", ", p.Pathologies)}; {Verdict(p.Theorem)}; {p.Origin}");
        var max = r.MaxRatio;
        Console.WriteLine($"largest certified ratio: {max:G6}");
        if (o.Space == SearchSpace.Restricted && o.Norm == RealizationNorm.Semi && o.Alpha == 0.5)
            Console.WriteLine($"N*: Theorem 3.3 bounds the ratio by 4; the largest ratio reached is {max:G6} ({max / 4:P0} of the theorem's constant)");
        if (r.Violation)
            Console.Error.WriteLine("verify: THEOREM VIOLATION: a certified fiber bound exceeds a theorem's guarantee — a bug in this tool or in the statement; inspect the certificate");
    }

    private static string Verdict(TheoremReport? t) => t?.Outcome switch
    {
        TheoremOutcome.Consistent => $"within {(t.Guarantee33 is not null ? "Thm 3.3" : "Thm 3.1")}",
        TheoremOutcome.Violated => "VIOLATES a theorem",
        _ => "no theorem applies",
    };

    private static IReadOnlyList<PairFiles> Write(StabilitySearchResult r, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<PairFiles>();
        for (int i = 0; i < r.Best.Count; i++)
        {
            var p = r.Best[i];
            var g = Path.Combine(dir, $"pair{i + 1}-gamma.json");
            var t = Path.Combine(dir, $"pair{i + 1}-theta.json");
            NetworkFiles.Write(p.Gamma.Network, g);
            NetworkFiles.Write(p.Theta.Network, t);
            var c = Path.Combine(dir, $"pair{i + 1}-certificate.json");
            JsonOutput.Write(c, p.ToJson(g, t));
            written.Add(new PairFiles(g, t, c));
        }
        return written;
    }
}
