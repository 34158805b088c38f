using System.Globalization;

namespace Verify.Suites;

/// <summary>Receives the runner's events to show progress; calls may come from several threads at once.</summary>
public interface ISuiteProgress
{
    void Started(SuiteQuery query);

    void Finished(QueryResult result, int done, int total);
}

/// <summary>
/// One line per finished query, for CI logs and redirected stderr:
/// <c>[3/8] pass     certify/net/eps=0.01: verified U=0.248526 L=0.244612 (6.8 s)</c>.
/// </summary>
public sealed class PlainProgress(TextWriter output) : ISuiteProgress
{
    private readonly Lock gate = new();

    public void Started(SuiteQuery query) { }

    public void Finished(QueryResult r, int done, int total)
    {
        string line = Line(r, done, total);
        lock (gate) output.WriteLine(line);
    }

    public static string Line(QueryResult r, int done, int total)
    {
        var inv = CultureInfo.InvariantCulture;
        string bounds = r.Upper is { } u ? string.Create(inv, $" U={u:G6}") : "";
        if (r.Lower is { } l) bounds += string.Create(inv, $" L={l:G6}");
        return string.Create(inv, $"[{done}/{total}] {r.Outcome.ToString().ToLowerInvariant(),-8} {r.Name}: {r.Verdict}{bounds} ({r.Seconds:F1} s)");
    }
}
