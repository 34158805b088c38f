using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Tests.Equivalence;

namespace Verify.Tests.Cli;

public class EquivVerbTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "equiv-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(Verify.Model.Network net, string name)
    {
        var path = Path.Combine(_dir, name);
        NetworkFiles.Write(net, path);
        return path;
    }

    private static int Run(params string[] args) => CliRunner.Code(args);

    [Test]
    public void SymmetricCopyIsVerifiedWithJsonBoundZero()
    {
        var a = EquivFixtures.Random(1, 3, 8, 8, 2);
        string pa = Write(a, "a.json"), pb = Write(EquivFixtures.SymmetricCopy(a, 2), "b.json");
        string json = Path.Combine(_dir, "r.json");
        int rc = Run("equiv", "--net", pa, "--net2", pb, "--lo", "-1", "--hi", "1", "--eps", "0", "--json", json);
        Assert.That(rc, Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((string?)o["verdict"], Is.EqualTo("verified"));
        Assert.That((double?)o["upper"], Is.EqualTo(0.0));
        Assert.That(o["seconds"], Is.Not.Null);
        Assert.That((long?)o["splits"], Is.EqualTo(0));
    }

    [Test]
    public void PlantedDifferenceExitsOneWithWitnessInJson()
    {
        var a = EquivFixtures.Random(2, 2, 6, 2);
        string pa = Write(a, "a.json"), pb = Write(EquivFixtures.ShiftOutput(a, 1, 0.5), "b.json");
        string json = Path.Combine(_dir, "r.json"), trace = Path.Combine(_dir, "t.txt");
        int rc = Run("equiv", "--net", pa, "--net2", pb, "--lo=-1,-1", "--hi", "1,1", "--eps", "0.1", "--json", json, "--trace", trace, "--per-output");
        Assert.That(rc, Is.EqualTo(1));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((string?)o["verdict"], Is.EqualTo("falsified"));
        Assert.That((int?)o["witness"]!["output"], Is.EqualTo(1));
        Assert.That(o["witness"]!["x"]!.AsArray().Count, Is.EqualTo(2));
        Assert.That((double?)o["lower"], Is.EqualTo(0.5).Within(1e-12));
        Assert.That(File.ReadAllLines(trace), Is.Not.Empty);
    }

    [Test]
    public void TopOneDisagreementReportsBothClasses()
    {
        var a = EquivFixtures.Random(3, 2, 6, 3);
        var b = EquivFixtures.ShiftOutput(EquivFixtures.ShiftOutput(a, 0, 100), 1, -100);
        string pa = Write(a, "a.json"), pb = Write(b, "b.json");
        string box = Path.Combine(_dir, "box.json"), json = Path.Combine(_dir, "r.json");
        File.WriteAllText(box, "{\"lo\":[-1,-1],\"hi\":[1,1]}");
        int rc = Run("equiv", "--net", pa, "--net2", pb, "--box-file", box, "--top1", "--json", json);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That(rc, Is.EqualTo(1), o.ToJsonString());
        Assert.That((int?)o["witness"]!["class2"], Is.EqualTo(0));
        Assert.That(o["witness"]!["class1"], Is.Not.Null);
    }

    [Test]
    public void UsageErrorsAreExit64()
    {
        var a = EquivFixtures.Random(4, 2, 4, 2);
        string pa = Write(a, "a.json");
        Assert.That(Run("equiv", "--net", pa, "--net2", pa, "--lo", "0", "--hi", "1"), Is.EqualTo(64));               // neither --eps nor --top1
        Assert.That(Run("equiv", "--net", pa, "--net2", pa, "--lo", "0", "--hi", "1", "--eps", "1", "--top1"), Is.EqualTo(64));
        Assert.That(Run("equiv", "--net", pa, "--net2", Write(EquivFixtures.Random(5, 3, 4, 2), "c.json"), "--lo", "0", "--hi", "1", "--eps", "1"), Is.EqualTo(64));
        Assert.That(Run("equiv", "--net", pa, "--net2", pa, "--lo", "0", "--hi", "1", "--eps", "1", "--bounder", "nope"), Is.EqualTo(64));
        Assert.That(Run("equiv", "--net", pa, "--net2", pa, "--lo", "0", "--hi", "1", "--eps", "1", "--exact-parts", "maybe"), Is.EqualTo(64));
        Assert.That(Run("equiv", "--net", pa, "--net2", pa, "--lo", "0", "--hi", "1", "--eps", "1", "--exact-max-unstable", "-1"), Is.EqualTo(64));
    }

    [Test]
    public void RoundWritesTheRoundedCopy()
    {
        var a = EquivFixtures.Random(6, 2, 4, 2);
        var theta = a.Flatten(); theta[0] = 0.1;
        string pa = Write(a.WithParameters(theta), "a.json"), pb = Path.Combine(_dir, "a16.json"), json = Path.Combine(_dir, "r.json");
        Assert.That(Run("round", "--net", pa, "--to", "float16", "--out", pb, "--json", json), Is.EqualTo(0));
        var r = NetworkFiles.Read(pb);
        Assert.That(r.Flatten()[0], Is.EqualTo(0.0999755859375));
        Assert.That((double?)JsonNode.Parse(File.ReadAllText(json))!["maxAbsChange"], Is.GreaterThanOrEqualTo(0.1 - 0.0999755859375));
        Assert.That(Run("round", "--net", pa, "--to", "int4", "--out", pb), Is.EqualTo(64));
    }

    [TestCase("--trace", "t.csv")]
    [TestCase("--exact-parts", "off")]
    [TestCase("--bounder", "linear")]
    public void TopOneExecutionRefusesOptionsItWouldIgnore(string option, string value)
    {
        var a = EquivFixtures.Random(3, 2, 6, 3);
        string pa = Write(a, "a.json"), pb = Write(a, "b.json");
        if (option == "--trace") value = Path.Combine(_dir, value);
        var (code, _, stderr) = CliRunner.Run(["equiv", "--net", pa, "--net2", pb, "--lo", "-1", "--hi", "1", "--top1",
            "--execution", "float32", option, value]);
        Assert.That(code, Is.EqualTo(64));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{option} does not combine with --top1 --execution"));
        Assert.That(File.Exists(Path.Combine(_dir, "t.csv")), Is.False);
    }
}
