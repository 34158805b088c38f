using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Specs;

namespace Verify.Certificates;

/// <summary>
/// The certificate file (format "verify-certificate", version 1; docs/certificates.md). Doubles are written in their
/// shortest round-trip form, so a reader gets the same doubles back and reads them as exact rationals.
/// </summary>
public static class CertificateJson
{
    public const string FormatName = "verify-certificate";
    public const int Version = 1;

    public static JsonObject ToJson(Certificate c)
    {
        var o = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = Version,
            ["network"] = new JsonObject { ["path"] = c.NetworkPath, ["sha256"] = c.NetworkSha256 },
            ["box"] = new JsonObject { ["lower"] = Numbers(c.BoxLower), ["upper"] = Numbers(c.BoxUpper) },
            ["perturbation"] = Perturbation(c),
            ["method"] = c.Method,
            ["outcome"] = c.Witness is not null ? "falsified" : c.Symmetry is not null ? "symmetric" : "bounded",
        };
        if (c.BallRadius is { } r) o["perturbation"]!["radius"] = r;
        if (c.Threshold is { } t) o["threshold"] = t;
        if (c.Eps is { } eps) o["eps"] = eps;
        if (c.Upper is { } u) o["upper"] = Numbers(u);
        if (c.EngineUpper is { } e) o["engineUpper"] = Numbers(e);
        if (c.Witness is { } w)
            o["witness"] = new JsonObject
            {
                ["output"] = w.Output, ["value"] = w.Value, ["x"] = Numbers(w.X), ["perturbed"] = JsonNetworkFormat.ToJson(w.Perturbed),
            };
        if (c.TopOne is { } claim)
        {
            var top = new JsonObject { ["class"] = claim.Class, ["at"] = Numbers(claim.At) };
            if (claim.Margin is { } m) top["margin"] = Numbers(m);
            if (claim.NominalMargin is { } nm) top["nominalMargin"] = Numbers(nm);
            o["top1"] = top;
        }
        if (c.Smt.Count > 0)
            o["smt"] = new JsonArray(c.Smt.Select(q => (JsonNode)new JsonObject
            {
                ["output"] = q.Output, ["node"] = q.Node, ["bound"] = q.Bound, ["logic"] = q.Logic, ["expected"] = "unsat", ["sha256"] = q.Sha256, ["query"] = q.Query,
            }).ToArray());
        if (c.Execution is { } execution)
            o["execution"] = new JsonObject
            {
                ["format"] = execution.Format,
                ["layers"] = new JsonArray(execution.Layers.Select(l => (JsonNode)new JsonObject
                {
                    ["gamma"] = l.Gamma, ["iota"] = l.Iota, ["weightRelative"] = l.WeightRelative, ["biasRelative"] = l.BiasRelative,
                    ["weightAbsolute"] = l.WeightAbsolute, ["biasAbsolute"] = l.BiasAbsolute, ["operationUnderflow"] = l.OperationUnderflow,
                }).ToArray()),
            };
        if (c.Analytic is { } analytic)
        {
            var a = new JsonObject();
            if (analytic.RowCap is { } cap) a["rowCap"] = cap;
            o["analytic"] = a;
        }
        if (c.Symmetry is { } sym)
            o["symmetry"] = new JsonObject
            {
                ["permutation"] = new JsonArray(sym.Permutation.Select(p => (JsonNode)new JsonArray(p.Select(v => (JsonNode)v).ToArray())).ToArray()),
                ["scaleExponent"] = new JsonArray(sym.ScaleExponent.Select(p => (JsonNode)new JsonArray(p.Select(v => (JsonNode)v).ToArray())).ToArray()),
            };
        if (c.PairExecution is { } pe)
            o["pairExecution"] = new JsonObject
            {
                ["format"] = pe.Format, ["first"] = ToJson(pe.First), ["second"] = ToJson(pe.Second),
            };
        if (c.PairExecution?.Upper is { } total) o["pairExecution"]!["upper"] = Numbers(total);
        if (c.PairTopOneExecution is { } pt)
            o["pairTopOneExecution"] = new JsonObject { ["format"] = pt.Format, ["second"] = ToJson(pt.Second) };
        var nodes = new JsonArray();
        foreach (var node in c.Nodes) nodes.Add(Node(node));
        o["nodes"] = nodes;
        return o;
    }

    /// <summary>The admissible δ: the model, or for an equivalence certificate the second network (δ = θ_B − θ_A).</summary>
    private static JsonObject Perturbation(Certificate c) => c.SecondNetwork is { } b
        ? b.Merged
            ? new JsonObject { ["kind"] = "network", ["path"] = b.Path, ["sha256"] = b.Sha256, ["merged"] = true }
            : new JsonObject { ["kind"] = "network", ["path"] = b.Path, ["sha256"] = b.Sha256 }
        : (c.Perturbation ?? throw new InvalidOperationException("a certificate needs a perturbation model or a second network")).ToJson();

    private static JsonObject Node(NodeRecord leaf)
    {
        var layers = new JsonArray();
        foreach (var l in leaf.Layers)
        {
            var lo = new JsonObject
            {
                ["zLo"] = Numbers(l.ZLo), ["zHi"] = Numbers(l.ZHi), ["dLo"] = Numbers(l.DLo), ["dHi"] = Numbers(l.DHi),
                ["pLo"] = Numbers(l.PLo), ["pHi"] = Numbers(l.PHi),
            };
            if (l.Planes is { } p)
                lo["planes"] = new JsonObject
                {
                    ["neurons"] = new JsonArray(p.Neurons.Select(i => (JsonNode)i).ToArray()),
                    ["hUa"] = Numbers(p.HUa), ["hUt"] = Numbers(p.HUt), ["hLa"] = Numbers(p.HLa), ["hLt"] = Numbers(p.HLt),
                    ["uZ"] = Numbers(p.UZ), ["uD"] = Numbers(p.UD), ["uP"] = Numbers(p.UP), ["uT"] = Numbers(p.UT),
                    ["lZ"] = Numbers(p.LZ), ["lD"] = Numbers(p.LD), ["lP"] = Numbers(p.LP), ["lT"] = Numbers(p.LT),
                };
            layers.Add(lo);
        }
        var node = new JsonObject { ["parent"] = leaf.Parent, ["lower"] = Numbers(leaf.Lower), ["upper"] = Numbers(leaf.Upper), ["bound"] = Numbers(leaf.Bound) };
        if (leaf.Margin is { } m) node["margin"] = Numbers(m);
        if (leaf.NominalMargin is { } nm) node["nominalMargin"] = Numbers(nm);
        node["layers"] = layers;
        return node;
    }

    private static JsonArray Numbers(IEnumerable<double> v)
    {
        var a = new JsonArray();
        foreach (var x in v)
        {
            // JSON has no ∞ or NaN; the builder refuses such leaves before they get here.
            if (!double.IsFinite(x)) throw new InvalidOperationException("a certificate number is not finite");
            a.Add(x);
        }
        return a;
    }
}
