using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Verify.Suites;

/// <summary>
/// Runs suite queries as child `verify` processes, at most <see cref="Jobs"/> at a time. A query that outlives its
/// timeout has its process tree killed and is recorded as "timeout"; the others carry on.
/// </summary>
public sealed class SuiteRunner(VerifyLauncher launcher)
{
    public int Jobs { get; init; } = 2;

    /// <summary>Told when each query starts and finishes; may be called concurrently.</summary>
    public ISuiteProgress? Progress { get; init; }

    public void Run(IReadOnlyList<SuiteQuery> queries, SuiteReport report, string? jsonPath)
    {
        int done = 0;
        using var slots = new SemaphoreSlim(Math.Max(1, Jobs));
        var tasks = queries.Select(async q =>
        {
            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                Progress?.Started(q);
                var r = await RunOneAsync(q).ConfigureAwait(false);
                report.AddAndSave(r, jsonPath);
                Progress?.Finished(r, Interlocked.Increment(ref done), queries.Count);
            }
            finally { slots.Release(); }
        }).ToArray();
        Task.WaitAll(tasks);
    }

    public async Task<QueryResult> RunOneAsync(SuiteQuery q)
    {
        string tmp = Path.Combine(Path.GetTempPath(), $"verify-suite-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var sw = Stopwatch.StartNew();
        try
        {
            using var process = new Process { StartInfo = launcher.StartInfo(QueryCommand.Arguments(q, tmp)) };
            try { process.Start(); }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return Result(q, "error", null, null, sw, -1, $"cannot start verify: {e.Message}");
            }
            process.StandardInput.Close();
            // Drain both pipes so a chatty child never blocks on a full buffer.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(q.Timeout));
            try { await process.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync().ConfigureAwait(false);
                return Result(q, "timeout", null, null, sw, -1, $"killed after {q.Timeout.ToString(CultureInfo.InvariantCulture)} s");
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            int code = process.ExitCode;
            if (code is not (0 or 1 or 2) || !File.Exists(tmp))
                return Result(q, "error", null, null, sw, code, LastLine(await stderr.ConfigureAwait(false)) ?? $"exit code {code}");
            JsonNode json;
            try { json = JsonNode.Parse(await File.ReadAllTextAsync(tmp).ConfigureAwait(false)) ?? throw new System.Text.Json.JsonException("null"); }
            catch (System.Text.Json.JsonException e) { return Result(q, "error", null, null, sw, code, "unreadable --json answer: " + e.Message); }
            Kinds.QueryReading reading;
            try { reading = QueryCommand.KindOf(q).Read(q, json, code); }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                return Result(q, "error", null, null, sw, code, "unexpected --json answer: " + e.Message);
            }
            var outcome = QueryResult.Judge(q, reading);
            string? message = reading.Failures.Count > 0 ? string.Join("; ", reading.Failures) : reading.Note;
            return new QueryResult(q.Name, q.Kind, q.Expect, reading.Verdict, reading.Upper, reading.Lower,
                                   Math.Round(sw.Elapsed.TotalSeconds, 3), code, outcome, message, json);
        }
        finally
        {
            try { File.Delete(tmp); } catch (IOException) { }
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static QueryResult Result(SuiteQuery q, string verdict, double? upper, double? lower, Stopwatch sw, int code, string? message) =>
        new(q.Name, q.Kind, q.Expect, verdict, upper, lower, Math.Round(sw.Elapsed.TotalSeconds, 3), code,
            QueryResult.Judge(q, verdict, upper), message);
}
