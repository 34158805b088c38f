using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Io;

namespace Verify.Checker;

/// <summary>
/// Reads a certificate file strictly: every field the check needs present, of the right type and length, every number
/// finite, every box ordered. Anything else is one <see cref="BadInputException"/> naming the file and the field (exit 65).
/// </summary>
internal static class CertificateReader
{
    public static readonly string[] PlaneNames = ["hUa", "hUt", "hLa", "hLt", "uZ", "uD", "uP", "uT", "lZ", "lD", "lP", "lT"];
    private static readonly string[] EnclosureNames = ["zLo", "zHi", "dLo", "dHi", "pLo", "pHi"];

    public static CertificateInput Read(string path, byte[] bytes)
    {
        var r = new Fields(path);
        if (JsonInput.ParseNode(path, bytes) is not JsonObject o) throw r.Bad("the certificate is not a JSON object");
        if (r.Str(o, "format") != "verify-certificate") throw r.Bad("\"format\" is not \"verify-certificate\"");
        if (r.Num(o, "version") != 1) throw r.Bad("\"version\" must be 1");
        var net = r.Obj(o, "network");
        var box = r.Obj(o, "box");
        double[] lo = r.Nums(box, "lower", "box.lower"), hi = r.Nums(box, "upper", "box.upper", lo.Length);
        r.Ordered(lo, hi, "box");
        string outcome = r.Str(o, "outcome");
        WitnessInput? witness = null;
        var nodes = new List<NodeInput>();
        if (outcome == "falsified")
        {
            var w = r.Obj(o, "witness");
            witness = new WitnessInput((int)r.Num(w, "output"), r.Nums(w, "x", "witness.x", lo.Length),
                w["perturbed"] ?? throw r.Bad("witness.perturbed is missing"), r.Num(w, "value"));
        }
        else if (outcome == "bounded" && o["analytic"] is not null)
        {
            if (o["nodes"] is JsonArray { Count: > 0 }) throw r.Bad("an analytic certificate has no \"nodes\"");
        }
        else if (outcome == "bounded")
        {
            if (o["nodes"] is not JsonArray ls || ls.Count == 0) throw r.Bad("\"nodes\" must be a non-empty array");
            for (int i = 0; i < ls.Count; i++)
            {
                var node = Node(r, ls[i] as JsonObject ?? throw r.Bad($"nodes[{i}] is not an object"), $"nodes[{i}]", lo.Length);
                if (node.Parent < -1 || node.Parent >= i) throw r.Bad($"nodes[{i}].parent must be −1 or an earlier node");
                nodes.Add(node);
            }
        }
        else if (outcome != "symmetric") throw r.Bad("\"outcome\" must be \"bounded\", \"falsified\" or \"symmetric\"");
        TopOneInput? topOne = null;
        if (o["top1"] is not null)
        {
            var t = r.Obj(o, "top1");
            double cls = r.Num(t, "class");
            if (cls != Math.Floor(cls) || cls < 0) throw r.Bad("top1.class must be an output index");
            topOne = new TopOneInput((int)Math.Min(cls, int.MaxValue), r.Nums(t, "at", "top1.at", lo.Length),
                outcome == "bounded" ? r.Nums(t, "margin", "top1.margin") : null)
            { NominalMargin = outcome == "bounded" && t["nominalMargin"] is not null ? r.Nums(t, "nominalMargin", "top1.nominalMargin") : null };
        }
        return new CertificateInput(r.Str(net, "path"), r.Str(net, "sha256"), lo, hi, r.Obj(o, "perturbation"),
            o["upper"] is null ? null : r.Nums(o, "upper", "upper"), o["threshold"] is null ? null : r.Num(o, "threshold"), witness, nodes)
        { TopOne = topOne, Eps = o["eps"] is null ? null : r.Num(o, "eps"), Smt = Smt(r, o, nodes.Count),
          Execution = o["execution"] is null ? null : r.Obj(o, "execution"),
          Symmetry = outcome == "symmetric" ? r.Obj(o, "symmetry") : null,
          Analytic = outcome == "bounded" && o["analytic"] is not null ? Analytic(r, r.Obj(o, "analytic")) : null,
          PairExecution = o["pairExecution"] is null ? null : r.Obj(o, "pairExecution"),
          PairTopOneExecution = o["pairTopOneExecution"] is null ? null : r.Obj(o, "pairTopOneExecution") };
    }

    private static AnalyticInput Analytic(Fields r, JsonObject a)
    {
        if (a["rowCap"] is null) return new AnalyticInput(null);
        double cap = r.Num(a, "rowCap");
        return cap >= 0 ? new AnalyticInput(cap) : throw r.Bad("analytic.rowCap must be ≥ 0");
    }

