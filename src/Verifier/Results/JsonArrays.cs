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

    /// <summary>JSON has no ∞ or NaN: such a value (an unbounded U, say) is written as null.</summary>
    public static JsonArray FiniteOrNull(IEnumerable<double> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(FiniteOrNull(v));
        return a;
    }

    /// <summary>The value, or null where it is ∞ or NaN (JSON has neither).</summary>
    public static JsonValue? FiniteOrNull(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

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
