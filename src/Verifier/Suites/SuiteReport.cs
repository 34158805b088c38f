using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;

namespace Verify.Suites;

/// <summary>
/// The JSON report of a (partial) suite run: {"suite": path, "results": [...]}. Saved atomically (temp file + rename)
/// after every finished query, so an interrupted run keeps everything that finished.
/// </summary>
public sealed class SuiteReport(string suite)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<QueryResult> results = [];
    private readonly Lock gate = new();

    public string Suite { get; } = suite;

    public IReadOnlyList<QueryResult> Results { get { lock (gate) return results.ToList(); } }

    public void Add(QueryResult r) { lock (gate) results.Add(r); }

    /// <summary>Adds a result and rewrites the file (if any) under the same lock, so concurrent saves never interleave.</summary>
    public void AddAndSave(QueryResult r, string? path)
    {
        lock (gate)
        {
            results.Add(r);
            if (path is not null) Save(path);
        }
    }

    public JsonObject ToJson()
    {
        var arr = new JsonArray();
        lock (gate) foreach (var r in results) arr.Add(r.ToJson());
        return new JsonObject { ["suite"] = Suite, ["results"] = arr };
    }

    public void Save(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            string tmp = full + ".tmp-" + Environment.ProcessId;
            File.WriteAllText(tmp, ToJson().ToJsonString(Indented) + "\n");
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write suite report: " + e.Message);
        }
    }

    public static SuiteReport Load(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException(path, "cannot read suite report: " + e.Message); }
        catch (JsonException e) { throw new BadInputException(path, "not a JSON suite report: " + e.Message); }
        if (root?["results"] is not JsonArray arr) throw new BadInputException(path, "not a suite report: no \"results\" array");
        var report = new SuiteReport(root["suite"]?.GetValue<string>() ?? path);
        foreach (var r in arr)
        {
            try { report.Add(QueryResult.FromJson(r ?? throw new BadInputException(path, "null result"), path)); }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new BadInputException(path, "malformed result: " + e.Message);
            }
        }
        return report;
    }

    /// <summary>0 when every query passed, 1 on any mismatch or error, 2 when some are unknown and those count as failures.</summary>
    public static int ExitCode(IEnumerable<QueryResult> results, bool failOnUnknown)
    {
        var list = results.ToList();
        if (list.Any(r => r.Outcome is Outcome.Mismatch or Outcome.Error)) return 1;
        if (failOnUnknown && list.Any(r => r.Outcome == Outcome.Unknown)) return 2;
        return 0;
    }
}
