using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Results;

/// <summary>Exact rationals in result JSON: as strings ("1/3"), since no JSON number holds them.</summary>
public static class RationalJson
{
    public static JsonArray Strings(IEnumerable<Rational> values) => new(values.Select(x => (JsonNode)JsonValue.Create(x.ToString())).ToArray());

    /// <summary>The box as {"lo": [...], "hi": [...]}.</summary>
    public static JsonObject Box(IEnumerable<Rational> lo, IEnumerable<Rational> hi) => new() { ["lo"] = Strings(lo), ["hi"] = Strings(hi) };
}
