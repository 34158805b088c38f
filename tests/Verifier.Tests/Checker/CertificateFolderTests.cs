using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// The shared frame of the certificate tests: a fresh temp folder per test (certificates, tampered copies and copied
/// networks live there, so tampering touches nothing else), reading and saving certificate JSON, and `verify check`.
/// </summary>
public abstract class CertificateFolderTests
{
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(Dir = Path.Combine(Path.GetTempPath(), $"cert-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Dir, recursive: true);

    protected static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    protected string Save(JsonObject o)
    {
        string path = Path.Combine(Dir, $"tampered-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, o.ToJsonString());
        return path;
    }

    /// <summary>Copies the bundled net_4_50x3_2 into the folder as a.json and writes its float16-rounded copy b.json
    /// (every weight and bias rounded to the nearest half), the pair the top-1 equivalence tests compare.</summary>
    protected (string First, string Second) CopyNet4AndItsFloat16Copy()
    {
        string first = Path.Combine(Dir, "a.json"), second = Path.Combine(Dir, "b.json");
        File.Copy(TestData.Path("net_4_50x3_2.json"), first);
        var b = Load(first);
        foreach (var layer in b["layers"]!.AsArray())
        {
            foreach (var row in layer!["W"]!.AsArray()) RoundToHalf(row!.AsArray());
            RoundToHalf(layer["b"]!.AsArray());
        }
        File.WriteAllText(second, b.ToJsonString());
        return (first, second);
    }

    private static void RoundToHalf(JsonArray values)
    {
        for (int i = 0; i < values.Count; i++) values[i] = (double)(Half)values[i]!.GetValue<double>();
    }

    /// <summary>The nodes of a split-tree certificate and the index of its last leaf.</summary>
    protected static JsonArray Leaf(JsonObject o, out int index)
    {
        var nodes = o["nodes"]!.AsArray();
        var parents = nodes.Select(n => n!["parent"]!.GetValue<int>()).ToHashSet();
        index = Enumerable.Range(0, nodes.Count).Last(i => !parents.Contains(i));
        return nodes;
    }

    /// <summary>Halving a leaf's bound of output 0 must be rejected at that leaf, as below its exact bound.</summary>
    protected void LoweredLeafBoundIsRejectedIn(string certificate)
    {
        var o = Load(certificate);
        var nodes = Leaf(o, out int leaf);
        var bound = nodes[leaf]!["bound"]!.AsArray();
        bound[0] = bound[0]!.GetValue<double>() * 0.5;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"node {leaf} (a leaf)").And.Contain("below the exact bound"));
    }

    /// <summary>An equivalence certificate names its second network by SHA-256: editing that file invalidates it, and
    /// an unchanged copy passed with --net2 is accepted.</summary>
    protected void ChangedSecondNetworkIsRejectedAndACopyIsAcceptedIn(string certificate, string second)
    {
        string copy = Path.Combine(Dir, "copy-of-b.json");
        File.Copy(second, copy);
        var b = Load(second);
        var w = b["layers"]![1]!["W"]![0]!.AsArray();
        w[0] = w[0]!.GetValue<double>() + 0.125;
        File.WriteAllText(second, b.ToJsonString());

        var (code, output) = Check(certificate);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("second network file changed"));
        var (code2, output2) = Check(certificate, "--net2", copy);
        Assert.That(code2, Is.EqualTo(0), output2);
    }

    protected static (int Code, string Out) Check(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["check", .. args]);
        return (code, stdout + stderr);
    }
}
