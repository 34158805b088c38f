using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Model;
using Verify.Tests.Equivalence;

namespace Verify.Tests.Cli;

public class RealizationDistanceVerbTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "realdist-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(Network net, string name)
    {
        var path = Path.Combine(_dir, name);
        NetworkFiles.Write(net, path);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    /// <summary>Outputs ρ(x) + 3ρ(x + y − kink) and ρ(y).</summary>
    private static Network Kinked(double kink) => new([
        DenseLayer.FromRows([[1, 0], [1, 1], [0, 1]], [0, -kink, 0], Activation.Relu),
        DenseLayer.FromRows([[1, 3, 0], [0, 0, 1]], [0, 0], Activation.Identity)]);

    [Test]
    public void MovedKinkGivesBothExactDistancesInJson()
    {
        string a = Write(Kinked(0.5), "a.json"), b = Write(Kinked(0.25), "b.json"), json = Path.Combine(_dir, "r.json");
        var (rc, stdout, _) = Run("realization-distance", "--net", a, "--net2", b, "--lo", "-1", "--hi", "1", "--timeout", "30", "--json", json);
        Assert.That(rc, Is.EqualTo(0), stdout);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((string?)o["norm"], Is.EqualTo("both"));
        var sup = o["sup"]!; var sob = o["sobolev"]!;
        Assert.That((bool?)sup["exact"], Is.True);
        Assert.That((string?)sup["lowerExact"], Is.EqualTo("3/4"));
        Assert.That((double?)sup["upper"], Is.EqualTo(0.75));
        Assert.That((bool?)sob["exact"], Is.True);
        Assert.That((double?)sob["lower"], Is.EqualTo(6.0));
        Assert.That((double?)sob["upper"], Is.EqualTo(6.0));
        var x = sob["witness"]!["x"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.That(x[0] + x[1], Is.GreaterThan(0.25).And.LessThan(0.5));
        Assert.That(sob["regions"], Is.Not.Null);
        Assert.That(sob["seconds"], Is.Not.Null);
        Assert.That((double?)o["w1inf"]!["upper"], Is.EqualTo(6.0));
        Assert.That(stdout, Does.Contain("exact: 6"));
    }

    [Test]
    public void SelfDistanceIsZeroInBothNorms()
    {
        var n = EquivFixtures.Random(3, 2, 5, 5, 1);
        string a = Write(n, "a.json"), json = Path.Combine(_dir, "r.json");
        foreach (var norm in new[] { "sup", "sobolev" })
        {
            var (rc, stdout, _) = Run("realization-distance", "--net", a, "--net2", a, "--lo", "-1", "--hi", "1", "--norm", norm, "--json", json);
            Assert.That(rc, Is.EqualTo(0), stdout);
            var o = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.That((string?)o["norm"], Is.EqualTo(norm));
            Assert.That((bool?)o["exact"], Is.True, norm);
            Assert.That((double?)o["upper"], Is.EqualTo(0.0), norm);
        }
    }

    [Test]
    public void MismatchedNetworksAndBadFilesAreDataErrors()
    {
        string a = Write(EquivFixtures.Random(1, 2, 4, 1), "a.json");
        string threeInputs = Write(EquivFixtures.Random(2, 3, 4, 1), "b.json");
        string twoOutputs = Write(EquivFixtures.Random(3, 2, 4, 2), "c.json");
        string nan = Path.Combine(_dir, "nan.json");
        File.WriteAllText(nan, "{\"layers\":[{\"W\":[[NaN, 1]],\"b\":[0],\"activation\":\"identity\"}]}");
        foreach (var other in new[] { threeInputs, twoOutputs, nan })
        {
            var (rc, _, err) = Run("realization-distance", "--net", a, "--net2", other, "--lo", "0", "--hi", "1");
            Assert.That(rc, Is.EqualTo(65), err);
            Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(err, Does.Contain(Path.GetFileName(other)));
        }
        Assert.That(Run("realization-distance", "--net", a, "--net2", a, "--lo", "0", "--hi", "1", "--norm", "l2").Code, Is.EqualTo(64));
        Assert.That(Run("realization-distance", "--net", a, "--net2", a).Code, Is.EqualTo(64));
    }

    [Test]
    public void ATimeLimitGivesAnHonestBracketAndExitTwo()
    {
        var net = TestData.Network("net_2_16_16_1.json");
        string a = Write(net, "a.json"), b = Write(EquivFixtures.Jitter(net, 0.01, 1), "b.json"), json = Path.Combine(_dir, "r.json");
        var (rc, stdout, _) = Run("realization-distance", "--net", a, "--net2", b, "--lo", "-1", "--hi", "1", "--norm", "sobolev",
                                  "--timeout", "0.3", "--json", json);
        Assert.That(rc, Is.EqualTo(2), stdout);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((bool?)o["exact"], Is.False);
        Assert.That((bool?)o["timedOut"], Is.True);
        Assert.That((double)o["upper"]!, Is.GreaterThanOrEqualTo((double)o["lower"]!));
        Assert.That(stdout, Does.Contain("stopped by the time limit"));
    }
}
