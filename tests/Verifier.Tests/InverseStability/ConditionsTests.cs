using System.Text.Json.Nodes;
using Verify.InverseStability;
using Verify.Io;
using Verify.Model;

namespace Verify.Tests.InverseStability;

public class ConditionsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "verify-inverse-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Network Shallow(double[][] a, double[] c) =>
        new([DenseLayer.FromRows(a, new double[a.Length], Activation.Relu),
             DenseLayer.FromRows([c], [0.0], Activation.Identity)]);

    private string Save(Network n, string name)
    {
        var p = Path.Combine(_dir, name);
        NetworkFiles.Write(n, p);
        return p;
    }

    // Balanced (‖(3,4)‖ = 5 = |±5|), directions not parallel, last two weights positive.
    private static Network Good() => Shallow([[3, 4], [4, 3]], [5, -5]);

    [Test]
    public void AGoodNetworkSatisfiesEverythingAndExitsZero()
    {
        var r = ShallowConditions.Check(Good(), null);
        Assert.That(r.AllHold, Is.True, string.Join("; ", r.Violations.Select(v => v.Detail)));
        Assert.That(r.InNStar, Is.True);
        Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", Save(Good(), "g.json")]), Is.EqualTo(0));
    }

    [Test]
    public void APlantedRedundantPairIsReportedByNeuron()
    {
        var n = Shallow([[3, 4], [4, 3], [6, 8]], [5, -5, 10]);
        var r = ShallowConditions.Check(n, null);
        Assert.That(r.NoRedundant, Is.False);
        Assert.That(r.Balanced, Is.True);
        Assert.That(r.Violations.Single(v => v.Condition == "C.2").Detail, Does.Contain("neurons 0 and 2"));
        Assert.That(r.InNStar, Is.False);
    }

    [Test]
    public void APlantedOppositePairIsReportedWithinAndAcross()
    {
        var n = Shallow([[3, 4], [-3, -4]], [5, 5]);
        var r = ShallowConditions.Check(n, Good());
        Assert.That(r.NoOpposite, Is.False);
        Assert.That(r.Violations.Any(v => v.Condition == "C.3" && v.Detail.Contains("neurons 0 and 1")), Is.True);
        Assert.That(r.NoOppositeAcross, Is.False);   // Γ's (−3, −4) is opposite to Θ's (3, 4)
        Assert.That(r.LastTwoPositive, Is.False);
    }

    [Test]
    public void UnbalancedNeuronIsReportedAndTheCliExitsTwo()
    {
        var n = Shallow([[3, 4], [4, 3]], [5, 2]);
        var path = Save(n, "u.json");
        var json = Path.Combine(_dir, "u.result.json");
        Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", path, "--json", json]), Is.EqualTo(2));
        var j = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((bool?)j["balanced"], Is.False);
        Assert.That((double?)j["beta"], Is.EqualTo(3.0).Within(1e-12));
    }

    [Test]
    public void HiddenBiasIsBadInput()
    {
        var n = new Network([new DenseLayer(1, 2, [1, 1], [0.5], Activation.Relu), new DenseLayer(1, 1, [1], [0], Activation.Identity)]);
        Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", Save(n, "b.json")]), Is.EqualTo(65));
    }

    [Test]
    public void ExamplesVerbWritesJsonAndNetworks()
    {
        var json = Path.Combine(_dir, "ex.json");
        var outDir = Path.Combine(_dir, "nets");
        Assert.That(CliRunner.Code(["inverse-stability", "examples", "--k", "2", "--json", json, "--out-dir", outDir]), Is.EqualTo(0));
        var rows = JsonNode.Parse(File.ReadAllText(json))!["examples"]!.AsArray();
        Assert.That(rows.Count, Is.EqualTo(5 * 2 * 2));
        var row = rows.First(r => (string?)r!["example"] == "2.4" && (int?)r["k"] == 2 && (string?)r["norm"] == "sobolev")!;
        Assert.That((string?)row["realization"]!["upper"], Is.EqualTo("1/2"));
        Assert.That((string?)row["parameter"]!["lower"], Is.EqualTo("2"));
        Assert.That(File.Exists(Path.Combine(outDir, "ex2.4-k2-theta.json")), Is.True);
        var back = NetworkFiles.Read(Path.Combine(outDir, "ex2.4-k2-gamma.json"));
        Assert.That(back.Widths, Is.EqualTo(new[] { 1, 2, 1 }));
    }
}
