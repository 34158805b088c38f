using System.Globalization;
using Verify.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Verify.Suites;

/// <summary>
/// Typed reads of YAML nodes of one suite file: every failure is a <see cref="BadInputException"/> naming the file and
/// the node's line and column. Relative paths resolve against the suite's directory.
/// </summary>
public sealed record SuiteYaml(string File, string Directory)
{
    public static string Pos(Mark m) => $"{m.Line}:{m.Column}";

    public static YamlNode? Get(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public BadInputException Error(YamlNode node, string problem) => new(File, problem, Pos(node.Start));

    public string Resolve(string relative) => Path.GetFullPath(Path.Combine(Directory, relative));

    public YamlMappingNode Map(YamlNode n, string what) => n as YamlMappingNode ?? throw Error(n, $"{what} must be a mapping");

    public IReadOnlyList<YamlNode> Seq(YamlNode n, string what) => (n as YamlSequenceNode)?.Children.ToList() ?? throw Error(n, $"{what} must be a list");

    public YamlNode Required(YamlMappingNode m, string key, string what) => Get(m, key) ?? throw Error(m, $"{what} needs '{key}'");

    public void CheckKeys(YamlMappingNode m, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var key in m.Children.Keys)
        {
            string k = (key as YamlScalarNode)?.Value ?? throw Error(key, $"{what}: keys must be plain names");
            if (!allowed.Contains(k)) throw Error(key, $"unknown key '{k}' in {what} (allowed: {string.Join(", ", allowed)})");
        }
    }

    public string String(YamlNode n, string what) =>
        n is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(n, $"{what} must be a non-empty string");

    /// <summary>A string from a fixed vocabulary.</summary>
    public string OneOf(YamlNode n, string what, IReadOnlyCollection<string> allowed) =>
        String(n, what) is var s && allowed.Contains(s) ? s : throw Error(n, $"{what} '{s}' is not one of {string.Join(", ", allowed)}");

    public double Number(YamlNode n, string what) =>
        n is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : throw Error(n, $"{what} must be a finite number");

    public double Positive(YamlNode n, string what) => Number(n, what) is var d && d > 0 ? d : throw Error(n, $"{what} must be > 0");

    public int Int(YamlNode n, string what) =>
        n is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i : throw Error(n, $"{what} must be an integer");

    public bool Bool(YamlNode n, string what) =>
        n is YamlScalarNode { Value: "true" or "false" } s ? s.Value == "true" : throw Error(n, $"{what} must be true or false");

    public double[] Numbers(YamlNode n, string what) =>
        n is YamlSequenceNode s ? s.Children.Select(c => Number(c, what)).ToArray()
        : n is YamlScalarNode ? [Number(n, what)] : throw Error(n, $"{what} must be a number or a list of numbers");

    /// <summary>[lo, hi] with lo ≤ hi: an expected range.</summary>
    public double[] Range(YamlNode n, string what)
    {
        var r = n is YamlSequenceNode ? Numbers(n, what) : throw Error(n, $"{what} must be [lo, hi]");
        return r.Length == 2 && r[0] <= r[1] ? r : throw Error(n, $"{what} must be [lo, hi] with lo ≤ hi");
    }
}
