using Verify.Intervals;
using Verify.Model;
using Verify.InverseStability;
using Verify.Specs;
using Verify.Smt;

namespace Verify.Tests.InverseStability;

public class FiberDistanceTests
{
    private static readonly FiberOptions Fast = new() { Points = 10, CheckTimeout = TimeSpan.FromSeconds(3), MaxChecks = 10 };

    private static Neuron1D N(Rational a, Rational b, Rational c) => new(a, b, c);

    private static FiberDomain Interval(Rational lo, Rational hi) => new([lo], [hi]);

    [Test]
    public void PermutedRescaledCopyHasUpperBoundZero()
    {
        var gamma = ShallowNet1D.Of(new Rational(1, 4), N(1, -1, 2), N(-2, 1, new Rational(1, 2)), N(3, 1, -1));
        // Θ: neurons permuted (2, 0, 1) and rescaled by 2, 1/2, 4 (incoming ×c, outgoing ÷c): same realization.
        var theta = ShallowNet1D.Of(new Rational(1, 4), N(6, 2, new Rational(-1, 2)), N(new Rational(1, 2), new Rational(-1, 2), 4), N(-8, 4, new Rational(1, 8)));
        var p = new FiberProblem(ExactNet.FromShallow(gamma), ExactNet.FromShallow(theta), Interval(-2, 2));
        var r = FiberDistance.Compute(p, Fast);
        Assert.That(r.Upper, Is.Not.Null);
        Assert.That(r.Upper!.Distance, Is.EqualTo(Rational.Zero));
        Assert.That(r.Lower, Is.EqualTo(Rational.Zero));
        Assert.That(FiberUpperBound.ExactCheck(p, r.Upper.Phi), Is.True);
    }

    [Test]
    public void IdenticalPairHasFiberDistanceZero()
    {
        var gamma = ShallowNet1D.Of(0, N(1, 0, 1), N(-1, 1, 2));
        var p = new FiberProblem(ExactNet.FromShallow(gamma), ExactNet.FromShallow(gamma), Interval(-1, 1));
        var r = FiberDistance.Compute(p, Fast);
        Assert.That(r.Lower, Is.EqualTo(Rational.Zero));
        Assert.That(r.Upper!.Distance, Is.EqualTo(Rational.Zero));
    }

    // Example 2.3 at k = 2 (bias-free, two inputs) has fiber distance exactly 1 (kink-line lemma from below, Θ itself
    // from above), so the Z3 lower bound must lie in [0.9, 1]: ≥ 90 % of the true value, and never above it.
    [Test]
    public void RedundantDirectionsExampleLowerBoundIsTight()
    {
        var e = PaperExamples.Build("2.3", 2);
        var p = new FiberProblem(e.Gamma, e.Theta, e.Domain, BiasFree: true);
        var r = FiberDistance.Compute(p, Fast);
        Assert.That(r.Upper!.Distance, Is.EqualTo(Rational.One));
        Assert.That(r.Lower, Is.GreaterThanOrEqualTo(new Rational(9, 10)));
        Assert.That(r.Lower, Is.LessThanOrEqualTo(Rational.One));
        Assert.That(r.Checks.Any(c => c.Status == SmtStatus.Unsat && c.S == r.Lower), Is.True, "the lower bound is the level of an UNSAT check");
    }

    [Test]
    public void RightDerivativeSeesBothSidesOfAKink()
    {
        var n = ExactNet.FromShallow(ShallowNet1D.Of(0, N(2, -1, 3)));   // 3ρ(2x − 1): kink at 1/2, slope 6 on the right
        Assert.That(n.RightDerivative([new Rational(1, 2)], [Rational.One])[0], Is.EqualTo((Rational)6));
        Assert.That(n.RightDerivative([new Rational(1, 2)], [-Rational.One])[0], Is.EqualTo(Rational.Zero));
        Assert.That(n.RightDerivative([Rational.One], [-Rational.One])[0], Is.EqualTo((Rational)(-6)));
    }

