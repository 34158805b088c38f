using System.Text.Json.Nodes;
using Verify.Suites;
using Verify.Suites.Kinds;

namespace Verify.Tests.Suites;

/// <summary>
/// docs/suite.schema.json, the published schema, lists exactly the keys the parser accepts. (No JSON Schema validator is
/// referenced by the project, so the examples are not validated against it here; docs/suite.md says how to do that.)
/// </summary>
public class SuiteSchemaTests
{
    private static JsonNode Schema()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Verify.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Verify.sln not found"), "docs", "suite.schema.json");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    private static IEnumerable<string> Properties(JsonNode node) => node["properties"]!.AsObject().Select(p => p.Key);

    [Test]
    public void TopLevelDefaultsNetworksAndBoxesListTheParsersKeys()
    {
        var s = Schema();
        Assert.That((string?)s["$schema"], Does.StartWith("https://json-schema.org/"));
        Assert.That(Properties(s), Is.EquivalentTo(SuiteParser.TopKeys));
        var defs = s["$defs"]!;
        Assert.That(Properties(defs["defaults"]!), Is.EquivalentTo(SuiteParser.DefaultKeys));
        Assert.That(Properties(defs["network"]!), Is.EquivalentTo(SuiteParser.NetworkKeys));
        Assert.That(Properties(defs["box"]!), Is.EquivalentTo(SuiteParser.BoxKeys));
        foreach (var name in new[] { "defaults", "network", "box" })
            Assert.That((bool?)defs[name]!["additionalProperties"], Is.False, name);
    }

    [Test]
    public void EveryKindHasADefinitionWithExactlyItsKeysAndVerdicts()
    {
        var defs = Schema()["$defs"]!;
        var dispatch = defs["query"]!;
        Assert.That(dispatch["properties"]!["kind"]!["enum"]!.AsArray().Select(k => (string)k!), Is.EquivalentTo(QueryKinds.All.Select(k => k.Name)));
        var branches = dispatch["allOf"]!.AsArray().ToDictionary(b => (string)b!["if"]!["properties"]!["kind"]!["const"]!, b => (string)b!["then"]!["$ref"]!);
        foreach (var kind in QueryKinds.All)
        {
            Assert.That(branches[kind.Name], Is.EqualTo("#/$defs/" + kind.Name));
            var def = defs[kind.Name]!;
            Assert.That((bool?)def["additionalProperties"], Is.False, kind.Name);
            Assert.That(Properties(def), Is.EquivalentTo(kind.Keys), kind.Name);
            Assert.That((string?)def["properties"]!["kind"]!["const"], Is.EqualTo(kind.Name));
            var expect = def["properties"]!["expect"];
            if (kind.Verdicts.Count == 0) Assert.That(expect, Is.Null, kind.Name);
            else Assert.That(expect!["enum"]!.AsArray().Select(v => (string)v!), Is.EquivalentTo(kind.Verdicts), kind.Name);
            foreach (var key in kind.SweepKeys) Assert.That(def["properties"]![key], Is.Not.Null, $"{kind.Name}.{key}");
        }
    }

    [Test]
    public void NestedExpectationsListTheParsersKeys()
    {
        var defs = Schema()["$defs"]!;
        Assert.That(Properties(defs["sensitivity"]!["properties"]!["expectQuantiles"]!), Is.EquivalentTo(SensitivityKind.QuantileKeys));
        Assert.That(Properties(defs["exampleRow"]!), Is.EquivalentTo(InverseStabilityExamplesKind.RowKeys));
    }
}
