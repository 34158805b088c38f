using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;

namespace Verify.Io;

/// <summary>
/// How every JSON input file is parsed: trailing commas and comments tolerated, a repeated key rejected (two "layers"
/// or two "lo" would otherwise mean whichever one a reader happened to look at), and a syntax error turned into one
/// <see cref="BadInputException"/> naming the file and the line:column.
/// </summary>
public static class JsonInput
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
    };

    public static JsonNode? ParseNode(string path, ReadOnlySpan<byte> utf8)
    {
        // JsonNode decodes strings lazily and would throw InvalidOperationException on invalid UTF-8 later on.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw new BadInputException(path, "not UTF-8 text");
        try { return JsonNode.Parse(utf8, documentOptions: Options); }
        catch (JsonException e) { throw Malformed(path, e); }
    }

    public static JsonNode? ParseNode(string path, string text, string what)
    {
        try { return JsonNode.Parse(text, documentOptions: Options); }
        catch (JsonException e) { throw new BadInputException(path, $"{what} is malformed JSON: {FirstSentence(e.Message)}"); }
    }

    public static JsonDocument ParseDocument(string path, ReadOnlyMemory<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span)) throw new BadInputException(path, "not UTF-8 text");
        try { return JsonDocument.Parse(utf8, Options); }
        catch (JsonException e) { throw Malformed(path, e); }
    }

    private static BadInputException Malformed(string path, JsonException e) =>
        new(path, "malformed JSON: " + FirstSentence(e.Message),
            e.LineNumber is { } ln ? $"{ln + 1}:{(e.BytePositionInLine ?? 0) + 1}" : null);

    /// <summary>System.Text.Json appends " Path: …" and " LineNumber: …"; the position is reported separately.</summary>
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0) message = message[..i];
        }
        return message.Trim();
    }
}
