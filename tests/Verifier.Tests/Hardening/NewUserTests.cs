using System.Text.Json.Nodes;

namespace Verify.Tests.Hardening;

/// <summary>What a new user trips over (issue 19, item 5): long boxes and long descriptions on the terminal.</summary>
[NonParallelizable]
public class NewUserTests
{
    [Test]
    public void InfoSummarisesA784DimensionalBoxAndKeepsItWholeInJson()
    {
        var vnn = TestData.Path("mnist_784_box.vnnlib");
        var json = Hostile.Scratch("info.json");
        try
        {
            var (code, stdout, err) = CliRunner.Run("info", "--net", TestData.Path("mnist_relu_3_100.nnet"), "--vnnlib", vnn, "--json", json);
            Assert.That(code, Is.EqualTo(0), err);
            var line = stdout.Split('\n').Single(l => l.StartsWith("input box:"));
            Assert.That(line, Does.Contain("784 dimensions").And.Contain("mnist_784_box.vnnlib").And.Contain("widths in [0.02, 0.04]"));
            Assert.That(line.Length, Is.LessThan(300), "a summary, not the box");
            var box = JsonNode.Parse(File.ReadAllText(json))!["box"]!;
            Assert.That(box["lo"]!.AsArray(), Has.Count.EqualTo(784));
        }
        finally { File.Delete(json); }
    }

    [Test]
    public void ASmallBoxIsStillPrintedInFull()
    {
        var (code, stdout, _) = CliRunner.Run("info", "--net", Hostile.Path("net_2_2_1.json"), "--lo", "-1,0", "--hi", "1,0.5");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("input box:   [[-1, 1], [0, 0.5]] (from --lo/--hi)"));
    }

    [Test]
    public void TheTopLevelHelpHasOneLinePerVerb()
    {
        var (code, stdout, _) = CliRunner.Run("--help");
        Assert.That(code, Is.EqualTo(0));
        var verbs = Verify.Program.BuildRoot().Subcommands.Select(c => c.Name).ToList();
        var listing = stdout[stdout.IndexOf("Commands:", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.That(listing, Has.Count.EqualTo(verbs.Count), string.Join("\n", listing));
        foreach (var line in listing) Assert.That(line.Length, Is.LessThanOrEqualTo(130), line);
    }

    [Test]
    public void AVerbsOwnHelpKeepsItsDetails()
    {
        var (code, stdout, _) = CliRunner.Run("complexity", "--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("covering-number bound").And.Contain("Berner, Grohs, Jentzen").And.Contain("--input-radius"));
    }
}

/// <summary>docs/suite.schema.json lists every certify method, z3 included, wherever it lists methods.</summary>
public class SchemaMethodTests
{
    [Test]
    public void EveryMethodListInTheSchemaNamesTheMethodsCertifyAccepts()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Verify.sln"))) dir = dir.Parent;
        var text = File.ReadAllText(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Verify.sln not found"), "docs", "suite.schema.json"));
        var lists = new List<JsonArray>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var kv in o)
                {
                    if (kv.Key == "method" && kv.Value is JsonObject m) lists.Add(m["enum"]?.AsArray() ?? []);
                    Walk(kv.Value);
                }
            }
            else if (n is JsonArray a) foreach (var x in a) Walk(x);
        }
        Walk(JsonNode.Parse(text));
        Assert.That(lists, Is.Not.Empty);
        foreach (var l in lists)
            Assert.That(l.Select(v => (string)v!), Is.EquivalentTo(new[] { "analytic", "ibp", "linear", "auto", "z3" }));
        // and certify really accepts each of them (an unknown one is a usage error)
        Assert.That(CliRunner.Run("certify", "--net", Hostile.Path("net_2_2_1.json"), "--lo", "-1", "--hi", "1", "--eps", "0", "--method", "nope").Code, Is.EqualTo(64));
    }
}
