using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>The --json layout of `verify equiv` (see docs/equiv.md).</summary>
public static class EquivalenceJson
{
    /// <param name="topOne">whether the query asked for top-1 agreement (else sup ‖f2 − f1‖∞ ≤ <paramref name="eps"/>)</param>
    public static JsonObject Of(EquivalenceResult r, bool topOne, double eps)
    {
        var o = new JsonObject
        {
            ["verdict"] = r.Verdict.ToJsonName(),
            ["mode"] = topOne ? "top1" : "eps",
            ["upper"] = Number(r.MaxUpper),
            ["lower"] = r.MaxLower,
            ["seconds"] = r.Seconds,
            ["splits"] = r.Splits,
            ["openParts"] = r.OpenParts,
            ["exactCopy"] = r.ExactCopy,
            ["methods"] = JsonArrays.Of(r.Methods),
            ["exactPartsTried"] = r.ExactPartsTried,
            ["exactPartsClosed"] = r.ExactPartsClosed,
            ["upperPerOutput"] = new JsonArray(r.Upper.Select(Number).ToArray()),
            ["lowerPerOutput"] = JsonArrays.Of(r.Lower),
        };
        if (!topOne) o["eps"] = eps;
        if (r.Witness is { } w) o["witness"] = Witness(w);
        if (r.Execution is { } e) o["execution"] = e.ToJson();
        if (r.TopOneExecution is { } t) o["execution"] = t.ToJson();
        return o;
    }

    private static JsonObject Witness(EquivalenceWitness w)
    {
        var wj = new JsonObject { ["x"] = JsonArrays.Of(w.X) };
        if (w.Output is { } j)
        {
            wj["output"] = j;
            wj["difference"] = w.Difference!.Value.ToDouble();
            wj["differenceExact"] = w.Difference.Value.ToString();
        }
        else
        {
            wj["class1"] = w.FirstClass;
            wj["class2"] = w.SecondClass;
        }
        return wj;
    }

    /// <summary>JSON has no infinity: an uncertified bound is written as null.</summary>
    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
