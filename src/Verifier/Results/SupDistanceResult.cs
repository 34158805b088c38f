using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Results;

/// <summary>
/// The answer of InverseStability.SupDistance: Lower ≤ sup_x ‖f1(x) − f2(x)‖∞ ≤ Upper, Lower the exact |f2_j − f1_j| at
/// <see cref="Witness"/> (output <see cref="Output"/>), Upper certified. Exact when the two meet.
/// </summary>
public sealed record SupDistanceResult(Rational Lower, double Upper, Rational? Exact, Rational[]? Witness, int? Output, int Queries,
    RegionDistanceResult? Regions, double Seconds)
{
    public bool IsExact => Exact is not null;

    public JsonObject ToJson()
    {
        var o = RealizationDistanceJson.Common("sup", Lower, Upper, IsExact, Seconds);
        if (Witness is { } x)
        {
            var w = RealizationDistanceJson.Witness(x, null);
            w["output"] = Output;
            o["witness"] = w;
        }
        o["queries"] = Queries;
        if (Regions is { } g)
            o["regionSearch"] = new JsonObject { ["regions"] = g.Regions, ["pruned"] = g.Pruned, ["checks"] = g.Checks, ["complete"] = g.IsExact, ["seconds"] = g.Seconds };
        return o;
    }

    /// <summary>`--norm both`: both answers and the W^{1,∞} distance they bound together.</summary>
    public static JsonObject Both(SupDistanceResult sup, RegionDistanceResult semi)
    {
        var full = new JsonObject
        {
            ["lower"] = Math.Max(sup.Lower.ToInterval().Lo, semi.Lower.ToInterval().Lo),
            ["upper"] = JsonArrays.FiniteOrNull(Math.Max(sup.Upper, semi.Upper)),
        };
        return new JsonObject { ["norm"] = "both", ["sup"] = sup.ToJson(), ["sobolev"] = semi.ToJson(), ["w1inf"] = full };
    }
}
