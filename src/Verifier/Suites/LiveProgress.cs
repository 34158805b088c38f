using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Verify.Suites;

/// <summary>
/// A live Spectre.Console table for terminals: the running queries with their elapsed time, then the latest finished
/// ones with verdict, U, L and outcome, under a done/total count. Events only update state under a lock; the display is
/// redrawn from one thread (<see cref="Run"/>), so Spectre is never called concurrently.
/// </summary>
public sealed class LiveProgress(string suite, int total, int finishedRows = 12) : ISuiteProgress
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Stopwatch> running = new(StringComparer.Ordinal);
    private readonly List<QueryResult> finished = [];
    private readonly int[] counts = new int[Enum.GetValues<Outcome>().Length];

    public void Started(SuiteQuery query)
    {
        lock (gate) running[query.Name] = Stopwatch.StartNew();
    }

    public void Finished(QueryResult result, int done, int total)
    {
        lock (gate)
        {
            running.Remove(result.Name);
            finished.Add(result);
            counts[(int)result.Outcome]++;
        }
    }

    /// <summary>Runs <paramref name="body"/> (the suite) on a worker thread while redrawing the table on this one.</summary>
    public void Run(IAnsiConsole console, Action<ISuiteProgress> body, TimeSpan? refresh = null)
    {
        console.Live(Render()).AutoClear(false).Start(ctx =>
        {
            var work = Task.Run(() => body(this));
            // WaitAny, not Wait: it does not throw, so GetResult below rethrows the suite's own exception unwrapped
            // (VerbRunner turns e.g. a BadInputException into a one-line message).
            while (Task.WaitAny([work], refresh ?? TimeSpan.FromMilliseconds(250)) < 0) ctx.UpdateTarget(Render());
            ctx.UpdateTarget(Render());
            work.GetAwaiter().GetResult();
        });
    }

    public IRenderable Render()
    {
        var inv = CultureInfo.InvariantCulture;
        List<(string Name, double Seconds)> now;
        List<QueryResult> latest;
        int done, hidden;
        string summary;
        lock (gate)
        {
            now = running.Select(r => (r.Key, r.Value.Elapsed.TotalSeconds)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            done = finished.Count;
            hidden = Math.Max(0, finished.Count - finishedRows);
            latest = finished.Skip(hidden).ToList();
            summary = string.Join(", ", Enum.GetValues<Outcome>().Where(o => counts[(int)o] > 0)
                .Select(o => $"{counts[(int)o]} {o.ToString().ToLowerInvariant()}"));
        }
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"suite {suite}: {done}/{total} done" + (summary.Length > 0 ? $" ({summary})" : "")))
            .AddColumn("query").AddColumn("state").AddColumn("verdict").AddColumn(new TableColumn("U").RightAligned())
            .AddColumn(new TableColumn("L").RightAligned()).AddColumn(new TableColumn("s").RightAligned());
        if (hidden > 0) table.AddRow(new Markup($"[grey]… {hidden} earlier[/]"), Text.Empty, Text.Empty, Text.Empty, Text.Empty, Text.Empty);
        foreach (var r in latest)
            table.AddRow(new Text(r.Name), new Markup(Styled(r.Outcome)), new Text(r.Verdict), new Text(Num(r.Upper)), new Text(Num(r.Lower)),
                         new Text(r.Seconds.ToString("F1", inv)));
        foreach (var (name, seconds) in now)
            table.AddRow(new Text(name), new Markup("[blue]running[/]"), Text.Empty, Text.Empty, Text.Empty, new Text(seconds.ToString("F1", inv)));
        return table;
    }

    private static string Styled(Outcome o) => o switch
    {
        Outcome.Pass => "[green]pass[/]",
        Outcome.Mismatch => "[red]mismatch[/]",
        Outcome.Error => "[red]error[/]",
        _ => "[yellow]unknown[/]",
    };

    private static string Num(double? v) => v?.ToString("G6", CultureInfo.InvariantCulture) ?? "";
}
