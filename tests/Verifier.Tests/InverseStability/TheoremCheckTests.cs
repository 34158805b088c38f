using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.InverseStability;
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

    private static Network Good() => Shallow([[3, 4], [4, 3]], [5, -5]);

    // Θ changes one outgoing weight by 1/2: R(Γ) − R(Θ) = −½ρ(4x + 3y), gradient −½(4, 3) where active, so the semi-norm
    // (largest row sum) is 7/2 by hand; β = ½ (Θ's second neuron: ‖(4,3)‖ = 5 vs 4.5), guarantee ½ + 2√(7/2) ≈ 4.24.
    [Test]
    public void AnInstanceSatisfyingTheConditionsIsConsistent()
    {
        var r = TheoremCheck.Run(Good(), Shallow([[3, 4], [4, 3]], [5, -4.5]), Square, Fast);
        Assert.That(r.Applies, Is.True);
        Assert.That(r.Realization.Value, Is.EqualTo(new Rational(7, 2)));
        Assert.That(r.Realization.Exact, Is.True);
        Assert.That(r.BetaUpper.ToDouble(), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(r.Guarantee, Is.GreaterThanOrEqualTo(0.5 + 2 * Math.Sqrt(3.5)).And.LessThan(0.5 + 2 * Math.Sqrt(3.5) + 1e-9));
        Assert.That(r.Outcome, Is.EqualTo(TheoremOutcome.Consistent));
        // The fiber distance is ½ at most (move the one outgoing weight back): the certified bound must not pass it.
        Assert.That(r.Fiber.Lower, Is.LessThanOrEqualTo(new Rational(1, 2)));
        Assert.That(r.Fiber.Upper!.Distance, Is.GreaterThanOrEqualTo(r.Fiber.Lower));
    }

    [Test]
    public void BothInNStarGivesTheFourRootBound()
    {
        // Θ: directions (3,4) and (12,5), outgoing 5 and −13: balanced, no parallel pair, last two weights positive.
        var r = TheoremCheck.Run(Good(), Shallow([[3, 4], [12, 5]], [5, -13]), Square, Fast);
        Assert.That(r.BothInNStar, Is.True);
        Assert.That(r.NStarGuarantee, Is.GreaterThanOrEqualTo(4 * Math.Sqrt(r.Realization.Value.ToDouble()) * (1 - 1e-12)));
        Assert.That(r.Outcome, Is.EqualTo(TheoremOutcome.Consistent));
    }

    [Test]
    public void OppositeDirectionsAcrossMakeItNotApplicable()
    {
        var r = TheoremCheck.Run(Good(), Shallow([[-3, -4], [-4, -3]], [5, -5]), Square, Fast);
        Assert.That(r.Applies, Is.False);
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
        static Network Wide(int d, int m) => Shallow(
            Enumerable.Range(0, m).Select(i => Enumerable.Range(0, d).Select(k => (double)(1 + (i + k) % 5)).ToArray()).ToArray(),
            Enumerable.Repeat(1.0, m).ToArray());
        Assert.That(TheoremCheck.TooLarge(Good(), Good()), Is.Null);
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
            var t = Path.Combine(dir, "t.json"); NetworkFiles.Write(Shallow([[3, 4], [4, 3]], [5, -4.5]), t);
            var json = Path.Combine(dir, "c.json");
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--timeout", "2", "--json", json]), Is.EqualTo(0));
            var th = JsonNode.Parse(File.ReadAllText(json))!["theorem"]!;
            Assert.That((string?)th["outcome"], Is.EqualTo("consistent"));
            Assert.That((string?)th["realizationSemiUpper"], Is.EqualTo("7/2"));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--lo", "0,0"]), Is.EqualTo(64));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--lo", "0"]), Is.EqualTo(64));
            Assert.That(CliRunner.Code(["inverse-stability", "conditions", "--net", g, "--net2", t, "--timeout", "-1"]), Is.EqualTo(64));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
