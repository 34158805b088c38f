using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Results;

namespace Verify.Cli;

/// <summary>Writes result objects for --json (the edge: files are written only here and in the verbs).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Write(string? path, JsonNode node)
    {
        if (path is null) return;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(path, node.ToJsonString(Options) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write JSON result: " + e.Message);
        }
    }

    // Kept for the verbs that build their JSON here; the arrays themselves come from Results.
    public static JsonArray Array(IEnumerable<double> values) => JsonArrays.Of(values);

    public static JsonArray Array(IEnumerable<int> values) => JsonArrays.Of(values);

    public static JsonArray Array(IEnumerable<string> values) => JsonArrays.Of(values);
}
