using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Specs;
using Verify.Results;
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

    private static ExactNet Exact(double[][] a, double[] c) => ExactNet.FromNetwork(Shallow(a, c));

    private string Save(Network n, string name)
    {
        var p = Path.Combine(_dir, name);
        NetworkFiles.Write(n, p);
        return p;
    }

    // Balanced (|±4| = ‖(3,4)‖∞ = ‖(4,3)‖∞), directions not parallel, last two coordinates positive: in N*.
    private static Network Good() => Shallow([[3, 4], [4, 3]], [4, -4]);

    [Test]
    public void AGoodNetworkSatisfiesEverythingAndExitsZero()
    {
        var r = PaperConditions.Check(ExactNet.FromNetwork(Good()), null, null);
        Assert.That(r.AllHold, Is.True, string.Join("; ", r.Violations.Select(v => v.Detail)));
        Assert.That(r.InNStar, Is.True);
        Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", Save(Good(), "g.json")]), Is.EqualTo(0));
    }

    [Test]
    public void APlantedRedundantPairIsReportedByNeuron()
    {
        var r = PaperConditions.Check(Exact([[3, 4], [4, 3], [6, 8]], [4, -4, 8]), null, null);
        Assert.That(r.C2, Is.False);
        Assert.That(r.Balanced, Is.True);
        Assert.That(r.Violations.Single(v => v.Condition == "C.2").Detail, Does.Contain("neurons 0 and 2"));
        Assert.That(r.InNStar, Is.False);
    }

    [Test]
    public void APlantedOppositePairIsReportedWithinAndAcross()
    {
        var r = PaperConditions.Check(Exact([[3, 4], [-3, -4]], [4, 4]), ExactNet.FromNetwork(Good()), null);
        Assert.That(r.C3aGamma, Is.False);
        Assert.That(r.Violations.Any(v => v.Condition == "C.3(a)" && v.Detail.Contains("neurons 0 and 1")), Is.True);
        Assert.That(r.C3b, Is.False);   // Γ's (−3, −4) is opposite to Θ's (3, 4)
        Assert.That(r.LastTwoPositive, Is.False);
    }

    // C.1 depends on |g − R(Γ)| = r: only neurons with ‖c a‖∞ ≤ 2r must have |c|, ‖a‖∞ ≤ β.
    [Test]
    public void C1OnlyConstrainsTheSmallProducts()
    {
        var gamma = Exact([[4, 0], [0, 1]], [1.0 / 16, 1]);   // ‖c₀a₀‖∞ = 1/4, ‖c₁a₁‖∞ = 1
        var r = PaperConditions.Check(gamma, null, new Rational(1, 8));   // 2r = 1/4: neuron 0 only, β = 4
        Assert.That(r.Beta, Is.EqualTo((Rational)4));
        Assert.That(r.C1AtBalancedBeta, Is.False);
        r = PaperConditions.Check(gamma, null, new Rational(1, 16));      // 2r = 1/8: no neuron, β = 0
        Assert.That(r.Beta, Is.EqualTo(Rational.Zero));
        Assert.That(r.C1AtBalancedBeta, Is.True);
        r = PaperConditions.Check(gamma, null, 1);                         // 2r = 2: both, β = 4 ≤ … no: 16 > 2
        Assert.That(r.Beta, Is.EqualTo((Rational)4));
        Assert.That(r.C1AtBalancedBeta, Is.False);
    }

    // Each example violates what the paper says it shows (and 2.1, a sup-norm example, none of C.1–C.3).
    [TestCase("2.1", 3, "")]
    [TestCase("2.2", 16, "C.1,balanced")]
    [TestCase("2.3", 2, "C.2")]
    [TestCase("2.4", 2, "C.3(a)")]
    [TestCase("2.5", 2, "C.3(b)")]
    public void EveryExampleViolatesItsCondition(string id, int k, string expected)
    {
        var e = PaperExamples.Build(id, k);
        var t = TheoremCheck.Run(e.Gamma, e.Theta, e.Domain, null);
        var violated = t.Conditions.Violations.Select(v => v.Condition).Where(c => c != "N*").Distinct().OrderBy(c => c, StringComparer.Ordinal);
        Assert.That(string.Join(",", violated), Is.EqualTo(expected));
        if (id == "2.1")
        {
            // C.1–C.3 hold: Theorem 3.1 applies in the semi-norm (k²) and its bound 0 + 2k is above the fiber bound k.
            Assert.That(t.Outcome, Is.EqualTo(TheoremOutcome.Consistent));
            Assert.That(t.Guarantee31, Is.GreaterThanOrEqualTo(2.0 * k));
        }
        else if (id is "2.2") Assert.That(t.Outcome, Is.EqualTo(TheoremOutcome.Consistent));  // C.1 holds with β = r; the bound r + 2/√k ≥ r
        else Assert.That(t.Outcome, Is.EqualTo(TheoremOutcome.NotApplicable));
    }

    // Random pairs from N*: Theorem 3.3 must hold for the certified lemma bound (and Theorem 3.1 where it applies).
    [Test]
    public void RandomNStarPairsRespectTheTheorems()
    {
        var rng = new Random(11);
        int inNStar = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int d = 2 + trial % 2, m = 1 + rng.Next(3);
            ExactNet Net() => ShallowNeurons.Net(
                Enumerable.Range(0, m).Select(_ => Enumerable.Range(0, d).Select(k => k >= d - 2 ? new Rational(rng.Next(1, 9), 4) : new Rational(rng.Next(-8, 9), 4)).ToArray()).ToArray(),
                Enumerable.Repeat(Rational.One, m).ToArray());
            var g = Rebalance(Net()); var t = Rebalance(Net());
            if (!PaperConditions.Check(g, null, null).InNStar || !PaperConditions.Check(t, null, null).InNStar) continue;
            inNStar++;
            var u = new FiberDomain(Enumerable.Repeat(-Rational.One, d).ToArray(), Enumerable.Repeat(Rational.One, d).ToArray());
            var r = TheoremCheck.Run(g, t, u, null);
            Assert.That(r.Guarantee33, Is.Not.Null);
            Assert.That(r.Outcome, Is.Not.EqualTo(TheoremOutcome.Violated), r.Reason);
            Assert.That(r.FiberLower.ToDouble(), Is.LessThanOrEqualTo(r.Guarantee33!.Value));
        }
        Assert.That(inNStar, Is.GreaterThan(100));

        ExactNet Rebalance(ExactNet n) => ShallowNeurons.Net(n.Layers[0].W,
            n.Layers[0].W.Select(a => (rng.Next(2) == 0 ? 1 : -1) * ShallowNeurons.MaxAbs(a)).ToArray());
    }

    [Test]
    public void UnbalancedNeuronIsReportedAndTheCliExitsTwo()
    {
        var path = Save(Shallow([[3, 4], [4, 3]], [4, 2]), "u.json");
        var json = Path.Combine(_dir, "u.result.json");
        Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", path, "--json", json]), Is.EqualTo(2));
        var j = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((bool?)j["balanced"], Is.False);
        Assert.That(j["violations"]!.AsArray().Single()!["detail"]!.ToString(), Does.Contain("neuron 1"));
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
        var plots = Path.Combine(_dir, "plots");
        Assert.That(CliRunner.Code(["inverse-stability", "examples", "--k", "2", "--json", json, "--out-dir", outDir, "--plot", plots]), Is.EqualTo(0));
        foreach (var png in new[] { "ex2.1-k1-gamma.png", "ex2.3-k2-gk.png", "ex2.4-k2-gk.png", "ex2.5-k2-weights.png" })
            Assert.That(File.ReadAllBytes(Path.Combine(plots, png)).Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
        var doc = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((bool?)doc["paper"], Is.True);
        var rows = doc["examples"]!.AsArray();
        Assert.That(rows.Count, Is.EqualTo((2 + 1 + 1 + 1 + 1) * 2));   // 2.1 has the sup norm and the semi-norm
        Assert.That(rows.All(r => (bool?)r!["paper"] == true), Is.True);
        var row = rows.First(r => (string?)r!["example"] == "2.3" && (int?)r["k"] == 2)!;
        Assert.That((string?)row["norm"], Is.EqualTo("sobolev"));
        Assert.That((string?)row["realization"]!["upper"], Is.EqualTo("1/2"));
        Assert.That((string?)row["parameter"]!["lower"], Is.EqualTo("1"));
        Assert.That((string?)row["parameter"]!["upper"], Is.EqualTo("1"));
        foreach (var id in PaperExamples.Ids)
            Assert.That(File.Exists(Path.Combine(outDir, $"ex{id}-k2-theta.json")) && File.Exists(Path.Combine(outDir, $"ex{id}-k2-gamma.json")), Is.True, id);
        Assert.That(NetworkFiles.Read(Path.Combine(outDir, "ex2.4-k2-gamma.json")).Widths, Is.EqualTo(new[] { 2, 6, 1 }));
        Assert.That(NetworkFiles.Read(Path.Combine(outDir, "ex2.5-k2-theta.json")).Widths, Is.EqualTo(new[] { 3, 3, 1 }));
    }
}
