using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Specs;
using Verify.Results;
using Verify.Io;
using Verify.Model;

namespace Verify.Tests.InverseStability;

public class TheoremCheckTests
{
    private static readonly FiberOptions Fast = new() { Points = 12, CheckTimeout = TimeSpan.FromSeconds(2), MaxChecks = 10 };
    private static readonly FiberDomain Square = new([-1, -1], [1, 1]);

    private static Network Shallow(double[][] a, double[] c) =>
        new([DenseLayer.FromRows(a, new double[a.Length], Activation.Relu),
             DenseLayer.FromRows([c], [0.0], Activation.Identity)]);

    private static ExactNet Exact(double[][] a, double[] c) => ExactNet.FromNetwork(Shallow(a, c));

    private static Network Good() => Shallow([[3, 4], [4, 3]], [4, -4]);

    // Θ changes one outgoing weight by 1/2: R(Γ) − R(Θ) = −½ρ(4x + 3y), gradient −½(4, 3) where active, so the paper's
    // semi-norm (largest |partial|) is 2 by hand. C.1: neurons with ‖c a‖∞ ≤ 4 — none (both are 16), so β = 0 and
    // Theorem 3.1 promises 2√2; both networks are in N*? Θ is not balanced (|−3.5| ≠ 4), so only Theorem 3.1 applies.
    [Test]
    public void AnInstanceSatisfyingTheConditionsIsConsistent()
    {
        var r = TheoremCheck.Run(ExactNet.FromNetwork(Good()), Exact([[3, 4], [4, 3]], [4, -3.5]), Square, Fast);
        Assert.That(r.Realization.Value, Is.EqualTo((Rational)2));
        Assert.That(r.Realization.Exact, Is.True);
        Assert.That(r.Conditions.Beta, Is.EqualTo(Rational.Zero));
        Assert.That(r.Guarantee31, Is.GreaterThanOrEqualTo(2 * Math.Sqrt(2)).And.LessThan(2 * Math.Sqrt(2) + 1e-9));
        Assert.That(r.Guarantee33, Is.Null);
        Assert.That(r.Outcome, Is.EqualTo(TheoremOutcome.Consistent));
        // The fiber distance is ½ at most (move the one outgoing weight back): the certified bound must not pass it.
        Assert.That(r.FiberLower, Is.LessThanOrEqualTo(new Rational(1, 2)));
        Assert.That(r.Fiber!.Upper!.Distance, Is.GreaterThanOrEqualTo(r.FiberLower));
    }

    [Test]
    public void BothInNStarGivesTheFourRootBound()
    {
        // Θ: directions (3,4) and (12,5), outgoing 4 and −12: balanced, no parallel pair, last two weights positive.
        var r = TheoremCheck.Run(ExactNet.FromNetwork(Good()), Exact([[3, 4], [12, 5]], [4, -12]), Square, Fast);
        Assert.That(r.Guarantee33, Is.GreaterThanOrEqualTo(4 * Math.Sqrt(r.Realization.Value.ToDouble()) * (1 - 1e-12)));
        Assert.That(r.Outcome, Is.EqualTo(TheoremOutcome.Consistent));
        Assert.That(r.FiberLower.ToDouble(), Is.LessThanOrEqualTo(r.Guarantee33!.Value));
    }

    [Test]
    public void OppositeDirectionsAcrossMakeItNotApplicable()
    {
        var r = TheoremCheck.Run(ExactNet.FromNetwork(Good()), Exact([[-3, -4], [-4, -3]], [4, -4]), Square, null);
        Assert.That(r.Conditions.C3b, Is.False);
        Assert.That(r.Outcome, Is.EqualTo(TheoremOutcome.NotApplicable));
    }

    [Test]
    public void OnlyACertifiedExcessIsAViolation()
    {
        Assert.That(TheoremCheck.Decide(true, 5, 4.0).Item1, Is.EqualTo(TheoremOutcome.Violated));
        Assert.That(TheoremCheck.Decide(true, 4, 4.0).Item1, Is.EqualTo(TheoremOutcome.Consistent));
        Assert.That(TheoremCheck.Decide(false, 100, 1.0).Item1, Is.EqualTo(TheoremOutcome.NotApplicable));
    }

    [Test]
    public void LargeNetworksAreSkippedWithTheReason()
    {
        static ExactNet Wide(int d, int m) => Exact(
            Enumerable.Range(0, m).Select(i => Enumerable.Range(0, d).Select(k => (double)(1 + (i + k) % 5)).ToArray()).ToArray(),
            Enumerable.Repeat(1.0, m).ToArray());
        Assert.That(TheoremCheck.TooLarge(ExactNet.FromNetwork(Good()), ExactNet.FromNetwork(Good())), Is.Null);
        Assert.That(TheoremCheck.TooLarge(Wide(5, 40), Wide(5, 40)), Does.Contain("activation regions"));
        Assert.That(TheoremCheck.TooLarge(Wide(30, 20), Wide(30, 2)), Does.Contain("parameters"));
    }

    [Test]
    public void CliWritesTheComparisonAndRejectsADomainWithoutSecondNetwork()
    {
        var dir = Path.Combine(Path.GetTempPath(), "verify-theorem-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var g = Path.Combine(dir, "g.json"); NetworkFiles.Write(Good(), g);
            var t = Path.Combine(dir, "t.json"); NetworkFiles.Write(Shallow([[3, 4], [4, 3]], [4, -3.5]), t);
            var json = Path.Combine(dir, "c.json");
            // The conditions are about Γ (and C.3 about Θ): they hold, so exit 0; Θ being unbalanced only removes Theorem 3.3.
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--timeout", "2", "--json", json]), Is.EqualTo(0));
            var doc = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.That((string?)doc["theorem"]!["outcome"], Is.EqualTo("consistent"));
            Assert.That((string?)doc["theorem"]!["realizationSemi"], Is.EqualTo("2"));
            Assert.That((string?)doc["c1"]!["beta"], Is.EqualTo("0"));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--lo", "0,0"]), Is.EqualTo(64));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--lo", "0"]), Is.EqualTo(64));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--timeout", "-1"]), Is.EqualTo(64));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
