using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Model;

namespace Verify.Tests.Symmetry;

public class SymmetryCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "verify-symmetry-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Save(Network net, string name)
    {
        var path = Path.Combine(_dir, name);
        NetworkFiles.Write(net, path);
        return path;
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static JsonNode ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Test]
    public void CanonOfARescaledPermutedCopyIsTheSameFile()
    {
        var rng = new Random(61);
        var net = RandomNets.Create(rng, 4, 6, 5, 2);
        var a = Save(net, "a.json");
        var b = Save(RandomNets.PermutedScaledCopy(rng, net, pow2: true), "b.json");
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("ca.json"), "--exact-scaling", "--json", P("ca.result.json")]), Is.EqualTo(0));
        Assert.That(CliRunner.Code(["canon", "--net", b, "--out", P("cb.json"), "--exact-scaling"]), Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(P("cb.json")), Is.EqualTo(File.ReadAllBytes(P("ca.json"))));
        var j = ReadJson(P("ca.result.json"));
        Assert.That((string?)j["form"], Is.EqualTo("balanced"));
        Assert.That((bool?)j["exactScaling"], Is.True);
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("ua.json"), "--form", "unit-incoming"]), Is.EqualTo(0));
    }

    [Test]
    public void CanonPruneReportsRemovedNeurons()
    {
        var net = new Network([
            DenseLayer.FromRows([[1.0, -1.0], [0.0, 0.0], [2.0, 1.0]], [0.25, -1.0, 0.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, 5.0, 0.0]], [0.5], Activation.Identity)]);
        var a = Save(net, "a.json");
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("c.json"), "--prune", "--json", P("r.json")]), Is.EqualTo(0));
        var pruned = ReadJson(P("r.json"))["pruned"]!.AsArray();
        Assert.That(pruned.Select(x => (int)x!["neuron"]!), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(NetworkFiles.Read(P("c.json")).Widths, Is.EqualTo(new[] { 2, 1, 1 }));
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("c2.json"), "--lo", "0"]), Is.EqualTo(64), "--lo without --prune");
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("c3.json"), "--prune", "--lo", "0,0,0", "--hi", "1"]), Is.EqualTo(64));
        Assert.That(CliRunner.Code(["canon", "--net", a, "--out", P("c4.json"), "--form", "fancy"]), Is.EqualTo(64));
    }

    [Test]
    public void DistanceReportsZeroForCopiesAndWritesTheAlignedNetwork()
    {
        var rng = new Random(62);
        var net = RandomNets.Create(rng, 5, 12, 3);
        var a = Save(net, "a.json");
        var b = Save(RandomNets.PermutedScaledCopy(rng, net, pow2: true), "b.json");
        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", b, "--json", P("d.json"), "--aligned-out", P("phi.json")]), Is.EqualTo(0));
        var j = ReadJson(P("d.json"));
        Assert.That((double)j["distance"]!, Is.EqualTo(0.0));
        Assert.That((string?)j["modulo"], Is.EqualTo("perm+scale"));
        Assert.That((bool)j["exact"]!, Is.True);
        Assert.That(NetworkFiles.Read(P("phi.json")).Flatten(), Is.EqualTo(net.Flatten()));

        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", b, "--modulo", "none", "--json", P("n.json")]), Is.EqualTo(0));
        Assert.That((double)ReadJson(P("n.json"))["distance"]!, Is.GreaterThan(0.5));

        var other = Save(RandomNets.Noised(rng, net, 1e-3), "c.json");
        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", other, "--heuristic", "--json", P("h.json")]), Is.EqualTo(0));
        Assert.That((bool)ReadJson(P("h.json"))["exact"]!, Is.False);
        Assert.That((double)ReadJson(P("h.json"))["distance"]!, Is.GreaterThan(0).And.LessThanOrEqualTo(1e-3));
        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", b, "--matcher", "quikgraph", "--modulo", "perm", "--json", P("q.json")]), Is.EqualTo(0));
        Assert.That((double)ReadJson(P("q.json"))["distance"]!, Is.GreaterThan(0));
    }

    [Test]
    public void DistanceRejectsDifferentArchitecturesAndConflictingOptions()
    {
        var rng = new Random(63);
        var a = Save(RandomNets.Create(rng, 5, 12, 3), "a.json");
        var b = Save(RandomNets.Create(rng, 5, 11, 3), "b.json");
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try
        {
            Assert.That(Program.Main(["distance", "--net", a, "--net2", b]), Is.EqualTo(65));
        }
        finally { Console.SetError(old); }
        Assert.That(err.ToString(), Does.Contain("architectures differ"));
        Assert.That(err.ToString().Trim().Split('\n'), Has.Length.EqualTo(1), "one-line message");
        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", a, "--exact", "--heuristic"]), Is.EqualTo(64));
        Assert.That(CliRunner.Code(["distance", "--net", a, "--net2", P("missing.json")]), Is.EqualTo(65));
    }

    [Test]
    public void ComplexityReportsCountsAndThePermutationDiscount()
    {
        var a = Save(RandomNets.Create(new Random(64), 4, 128, 1), "a.json");
        Assert.That(CliRunner.Code(["complexity", "--net", a, "--input-radius", "1", "--eps", "0.01", "--json", P("c.json")]), Is.EqualTo(0));
        var j = ReadJson(P("c.json"));
        Assert.That((int)j["parameters"]!, Is.EqualTo(4 * 128 + 128 + 128 + 1));
        Assert.That((int)j["neurons"]!, Is.EqualTo(128));
        Assert.That((int)j["depth"]!, Is.EqualTo(2));
        Assert.That((double)j["permutationDiscountLog10"]!, Is.EqualTo(215.586).Within(1e-3));
        Assert.That((double)j["logCoveringModuloPermutation"]!, Is.EqualTo((double)j["logCovering"]! - (double)j["permutationDiscount"]!).Within(1e-6));
        Assert.That(j["distinctNeurons"]!.AsArray().Select(x => (int)x!), Is.EqualTo(new[] { 128 }));
        Assert.That(CliRunner.Code(["complexity", "--net", a, "--input-radius", "-1"]), Is.EqualTo(64));
        Assert.That(CliRunner.Code(["complexity", "--net", a]), Is.EqualTo(64), "--input-radius is required");
    }
}
