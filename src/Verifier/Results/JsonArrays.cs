using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>JSON arrays of plain values, for every result's JSON (typed overloads: no reflection-based serialisation).</summary>
public static class JsonArrays
{
    public static JsonArray Of(IEnumerable<double> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(JsonValue.Create(v));
        return a;
    }

    public static JsonArray Of(IEnumerable<int> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(JsonValue.Create(v));
        return a;
    }

    public static JsonArray Of(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(JsonValue.Create(v));
        return a;
    }
}
