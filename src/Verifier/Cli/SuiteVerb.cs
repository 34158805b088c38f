using System.CommandLine;
using Spectre.Console;
using Verify.Errors;
using Verify.Suites;

namespace Verify.Cli;

/// <summary>
/// `verify suite run` executes a YAML suite of certify/equiv queries as child processes (parallel, per-query timeouts,
/// sharding, resumable JSON) and writes JUnit/JSON/Markdown reports; `verify suite merge` joins shard reports.
/// </summary>
public sealed class SuiteVerb : IVerb
{
    public Command Build()
    {
        var cmd = new Command("suite", "Run suites of verification queries with expected verdicts, and merge their reports.");
        cmd.Subcommands.Add(BuildRun());
        cmd.Subcommands.Add(BuildMerge());
        return cmd;
    }

    private static Option<string> FailOn() =>
        new("--fail-on") { Description = "mismatch (default): exit 1 only on contradicted expectations; unknown: also exit 2 on unknown/timeout", DefaultValueFactory = _ => "mismatch" };

    private static Option<string?> JUnit() => new("--junit") { Description = "write a JUnit XML report here" };

    private static Option<string?> Markdown() => new("--markdown") { Description = "write a Markdown table here" };

    private static Command BuildRun()
    {
        var file = new Argument<string>("suite") { Description = "suite file (YAML or JSON)" };
        var jobs = new Option<int>("--jobs") { Description = "queries run in parallel", DefaultValueFactory = _ => 2 };
        var filter = new Option<string?>("--filter") { Description = "only queries whose name matches this glob (* and ?)" };
        var shard = new Option<string?>("--shard") { Description = "i/n: only queries whose index mod n is i−1" };
        var json = CommonOptions.Json();
        var resume = new Option<bool>("--resume") { Description = "skip queries already recorded in the --json report" };
        var failOn = FailOn();
        var junit = JUnit();
        var markdown = Markdown();
        var progress = new Option<string>("--progress")
        {
            Description = "auto (default): a live table when stderr is a terminal, plain lines otherwise; live; plain",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "live", "plain");
        var run = new Command("run", "Run the queries of a suite and compare verdicts with their expectations.")
            { file, jobs, filter, shard, json, resume, failOn, junit, markdown, progress };
        run.SetAction(p => VerbRunner.Run(() =>
        {
            bool failOnUnknown = ParseFailOn(p.GetValue(failOn)!);
            if (p.GetValue(jobs) < 1) throw new UsageException("--jobs must be ≥ 1");
            var suite = SuiteParser.Load(p.GetValue(file)!);
            IEnumerable<SuiteQuery> selected = suite.Queries;
            if (p.GetValue(shard) is { } s)
            {
                var (i, n) = QuerySelection.ParseShard(s);
                selected = QuerySelection.Shard(selected, i, n);
            }
            if (p.GetValue(filter) is { } g) selected = QuerySelection.Filter(selected, g);
            string? jsonPath = p.GetValue(json);
            var report = new SuiteReport(suite.Path);
            if (p.GetValue(resume))
            {
                if (jsonPath is null) throw new UsageException("--resume needs --json (the report to resume)");
                if (File.Exists(jsonPath))
                    foreach (var r in SuiteReport.Load(jsonPath).Results) report.Add(r);
                var done = report.Results.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                selected = selected.Where(q => !done.Contains(q.Name));
            }
            var todo = selected.ToList();
            Console.Error.WriteLine($"suite {suite.Path}: {todo.Count} of {suite.Queries.Count} queries to run, {p.GetValue(jobs)} at a time");
            if (jsonPath is not null) report.Save(jsonPath);
            var console = LiveConsole(p.GetValue(progress)!);
            if (console is null)
                new SuiteRunner(VerifyLauncher.Locate()) { Jobs = p.GetValue(jobs), Progress = new PlainProgress(Console.Error) }.Run(todo, report, jsonPath);
            else
                new LiveProgress(suite.Path, todo.Count).Run(console, live =>
                    new SuiteRunner(VerifyLauncher.Locate()) { Jobs = p.GetValue(jobs), Progress = live }.Run(todo, report, jsonPath));
            return Finish(suite.Path, report, failOnUnknown, p.GetValue(junit), p.GetValue(markdown));
        }));
        return run;
    }

    private static Command BuildMerge()
    {
        var inputs = new Argument<string[]>("reports") { Description = "JSON reports of suite runs (shards)", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var failOn = FailOn();
        var junit = JUnit();
        var markdown = Markdown();
        var merge = new Command("merge", "Merge the JSON reports of several suite runs (e.g. shards) into one.")
            { inputs, json, failOn, junit, markdown };
        merge.SetAction(p => VerbRunner.Run(() =>
        {
            bool failOnUnknown = ParseFailOn(p.GetValue(failOn)!);
            var files = p.GetValue(inputs)!;
            SuiteReport? merged = null;
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in files)
            {
                var part = SuiteReport.Load(f);
                merged ??= new SuiteReport(part.Suite);
                foreach (var r in part.Results)
                {
                    if (!seen.TryAdd(r.Name, f)) throw new BadInputException(f, $"query '{r.Name}' is also in {seen[r.Name]} (overlapping shards?)");
                    merged.Add(r);
                }
            }
            if (p.GetValue(json) is { } jsonPath) merged!.Save(jsonPath);
            return Finish(merged!.Suite, merged, failOnUnknown, p.GetValue(junit), p.GetValue(markdown));
        }));
        return merge;
    }

    private static bool ParseFailOn(string value) => value.ToLowerInvariant() switch
    {
        "mismatch" => false,
        "unknown" => true,
        _ => throw new UsageException($"--fail-on: '{value}' is not unknown or mismatch"),
    };

    private static int Finish(string suiteName, SuiteReport report, bool failOnUnknown, string? junit, string? markdown)
    {
        var results = report.Results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (junit is not null) ReportWriters.WriteJUnit(junit, suiteName, results, failOnUnknown);
        if (markdown is not null) ReportWriters.WriteMarkdown(markdown, suiteName, results);
        var counts = results.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        Console.WriteLine($"{results.Count} queries: {string.Join(", ", counts)}");
        foreach (var r in results.Where(r => r.Outcome != Outcome.Pass))
            Console.WriteLine($"  {r.Outcome.ToString().ToLowerInvariant(),-8} {r.Name}: expected {r.Expect ?? "-"}, got {r.Verdict}{(r.Message is null ? "" : " (" + r.Message + ")")}");
        return SuiteReport.ExitCode(results, failOnUnknown);
    }

    /// <summary>
    /// The Spectre console on stderr for the live table, or null for plain lines: "auto" goes live only when stderr is a
    /// terminal that Spectre finds interactive and ANSI-capable (CI logs and redirected stderr get plain lines).
    /// </summary>
    private static IAnsiConsole? LiveConsole(string mode)
    {
        if (mode == "plain" || (mode == "auto" && Console.IsErrorRedirected)) return null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        bool capable = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        return mode == "live" || capable ? console : null;
    }
}