    [Test]
    public void PointsIncludeTheKinksOfThetaWithBothDerivatives()
    {
        var theta = ExactNet.FromShallow(ShallowNet1D.Of(0, N(1, 0, 1), N(1, new Rational(-1, 2), 1)));
        var pts = FiberPoints.Choose(theta, Interval(-1, 1), 8, 1);
        var kinks = pts.Where(q => q.Why == "kink of Θ").Select(q => q.X[0]).ToList();
        Assert.That(kinks, Is.EquivalentTo(new Rational[] { 0, new Rational(1, 2) }));
        Assert.That(pts.All(q => q.X[0] >= -1 && q.X[0] <= 1), Is.True);
        Assert.That(pts.Single(q => q.X[0] == -1).Directions.Single()[0], Is.EqualTo(Rational.One), "only into U at the left end");
    }

    // d = 2, bias-free: Γ = ρ(x1), Θ = ρ(x2). Θ's kink line x2 = 0 forces Φ's incoming weights onto (0, λ), so
    // |a1 − 1| = 1 and the fiber distance is exactly 1 (Θ itself attains it).
    [Test]
    public void TwoDimensionalKinkLineForcesDistanceOne()
    {
        static ExactNet Net(Rational a1, Rational a2) => new([new ExactLayer([[a1, a2]], [0]), new ExactLayer([[1]], [0])]);
        var p = new FiberProblem(Net(1, 0), Net(0, 1), new FiberDomain([-1, -1], [1, 1]), BiasFree: true);
        var r = FiberDistance.Compute(p, Fast);
        Assert.That(r.Upper!.Distance, Is.EqualTo(Rational.One));
        Assert.That(r.Lower, Is.GreaterThanOrEqualTo(new Rational(9, 10)).And.LessThanOrEqualTo(Rational.One));
    }

    // Depth 3 (1 → 2 → 2 → 1): the encoding multiplies weight and activation variables in the later layers.
    // Θ = Γ + 1/2 (output bias moved): Γ with the moved bias is in the fiber, so upper ≤ 1/2, and lower ≤ upper.
    [Test]
    public void DeepNetworkBoundsAreConsistent()
    {
        static ExactNet Net(Rational outBias) => new(
        [
            new ExactLayer([[1], [-1]], [0, new Rational(1, 2)]),
            new ExactLayer([[1, 1], [1, -2]], [0, 0]),
            new ExactLayer([[1, -1]], [outBias]),
        ]);
        var p = new FiberProblem(Net(0), Net(new Rational(1, 2)), Interval(-1, 1));
        var r = FiberDistance.Compute(p, Fast with { MaxChecks = 6 });
        Assert.That(r.Upper!.Distance, Is.LessThanOrEqualTo(new Rational(1, 2)));
        Assert.That(r.Lower, Is.LessThanOrEqualTo(r.Upper.Distance));
        Assert.That(r.Lower, Is.GreaterThan(Rational.Zero), "R(Θ) ≠ R(Γ), so s = 0 cannot match the points");
    }

    // R(Γ) = R(Θ) = x on [−1, 1], written differently: Θ = ρ(x) − ρ(−x) (opposite pair), Γ = ρ(x + 2) − 2 with a
    // neuron (0, −1, 5) that is dead on U. The opposite-pair rewrite moves x onto an always-active neuron shaped like
    // Γ's and parks the freed neuron on Γ's dead one: upper 0. Γ is in the fiber, so the lower bound must be 0.
    [Test]
    public void OppositePairRewriteReachesAnEquivalentGamma()
    {
        var gamma = ShallowNet1D.Of(-2, N(1, 2, 1), N(0, -1, 5));
        var theta = ShallowNet1D.Of(0, N(1, 0, 1), N(-1, 0, -1));
        var p = new FiberProblem(ExactNet.FromShallow(gamma), ExactNet.FromShallow(theta), Interval(-1, 1));
        var r = FiberDistance.Compute(p, Fast);
        Assert.That(r.Upper!.Distance, Is.EqualTo(Rational.Zero));
        Assert.That(r.Upper.Source, Does.Contain("opposite pair"));
        Assert.That(r.Lower, Is.EqualTo(Rational.Zero));
    }
}
