using System.Globalization;
using Verify.Errors;
using YamlDotNet.Core;
using Verify.Suites.Kinds;
using YamlDotNet.RepresentationModel;

namespace Verify.Suites;

/// <summary>
/// Reads a suite file (YAML, so JSON too) through YamlDotNet's representation model, validating every key and type
/// itself so that each error names the file, line and column. Expands network and sweep (ε) lists into one query per
/// combination. Each kind (Kinds/) names the keys it accepts and parses its own.
/// </summary>
public static class SuiteParser
{
    // The keys of each mapping; docs/suite.schema.json lists the same (a test compares them). Query keys are per kind.
    public static readonly IReadOnlyList<string> TopKeys = ["defaults", "networks", "boxes", "queries"];
    public static readonly IReadOnlyList<string> DefaultKeys = ["timeout", "method", "seed"];
    public static readonly IReadOnlyList<string> NetworkKeys = ["name", "path"];
    public static readonly IReadOnlyList<string> BoxKeys = ["name", "lo", "hi", "file", "vnnlib"];

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
        var ctx = new SuiteYaml(path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
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
        catch (ArgumentException)
        {
            // ... and this one ("The current event is of an unsupported type") on some malformed input found by fuzzing.
            throw new BadInputException(path, "YAML syntax error", parser.Current is { } ev ? Pos(ev.Start) : null);
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
            queries.AddRange(ParseQuery(ctx, ctx.Map(q, "query"), networks, boxes, names, queries.Count, timeout, method, seed));
        return new Suite(path, queries);
    }

    /// <summary>One query entry: common keys here, the kind's own keys in its ParseSpec; expanded over networks × sweep values.</summary>
    private static IEnumerable<SuiteQuery> ParseQuery(SuiteYaml ctx, YamlMappingNode qm, Dictionary<string, string> networks,
        Dictionary<string, SuiteBox> boxes, HashSet<string> names, int firstIndex, double timeout, string method, int seed)
    {
        var kindNode = ctx.Required(qm, "kind", "query");
        string kindName = ctx.String(kindNode, "kind");
        var kind = QueryKinds.Find(kindName)
            ?? throw ctx.Error(kindNode, $"kind '{kindName}' is not one of {string.Join(", ", QueryKinds.All.Select(k => k.Name))}");
        ctx.CheckKeys(qm, kind.Keys, $"{kind.Name} query");
        string baseName = Get(qm, "name") is { } qn ? ctx.String(qn, "name") : kind.Name;

        bool takesNetwork = kind.Keys.Contains("network");
        if (Get(qm, "network") is not null && Get(qm, "networks") is not null) throw ctx.Error(qm, "give 'network' or 'networks', not both");
        var netNode = Get(qm, "network") ?? Get(qm, "networks");
        if (takesNetwork && netNode is null) throw ctx.Error(qm, $"a {kind.Name} query needs 'network'");
        bool netMatrix = netNode is YamlSequenceNode;
        List<string?> netNames = netNode is null ? [null]
            : netMatrix ? ctx.Seq(netNode, "networks").Select(n => (string?)ctx.String(n, "network")).ToList() : [ctx.String(netNode, "network")];
        if (netNames.Count == 0) throw ctx.Error(netNode!, "networks must not be an empty list");
        if (netNode is not null)
            foreach (var (nn, node) in netNames.Zip(netMatrix ? ((YamlSequenceNode)netNode).Children : [netNode]))
                if (!networks.ContainsKey(nn!)) throw ctx.Error(node, $"unknown network '{nn}'");
        string? net2 = null;
        if (Get(qm, "network2") is { } n2)
        {
            string n2name = ctx.String(n2, "network2");
            net2 = networks.TryGetValue(n2name, out var p2) ? p2 : throw ctx.Error(n2, $"unknown network '{n2name}'");
        }
        else if (kind.Network2 == SecondNetwork.Required) throw ctx.Error(qm, $"a {kind.Name} query needs 'network2'");

        SuiteBox? box = null;
        if (Get(qm, "box") is { } boxNode)
        {
            string boxName = ctx.String(boxNode, "box");
            box = boxes.TryGetValue(boxName, out var bx) ? bx : throw ctx.Error(boxNode, $"unknown box '{boxName}'");
        }
        else if (kind.NeedsBox) throw ctx.Error(qm, $"a {kind.Name} query needs 'box'");

        var sweepKeys = kind.SweepKeys.Where(k => Get(qm, k) is not null).ToList();
        if (sweepKeys.Count > 1) throw ctx.Error(qm, $"give only one of {string.Join(", ", kind.SweepKeys)}");
        if (kind.NeedsSweep && sweepKeys.Count == 0) throw ctx.Error(qm, $"a {kind.Name} query needs '{kind.SweepKeys[0]}'");
        string? sweepKey = sweepKeys.SingleOrDefault();
        bool sweepMatrix = false;
        IReadOnlyList<double?> sweep = [null];
        if (sweepKey is not null)
        {
            var node = Get(qm, sweepKey)!;
            sweepMatrix = node is YamlSequenceNode;
            var values = ctx.Numbers(node, sweepKey);
            if (values.Length == 0) throw ctx.Error(node, $"{sweepKey} must not be an empty list");
            foreach (var e in values) if (!(e >= 0)) throw ctx.Error(node, $"{sweepKey} must be ≥ 0");
            sweep = values.Select(v => (double?)v).ToList();
        }

        string? expect = Get(qm, "expect") is { } ex ? ctx.OneOf(ex, "expect", kind.Verdicts) : null;
        double[]? expectUpper = Get(qm, "expectUpper") is { } eu ? ctx.Range(eu, "expectUpper") : null;
        double qTimeout = Get(qm, "timeout") is { } qt ? ctx.Positive(qt, "timeout") : timeout;
        string qMethod = Get(qm, "method") is { } qme ? ctx.String(qme, "method") : method;
        int qSeed = Get(qm, "seed") is { } qs ? ctx.Int(qs, "seed") : seed;
        var args = Get(qm, "args") is { } a ? ctx.Seq(a, "args").Select(x => ctx.String(x, "args entry")).ToList() : [];
        var spec = kind.ParseSpec(ctx, qm, new ParsedCommon(expect, box, sweepKey));

        int index = firstIndex;
        var expanded = new List<SuiteQuery>();
        foreach (var nn in netNames)
            foreach (var e in sweep)
            {
                string name = baseName + (netMatrix ? "/" + nn : "")
                              + (sweepMatrix ? $"/{sweepKey}=" + e!.Value.ToString("R", CultureInfo.InvariantCulture) : "");
                if (!names.Add(name)) throw ctx.Error(qm, $"query name '{name}' occurs twice (give the queries distinct names)");
                expanded.Add(new SuiteQuery(index++, name, kind.Name, nn is null ? null : networks[nn], net2, box, e, expect, expectUpper,
                                            qTimeout, qMethod, qSeed, args) { Spec = spec });
            }
        return expanded;
    }

    private static YamlNode? Get(YamlMappingNode m, string key) => SuiteYaml.Get(m, key);

    private static string Pos(Mark m) => SuiteYaml.Pos(m);
}
