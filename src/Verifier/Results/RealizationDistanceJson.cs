using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Results;

/// <summary>The JSON fields shared by the realization-distance answers (rationals as strings beside their doubles).</summary>
internal static class RealizationDistanceJson
{
    public static JsonObject Common(string norm, Rational lower, double upper, bool exact, double seconds) => new()
    {
        ["norm"] = norm,
        ["lower"] = lower.ToInterval().Lo,
        ["upper"] = JsonArrays.FiniteOrNull(upper), // JSON has no infinity: an uncertified bound is null
        ["exact"] = exact,
        ["lowerExact"] = lower.ToString(),
        ["seconds"] = seconds,
    };

    /// <summary>x as doubles ("x", exact when "xIsExact") and as exact rationals ("xExact").</summary>
    public static JsonObject Witness(Rational[] x, double[]? doubles)
    {
        doubles ??= x.All(v => Rational.FromDouble(v.ToDouble()) == v) ? x.Select(v => v.ToDouble()).ToArray() : null;
        return new JsonObject
        {
            ["x"] = JsonArrays.Of(doubles ?? x.Select(v => v.ToDouble())),
            ["xIsExact"] = doubles is not null,
            ["xExact"] = JsonArrays.Of(x.Select(v => v.ToString())),
        };
    }
}
