using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Results;

/// <summary>
/// JSON for lower bounds and witnesses: "lower" (per output, rounded down from the exact replay), "supLower",
/// and "witness": {"output", "x", "delta": {"layers": [{"W", "b"}]}} with δ = θ' − θ. δ entries are numbers when
/// the difference is exactly a double (always when θ' is within a factor 2 of θ, by Sterbenz's lemma) and exact
/// rational strings "p/q" otherwise, so the witness can be rebuilt bit for bit.
/// </summary>
public static class WitnessJson
{
    /// <summary>Adds "lower", "supLower", "supLowerExact" and "witness" (of the largest lower bound) to a result.</summary>
    public static void AddLowerBounds(JsonObject result, IReadOnlyList<LowerBound?> lower, Network nominal)
    {
        var arr = new JsonArray();
        LowerBound? best = null;
        foreach (var l in lower)
        {
            arr.Add(l is null ? null : JsonValue.Create(l.Value));
            if (l is not null && (best is null || l.Exact > best.Exact)) best = l;
        }
        result["lower"] = arr;
        result["supLower"] = best is null ? null : JsonValue.Create(best.Value);
        result["supLowerExact"] = best?.Exact.ToString();
        result["witness"] = best is null ? null : ToJson(best.Witness, nominal, best.Exact);
    }

    public static JsonObject ToJson(Witness w, Network nominal, Rational? value = null)
    {
        var xs = new JsonArray();
        foreach (var x in w.X) xs.Add(JsonValue.Create(x));
        bool exact = true;
        var layers = new JsonArray();
        for (int l = 0; l < nominal.Depth; l++)
        {
            var a = nominal.Layers[l]; var b = w.Perturbed.Layers[l];
            var rows = new JsonArray();
            for (int i = 0; i < a.Outputs; i++)
            {
                var row = new JsonArray();
                for (int k = 0; k < a.Inputs; k++) row.Add(Difference(a.W(i, k), b.W(i, k), ref exact));
                rows.Add(row);
            }
            var bias = new JsonArray();
            for (int i = 0; i < a.Outputs; i++) bias.Add(Difference(a.B(i), b.B(i), ref exact));
            layers.Add(new JsonObject { ["W"] = rows, ["b"] = bias });
        }
        var o = new JsonObject { ["output"] = w.Output, ["x"] = xs };
        if (value is { } v) { o["value"] = v.ToInterval().Lo; o["valueExact"] = v.ToString(); }
        o["delta"] = new JsonObject { ["layers"] = layers };
        o["deltaExactDoubles"] = exact;
        return o;
    }

    private static JsonNode Difference(double theta, double perturbed, ref bool exact)
    {
        if (Rounding.SubIsExact(perturbed, theta, out double s)) return JsonValue.Create(s);
        exact = false;
        return JsonValue.Create((Rational.FromDouble(perturbed) - Rational.FromDouble(theta)).ToString());
    }

    /// <summary>
    /// Rebuilds a witness from <see cref="ToJson"/>'s output against the nominal network; θ + δ must be exactly a double
    /// for every parameter. <paramref name="source"/> names the file in error messages.
    /// </summary>
    public static Witness FromJson(JsonNode? node, Network nominal, string source)
    {
        if (node is not JsonObject o) throw new BadInputException(source, "witness is not a JSON object");
        int output = o["output"] is JsonValue ov && ov.TryGetValue<int>(out var j) ? j
            : throw new BadInputException(source, "witness: missing integer \"output\"");
        if (o["x"] is not JsonArray xa) throw new BadInputException(source, "witness: missing \"x\" array");
        var x = xa.Select((n, i) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d
            : throw new BadInputException(source, $"witness: x[{i}] is not a number")).ToArray();
        if (o["delta"]?["layers"] is not JsonArray la || la.Count != nominal.Depth)
            throw new BadInputException(source, $"witness: \"delta\" needs \"layers\" with {nominal.Depth} entries");
        var layers = new DenseLayer[nominal.Depth];
        for (int l = 0; l < nominal.Depth; l++)
        {
            var a = nominal.Layers[l];
            var rows = la[l]?["W"] as JsonArray;
            var bias = la[l]?["b"] as JsonArray;
            if (rows is null || bias is null || rows.Count != a.Outputs || bias.Count != a.Outputs)
                throw new BadInputException(source, $"witness: delta layer {l + 1} must have W ({a.Outputs}x{a.Inputs}) and b ({a.Outputs})");
            var w = new double[a.Weights.Length];
            var b = new double[a.Outputs];
            for (int i = 0; i < a.Outputs; i++)
            {
                if (rows[i] is not JsonArray row || row.Count != a.Inputs)
                    throw new BadInputException(source, $"witness: delta layer {l + 1} row {i} must have {a.Inputs} entries");
                for (int k = 0; k < a.Inputs; k++) w[i * a.Inputs + k] = Add(a.W(i, k), row[k], source, $"layer {l + 1} W[{i}][{k}]");
                b[i] = Add(a.B(i), bias[i], source, $"layer {l + 1} b[{i}]");
            }
            layers[l] = a.With(w, b);
        }
        return new Witness(output, x, nominal.WithLayers(layers));
    }

    private static double Add(double theta, JsonNode? d, string source, string where)
    {
        Rational delta;
        if (d is JsonValue v && v.GetValueKind() == JsonValueKind.Number) delta = Rational.FromDouble(v.GetValue<double>());
        else if (d is JsonValue sv && sv.TryGetValue<string>(out var text))
        {
            try { delta = Rational.Parse(text); }
            catch (Exception e) when (e is FormatException or ArgumentException or DivideByZeroException or OverflowException) { throw new BadInputException(source, $"witness: delta {where} '{text}' is not a rational"); }
        }
        else throw new BadInputException(source, $"witness: delta {where} is neither a number nor a rational string");
        var iv = (Rational.FromDouble(theta) + delta).ToInterval();
        if (!iv.IsPoint) throw new BadInputException(source, $"witness: θ + δ at {where} is not a double");
        return iv.Lo;
    }
}
