using System.Globalization;
using Verify.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Verify.Suites;

/// <summary>
/// Reads a suite file (YAML, so JSON too) through YamlDotNet's representation model, validating every key and type
/// itself so that each error names the file, line and column. Expands network and ε lists into one query per combination.
/// </summary>
public static class SuiteParser
{
    private static readonly string[] TopKeys = ["defaults", "networks", "boxes", "queries"];
    private static readonly string[] DefaultKeys = ["timeout", "method", "seed"];
    private static readonly string[] NetworkKeys = ["name", "path"];
    private static readonly string[] BoxKeys = ["name", "lo", "hi", "file", "vnnlib"];
    private static readonly string[] QueryKeys =
        ["name", "kind", "network", "networks", "network2", "box", "eps", "threshold", "expect", "expectUpper", "timeout", "method", "seed", "args"];
    private static readonly string[] Verdicts = ["verified", "falsified", "unknown"];

    public static Suite Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException(path, "cannot read suite: " + e.Message); }
        return Parse(text, path);
    }

    /// <summary>Parses suite text; relative paths resolve against the directory of <paramref name="path"/>.</summary>
    public static Suite Parse(string text, string path)
    {
        var ctx = new Context(path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try { stream.Load(parser); }
        catch (YamlException e) { throw new BadInputException(path, e.Message.ReplaceLineEndings(" "), Pos(e.Start)); }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some malformed flow collections, e.g. an
            // unclosed [a, b: report it as a syntax error after the last event that parsed.
            throw new BadInputException(path, "YAML syntax error (unclosed bracket or brace?)", parser.Current is { } ev ? Pos(ev.End) : null);
        }
        if (stream.Documents.Count != 1) throw new BadInputException(path, "a suite file holds exactly one YAML document");
        var root = ctx.Map(stream.Documents[0].RootNode, "suite");
        ctx.CheckKeys(root, TopKeys, "suite");

        double timeout = 60; string method = "auto"; int seed = 1;
        if (Get(root, "defaults") is { } d)
        {
            var dm = ctx.Map(d, "defaults");
            ctx.CheckKeys(dm, DefaultKeys, "defaults");
            if (Get(dm, "timeout") is { } t) timeout = ctx.Positive(t, "defaults.timeout");
            if (Get(dm, "method") is { } m) method = ctx.String(m, "defaults.method");
            if (Get(dm, "seed") is { } s) seed = ctx.Int(s, "defaults.seed");
        }

        var networks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in ctx.Seq(Get(root, "networks") ?? throw ctx.Error(root, "missing 'networks'"), "networks"))
        {
            var nm = ctx.Map(n, "network");
            ctx.CheckKeys(nm, NetworkKeys, "network");
            string name = ctx.String(ctx.Required(nm, "name", "network"), "network name");
            if (!networks.TryAdd(name, ctx.Resolve(ctx.String(ctx.Required(nm, "path", "network"), "network path"))))
                throw ctx.Error(nm, $"network '{name}' is defined twice");
        }

        var boxes = new Dictionary<string, SuiteBox>(StringComparer.Ordinal);
        if (Get(root, "boxes") is { } bs)
            foreach (var b in ctx.Seq(bs, "boxes"))
            {
                var bm = ctx.Map(b, "box");
                ctx.CheckKeys(bm, BoxKeys, "box");
                string name = ctx.String(ctx.Required(bm, "name", "box"), "box name");
                var lo = Get(bm, "lo") is { } l ? ctx.Numbers(l, "lo") : null;
                var hi = Get(bm, "hi") is { } h ? ctx.Numbers(h, "hi") : null;
                var file = Get(bm, "file") is { } f ? ctx.Resolve(ctx.String(f, "box file")) : null;
                var vnn = Get(bm, "vnnlib") is { } v ? ctx.Resolve(ctx.String(v, "vnnlib")) : null;
                int sources = (lo is not null || hi is not null ? 1 : 0) + (file is not null ? 1 : 0) + (vnn is not null ? 1 : 0);
                if (sources != 1 || (lo is null) != (hi is null))
                    throw ctx.Error(bm, $"box '{name}' needs exactly one of lo+hi, file or vnnlib");
                if (lo is not null && lo.Length != hi!.Length && lo.Length != 1 && hi.Length != 1)
                    throw ctx.Error(bm, $"box '{name}': lo and hi have different lengths");
                if (!boxes.TryAdd(name, new SuiteBox(name, lo, hi, file, vnn))) throw ctx.Error(bm, $"box '{name}' is defined twice");
            }

        var queries = new List<SuiteQuery>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in ctx.Seq(Get(root, "queries") ?? throw ctx.Error(root, "missing 'queries'"), "queries"))
        {
            var qm = ctx.Map(q, "query");
            ctx.CheckKeys(qm, QueryKeys, "query");
            string kind = ctx.String(ctx.Required(qm, "kind", "query"), "kind");
            if (kind is not ("certify" or "equiv")) throw ctx.Error(Get(qm, "kind")!, $"kind '{kind}' is not certify or equiv");
            string baseName = Get(qm, "name") is { } qn ? ctx.String(qn, "name") : kind;
            if (Get(qm, "network") is not null && Get(qm, "networks") is not null) throw ctx.Error(qm, "give 'network' or 'networks', not both");
            var netNode = Get(qm, "network") ?? Get(qm, "networks") ?? throw ctx.Error(qm, "query needs 'network'");
            bool netMatrix = netNode is YamlSequenceNode;
            var netNames = netMatrix ? ctx.Seq(netNode, "networks").Select(n => ctx.String(n, "network")).ToList() : [ctx.String(netNode, "network")];
            foreach (var (nn, node) in netNames.Zip(netMatrix ? ((YamlSequenceNode)netNode).Children : [netNode]))
                if (!networks.ContainsKey(nn)) throw ctx.Error(node, $"unknown network '{nn}'");
            string? net2 = null;
            if (Get(qm, "network2") is { } n2)
            {
                if (kind != "equiv") throw ctx.Error(n2, "'network2' belongs to equiv queries");
                string n2name = ctx.String(n2, "network2");
                net2 = networks.TryGetValue(n2name, out var p2) ? p2 : throw ctx.Error(n2, $"unknown network '{n2name}'");
            }
            else if (kind == "equiv") throw ctx.Error(qm, "an equiv query needs 'network2'");
            var boxNode = ctx.Required(qm, "box", "query");
            string boxName = ctx.String(boxNode, "box");
            var box = boxes.TryGetValue(boxName, out var bx) ? bx : throw ctx.Error(boxNode, $"unknown box '{boxName}'");
            var epsNode = ctx.Required(qm, "eps", "query");
            bool epsMatrix = epsNode is YamlSequenceNode;
            var epsList = epsMatrix ? ctx.Numbers(epsNode, "eps") : [ctx.Number(epsNode, "eps")];
            foreach (var e in epsList) if (!(e >= 0)) throw ctx.Error(epsNode, "eps must be ≥ 0");
            double? threshold = null;
            if (Get(qm, "threshold") is { } th)
            {
                if (kind != "certify") throw ctx.Error(th, "'threshold' belongs to certify queries (equiv compares against eps)");
                threshold = ctx.Number(th, "threshold");
                if (!(threshold >= 0)) throw ctx.Error(th, "threshold must be ≥ 0");
            }
            string? expect = null;
            if (Get(qm, "expect") is { } ex)
            {
                expect = ctx.String(ex, "expect");
                if (!Verdicts.Contains(expect)) throw ctx.Error(ex, $"expect '{expect}' is not verified, falsified or unknown");
                if (kind == "certify" && threshold is null) throw ctx.Error(ex, "a certify query with 'expect' needs 'threshold' (the verdict is U ≤ threshold)");
            }
            double[]? expectUpper = null;
            if (Get(qm, "expectUpper") is { } eu)
            {
                expectUpper = ctx.Numbers(eu, "expectUpper");
                if (expectUpper.Length != 2 || !(expectUpper[0] <= expectUpper[1])) throw ctx.Error(eu, "expectUpper must be [lo, hi] with lo ≤ hi");
            }
            double qTimeout = Get(qm, "timeout") is { } qt ? ctx.Positive(qt, "timeout") : timeout;
            string qMethod = Get(qm, "method") is { } qme ? ctx.String(qme, "method") : method;
            int qSeed = Get(qm, "seed") is { } qs ? ctx.Int(qs, "seed") : seed;
            var args = Get(qm, "args") is { } a ? ctx.Seq(a, "args").Select(x => ctx.String(x, "args entry")).ToList() : [];

            foreach (var nn in netNames)
                foreach (var e in epsList)
                {
                    string name = baseName + (netMatrix ? "/" + nn : "") + (epsMatrix ? "/eps=" + e.ToString("R", CultureInfo.InvariantCulture) : "");
                    if (!names.Add(name)) throw ctx.Error(qm, $"query name '{name}' occurs twice (give the queries distinct names)");
                    queries.Add(new SuiteQuery(queries.Count, name, kind, networks[nn], net2, box, e, threshold, expect, expectUpper,
                                               qTimeout, qMethod, qSeed, args));
                }
        }
        return new Suite(path, queries);
    }

    private static YamlNode? Get(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string Pos(Mark m) => $"{m.Line}:{m.Column}";

    /// <summary>The file being parsed, for positioned errors and relative paths.</summary>
    private sealed record Context(string File, string Directory)
    {
        public BadInputException Error(YamlNode node, string problem) => new(File, problem, Pos(node.Start));

        public string Resolve(string relative) => Path.GetFullPath(Path.Combine(Directory, relative));

        public YamlMappingNode Map(YamlNode n, string what) => n as YamlMappingNode ?? throw Error(n, $"{what} must be a mapping");

        public IReadOnlyList<YamlNode> Seq(YamlNode n, string what) => (n as YamlSequenceNode)?.Children.ToList() ?? throw Error(n, $"{what} must be a list");

        public YamlNode Required(YamlMappingNode m, string key, string what) => Get(m, key) ?? throw Error(m, $"{what} needs '{key}'");

        public void CheckKeys(YamlMappingNode m, string[] allowed, string what)
        {
            foreach (var key in m.Children.Keys)
            {
                string k = (key as YamlScalarNode)?.Value ?? throw Error(key, $"{what}: keys must be plain names");
                if (!allowed.Contains(k)) throw Error(key, $"unknown key '{k}' in {what} (allowed: {string.Join(", ", allowed)})");
            }
        }

        public string String(YamlNode n, string what) =>
            n is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(n, $"{what} must be a non-empty string");

        public double Number(YamlNode n, string what) =>
            n is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw Error(n, $"{what} must be a finite number");

        public double Positive(YamlNode n, string what) => Number(n, what) is var d && d > 0 ? d : throw Error(n, $"{what} must be > 0");

        public int Int(YamlNode n, string what) =>
            n is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i : throw Error(n, $"{what} must be an integer");

        public double[] Numbers(YamlNode n, string what) =>
            n is YamlSequenceNode s ? s.Children.Select(c => Number(c, what)).ToArray()
            : n is YamlScalarNode ? [Number(n, what)] : throw Error(n, $"{what} must be a number or a list of numbers");
    }
}