    private static List<SmtInput> Smt(Fields r, JsonObject o, int nodes)
    {
        var list = new List<SmtInput>();
        if (o["smt"] is null) return list;
        if (o["smt"] is not JsonArray a) throw r.Bad("\"smt\" must be an array");
        for (int i = 0; i < a.Count; i++)
        {
            var q = a[i] as JsonObject ?? throw r.Bad($"smt[{i}] is not an object");
            double output = r.Num(q, "output"), node = r.Num(q, "node");
            if (output != Math.Floor(output) || output < 0 || node != Math.Floor(node) || node < 0 || node >= nodes)
                throw r.Bad($"smt[{i}]: \"output\" and \"node\" must be an output index and an existing node");
            if (r.Str(q, "logic") != "QF_LRA" || r.Str(q, "expected") != "unsat") throw r.Bad($"smt[{i}]: only QF_LRA queries expected unsat are known");
            list.Add(new SmtInput((int)Math.Min(output, int.MaxValue), (int)node, r.Num(q, "bound"), r.Str(q, "sha256"), r.Str(q, "query")));
        }
        return list;
    }

    private static NodeInput Node(Fields r, JsonObject o, string where, int dim)
    {
        double[] lo = r.Nums(o, "lower", where + ".lower", dim), hi = r.Nums(o, "upper", where + ".upper", dim);
        r.Ordered(lo, hi, where);
        if (o["layers"] is not JsonArray ls || ls.Count == 0) throw r.Bad($"{where}.layers must be a non-empty array");
        var layers = new LayerInput[ls.Count];
        for (int k = 0; k < ls.Count; k++)
        {
            string at = $"{where}.layers[{k}]";
            var l = ls[k] as JsonObject ?? throw r.Bad($"{at} is not an object");
            var e = new double[6][];
            for (int q = 0; q < 6; q++) e[q] = r.Nums(l, EnclosureNames[q], $"{at}.{EnclosureNames[q]}", q == 0 ? null : e[0].Length);
            double[][]? planes = null;
            int[]? neurons = null;
            if (l["planes"] is JsonObject p)
            {
                var listed = r.Nums(p, "neurons", $"{at}.planes.neurons");
                for (int q = 0; q < listed.Length; q++)
                    if (listed[q] != Math.Floor(listed[q]) || listed[q] < 0 || listed[q] >= e[0].Length || (q > 0 && listed[q] <= listed[q - 1]))
                        throw r.Bad($"{at}.planes.neurons must list neuron indices in increasing order");
                neurons = listed.Select(v => (int)v).ToArray();
                planes = PlaneNames.Select(n => r.Nums(p, n, $"{at}.planes.{n}", neurons.Length)).ToArray();
            }
            else if (k < ls.Count - 1) throw r.Bad($"{at}.planes is missing (every hidden layer has them)");
            layers[k] = new LayerInput(e[0], e[1], e[2], e[3], e[4], e[5], neurons, planes);
        }
        double parent = r.Num(o, "parent");
        if (parent != Math.Floor(parent)) throw r.Bad($"{where}.parent must be an integer");
        return new NodeInput((int)Math.Clamp(parent, -2, int.MaxValue), lo, hi, r.Nums(o, "bound", where + ".bound"), layers)
        {
            Margin = o["margin"] is null ? null : r.Nums(o, "margin", where + ".margin"),
            NominalMargin = o["nominalMargin"] is null ? null : r.Nums(o, "nominalMargin", where + ".nominalMargin"),
        };
    }

    /// <summary>Typed field access that names the file and the field in its one-line error.</summary>
    private sealed class Fields(string path)
    {
        public BadInputException Bad(string problem) => new(path, "certificate: " + problem);

        public JsonObject Obj(JsonObject o, string key) => o[key] as JsonObject ?? throw Bad($"\"{key}\" must be an object");

        public string Str(JsonObject o, string key) =>
            o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad($"\"{key}\" must be a string");

        public double Num(JsonObject o, string key) =>
            o[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : throw Bad($"\"{key}\" must be a finite number");

        public double[] Nums(JsonObject o, string key, string where, int? length = null)
        {
            if (o[key] is not JsonArray a) throw Bad($"{where} must be an array of numbers");
            if (length is { } n && a.Count != n) throw Bad($"{where} has {a.Count} entries, expected {n}");
            var v = new double[a.Count];
            for (int i = 0; i < v.Length; i++)
                v[i] = a[i] is JsonValue x && x.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : throw Bad($"{where}[{i}] is not a finite number");
            return v;
        }

        public void Ordered(double[] lo, double[] hi, string where)
        {
            for (int i = 0; i < lo.Length; i++)
                if (!(lo[i] <= hi[i])) throw Bad($"{where}: lower[{i}] > upper[{i}]");
        }
    }
}
