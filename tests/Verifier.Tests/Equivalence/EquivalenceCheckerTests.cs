using Verify.Bounds;
using Verify.Model;
using Verify.Equivalence;
using Verify.Intervals;
using Verify.Results;

namespace Verify.Tests.Equivalence;

public class EquivalenceCheckerTests
{
    private static EquivalenceResult Check(Verify.Model.Network a, Verify.Model.Network b, Box box, double eps, bool top1 = false, double timeout = 10) =>
        new EquivalenceChecker().Check(new EquivalenceQuery(a, b, box, eps, top1) { Timeout = TimeSpan.FromSeconds(timeout) });

    [Test]
    public void NetworkAgainstItselfIsVerifiedWithBoundExactlyZero()
    {
        var a = EquivFixtures.Random(1, 4, 16, 16, 3);
        var r = Check(a, a, EquivFixtures.Cube(4, 1), 0);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.Upper, Is.All.EqualTo(0.0));
        Assert.That(r.ExactCopy, Is.True);
    }

    [Test]
    public void PermutedRescaledCopyIsVerifiedAtEpsZero()
    {
        var a = EquivFixtures.Random(2, 4, 16, 16, 3);
        var b = EquivFixtures.SymmetricCopy(a, 3);
        var r = Check(a, b, EquivFixtures.Cube(4, 1), 0);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.MaxUpper, Is.EqualTo(0.0));
        var t = Check(a, b, EquivFixtures.Cube(4, 1), 0, top1: true);
        Assert.That(t.Verdict, Is.EqualTo(Verdict.Verified));
    }

    [Test]
    public void PlantedDifferenceIsFalsifiedWithAnExactlyReplayedWitness()
    {
        var a = EquivFixtures.Random(3, 3, 12, 12, 2);
        var b = EquivFixtures.ShiftOutput(a, 1, 0.25);
        var box = EquivFixtures.Cube(3, 1);
        var r = Check(a, b, box, 0.1);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified));
        var w = r.Witness!;
        Assert.That(box.Contains(w.X), Is.True);
        var d = WitnessSearch.ExactDifference(a, b, w.X);
        Assert.That(Rational.Abs(d[w.Output!.Value]), Is.EqualTo(w.Difference!.Value));
        Assert.That(w.Difference!.Value > Rational.FromDouble(0.1), Is.True);
        Assert.That(r.MaxLower, Is.EqualTo(0.25).Within(1e-12));
    }

    [Test]
    public void HiddenPlantedDifferenceInACornerIsFound()
    {
        // A neuron active only near the corner x ≥ 0.9 in every dimension, added to one output: the difference is 0
        // elsewhere and 0.5·(sum − 2.7)·… at the corner; the search must find it and replay it.
        var a = EquivFixtures.Random(4, 3, 8, 2);
        var l0 = a.Layers[0]; var l1 = a.Layers[1];
        var w = l0.Weights.ToArray(); var b = l0.Bias.ToArray();
        var w2 = new double[(l0.Outputs + 1) * 3]; w.CopyTo(w2, 0);
        w2[l0.Outputs * 3] = 1; w2[l0.Outputs * 3 + 1] = 1; w2[l0.Outputs * 3 + 2] = 1;
        var b2 = b.Append(-2.7).ToArray();
        var wo = new double[l1.Outputs * (l0.Outputs + 1)];
        for (int o = 0; o < l1.Outputs; o++)
            for (int i = 0; i < l0.Outputs; i++) wo[o * (l0.Outputs + 1) + i] = l1.W(o, i);
        wo[0 * (l0.Outputs + 1) + l0.Outputs] = 4;
        var bigger = new Verify.Model.Network([
            new Verify.Model.DenseLayer(l0.Outputs + 1, 3, w2, b2, l0.Activation),
            new Verify.Model.DenseLayer(l1.Outputs, l0.Outputs + 1, wo, l1.Bias.ToArray(), l1.Activation)]);
        var r = Check(a, bigger, EquivFixtures.Cube(3, 1), 0.5);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified)); // max is 4·0.3 = 1.2 at (1,1,1)
        Assert.That(r.Witness!.Difference!.Value > Rational.FromDouble(0.5), Is.True);
        Assert.That(r.Upper[0], Is.GreaterThanOrEqualTo(1.2 - 1e-9));
    }

    [TestCase(1e-9)] // falsified at once: the upper bound is the whole box's
    [TestCase(0.01)] // verified after splitting: the upper bound is the maximum over the parts
    public void CertifiedUpperBoundIsNeverExceededBySampledPoints(double eps)
    {
        var a = EquivFixtures.Random(5, 3, 10, 10, 2);
        var b = EquivFixtures.Jitter(a, 1e-3, 6);
        var box = EquivFixtures.Cube(3, 0.5);
        var r = Check(a, b, box, eps);
        Assert.That(r.Verdict, Is.EqualTo(eps < 1e-6 ? Verdict.Falsified : Verdict.Verified));
        Assert.That(r.Upper.All(double.IsFinite), Is.True);
        var rng = new Random(11);
        for (int s = 0; s < 300; s++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => rng.NextDouble() - 0.5).ToArray();
            if (s < 8) x = Enumerable.Range(0, 3).Select(i => ((s >> i) & 1) == 1 ? 0.5 : -0.5).ToArray();
            var d = WitnessSearch.ExactDifference(a, b, x);
            for (int j = 0; j < d.Length; j++)
                Assert.That(Rational.Abs(d[j]) <= Rational.FromDouble(r.Upper[j]), Is.True, $"x = {string.Join(",", x)}, output {j}");
        }
        Assert.That(r.Lower.Zip(r.Upper).All(p => p.First <= p.Second), Is.True);
        Assert.That(r.MaxLower, Is.GreaterThan(0));
    }

    [Test]
    public void SmallPerturbationIsVerifiedAtAComfortableEps()
    {
        var a = EquivFixtures.Random(6, 3, 10, 10, 2);
        var b = EquivFixtures.Jitter(a, 1e-4, 7);
        var r = Check(a, b, EquivFixtures.Cube(3, 0.5), 0.05);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.MaxUpper, Is.LessThanOrEqualTo(0.05));
        Assert.That(r.MaxLower, Is.LessThanOrEqualTo(r.MaxUpper));
    }

    [Test]
    public void DifferentArchitecturesAreBoundedThroughTheMergedPair()
    {
        var a = EquivFixtures.Random(7, 2, 6, 1);
        var b = EquivFixtures.Random(8, 2, 9, 4, 1);
        var box = EquivFixtures.Cube(2, 0.25);
        var r = Check(a, b, box, 10);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.Methods, Is.EqualTo(new[] { "separate-intervals", "merged-linear" }));
        var f = Check(a, EquivFixtures.ShiftOutput(b, 0, 20), box, 10);
        Assert.That(f.Verdict, Is.EqualTo(Verdict.Falsified));
    }

    [Test]
    public void UnmergeableArchitecturesFallBackToSeparateIntervals()
    {
        var a = EquivFixtures.Random(7, 2, 6, 1);
        var leaky = new Network([a.Layers[0].With(activation: Activation.Leaky(0.5)), a.Layers[1]]);
        var b = EquivFixtures.Random(8, 2, 9, 4, 1);
        var r = Check(leaky, b, EquivFixtures.Cube(2, 0.25), 10);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.Methods, Is.EqualTo(new[] { "separate-intervals" }));
    }

    [Test]
    public void TopOneDisagreementIsFalsifiedWithTwoClasses()
    {
        var a = EquivFixtures.Random(9, 2, 8, 3);
        var b = EquivFixtures.ShiftOutput(EquivFixtures.ShiftOutput(a, 0, 100), 1, -100); // class 0 wins everywhere in b
        var box = EquivFixtures.Cube(2, 1);
        var r = Check(a, b, box, 0, top1: true);
        if (r.Verdict != Verdict.Falsified) Assert.Fail($"expected falsified, got {r.Verdict}");
        var w = r.Witness!;
        var xr = w.X.Select(Rational.FromDouble).ToArray();
        var dis = TopOne.Disagreement(a.EvaluateExact(xr), b.EvaluateExact(xr));
        Assert.That(dis, Is.Not.Null);
        Assert.That(w.SecondClass, Is.EqualTo(0));
    }

    [Test]
    public void TopOneAgreementWithAClearMarginIsVerified()
    {
        var a = EquivFixtures.ShiftOutput(EquivFixtures.Random(10, 2, 8, 3), 2, 50); // class 2 by far
        var b = EquivFixtures.Jitter(a, 1e-3, 4);
        var r = Check(a, b, EquivFixtures.Cube(2, 1), 0, top1: true);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
    }

    [Test]
    public void TiesDisagreeOnlyWhenArgmaxSetsAreDisjoint()
    {
        Rational[] R(params long[] v) => v.Select(x => (Rational)x).ToArray();
        Assert.That(TopOne.Disagreement(R(1, 1, 0), R(1, 0, 0)), Is.Null);
        Assert.That(TopOne.Disagreement(R(1, 1, 0), R(0, 0, 1)), Is.EqualTo((0, 2)));
        Assert.That(TopOne.Disagreement(R(2, 1, 0), R(1, 2, 0)), Is.EqualTo((0, 1)));
    }

    [Test]
    public void TimeoutIsReportedHonestly()
    {
        var a = EquivFixtures.Random(12, 3, 16, 16, 2);
        var b = EquivFixtures.Jitter(a, 1e-2, 1);
        var r = Check(a, b, EquivFixtures.Cube(3, 1), 1e-9, timeout: 0.5);
        Assert.That(r.Verdict, Is.AnyOf(Verdict.Timeout, Verdict.Falsified));
        Assert.That(r.Seconds, Is.LessThan(5));
    }
    private static EquivalenceResult CheckWith(EquivalenceChecker checker, Network a, Network b, Box box, double eps) =>
        checker.Check(new EquivalenceQuery(a, b, box, eps, false) { Timeout = TimeSpan.FromSeconds(120), Threads = 1 });

    /// <summary>net_4_50x3_2 and its float16 copy on the cube of radius 0.3 at ε = 0.015: verified after about ten splits.</summary>
    private static (Network First, Network Second, Box Box, double Eps) Float16Pair()
    {
        var f1 = Verify.Io.NetworkFiles.Read(TestData.Path("net_4_50x3_2.json"));
        var f2 = new Network(f1.Layers.Select(l => new DenseLayer(l.Outputs, l.Inputs,
            l.Weights.ToArray().Select(w => (double)(Half)w).ToArray(), l.Bias.ToArray().Select(b => (double)(Half)b).ToArray(), l.Activation)).ToList());
        return (f1, f2, EquivFixtures.Cube(4, 0.3), 0.015);
    }

    /// <summary>Points of <see cref="Float16Pair"/>'s cube: its 16 corners first, then uniform random ones.</summary>
    private static IEnumerable<double[]> CubePoints(int seed, int count)
    {
        var rng = new Random(seed);
        for (int s = 0; s < count; s++)
            yield return s < 16
                ? Enumerable.Range(0, 4).Select(i => ((s >> i) & 1) == 1 ? 0.3 : -0.3).ToArray()
                : Enumerable.Range(0, 4).Select(_ => 0.6 * rng.NextDouble() - 0.3).ToArray();
    }

    /// <summary>Children bounded from their parents' enclosures (the default) reach the same verdict as fresh bounds on
    /// every part, and their certified bound still holds at exactly evaluated points, corners included.</summary>
    [Test]
    public void EnclosureReuseKeepsTheVerdictAndASoundBound()
    {
        var (a, b, box, eps) = Float16Pair();
        var fresh = CheckWith(new EquivalenceChecker { MaxPartsWithEnclosures = 0 }, a, b, box, eps);
        var reused = CheckWith(new EquivalenceChecker(), a, b, box, eps);
        Assert.That(fresh.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(fresh.Splits, Is.GreaterThan(0), "the pair must need splitting for the reuse to matter");
        Assert.That(reused.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(reused.MaxUpper, Is.LessThanOrEqualTo(eps));
        foreach (var x in CubePoints(seed: 5, count: 300))
        {
            var d = WitnessSearch.ExactDifference(a, b, x);
            for (int j = 0; j < d.Length; j++)
                Assert.That(Rational.Abs(d[j]) <= Rational.FromDouble(reused.Upper[j]), Is.True, $"x = {string.Join(",", x)}, output {j}");
        }
        Assert.That(reused.Lower.Zip(reused.Upper).All(p => p.First <= p.Second), Is.True);
    }

    /// <summary>The refined pass on a part (here the whole cube, refined whatever its parent) only narrows the plain
    /// part bound, narrows it strictly on this pair, and still holds at exactly evaluated points, corners included.</summary>
    [Test]
    public void RefinedPartBoundIsTighterAndSound()
    {
        var (a, b, box, eps) = Float16Pair();
        var bounders = new[] { new LinearDifferenceBounder() };
        var plain = new PartBounder(a, b, bounders).Bound(box, false, default, closeAt: eps);
        var refined = new PartBounder(a, b, bounders) { Refiner = new EquivalenceChecker().Refiner }
            .Bound(box, false, default, closeAt: eps, refineAbove: 0);
        Assert.That(plain.MaxUpper, Is.GreaterThan(eps), "the plain pass must leave the cube open for refinement to run");
        for (int j = 0; j < plain.Upper.Length; j++) Assert.That(refined.Upper[j], Is.LessThanOrEqualTo(plain.Upper[j]));
        Assert.That(refined.MaxUpper, Is.LessThan(plain.MaxUpper));
        foreach (var x in CubePoints(seed: 11, count: 200))
        {
            var d = WitnessSearch.ExactDifference(a, b, x);
            for (int j = 0; j < d.Length; j++)
            {
                Assert.That(Rational.FromDouble(refined.Difference[j].Lo) <= d[j], Is.True, $"x = {string.Join(",", x)}, output {j}");
                Assert.That(d[j] <= Rational.FromDouble(refined.Difference[j].Hi), Is.True, $"x = {string.Join(",", x)}, output {j}");
            }
        }
    }

    /// <summary>Refining stalled parts (the default) reaches the plain run's verdict with fewer splits, and a certified
    /// run does not refine (its checker re-bounds every leaf with the plain pass): the same tree as without a refiner.</summary>
    [Test]
    public void RefiningStalledPartsKeepsTheVerdictWithFewerSplits()
    {
        var (a, b, box, eps) = Float16Pair();
        var plain = CheckWith(new EquivalenceChecker { Refiner = null }, a, b, box, eps);
        var refined = CheckWith(new EquivalenceChecker(), a, b, box, eps);
        Assert.That(plain.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(refined.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(refined.Splits, Is.LessThan(plain.Splits));
        var q = new EquivalenceQuery(a, b, box, eps, false) { Timeout = TimeSpan.FromSeconds(120), Threads = 1 };
        var (certified, cert, why) = new EquivalenceChecker().CheckWithCertificate(q);
        Assert.That(cert, Is.Not.Null, why);
        Assert.That(certified.Splits, Is.EqualTo(plain.Splits));
        Assert.That(certified.Upper, Is.EqualTo(plain.Upper));
    }

    /// <summary>Two workers (the root bounded beside the witness search, rounds that grow with the measured cost of a
    /// part) split the same parts and reach the same certified bound as one: which parts a verified run splits depends
    /// only on the parts' bounds, never on the order or grouping in which they were bounded.</summary>
    [Test]
    public void TwoWorkersSplitTheSamePartsAsOne()
    {
        var (a, b, box, eps) = Float16Pair();
        var one = CheckWith(new EquivalenceChecker(), a, b, box, eps);
        var two = new EquivalenceChecker().Check(new EquivalenceQuery(a, b, box, eps, false) { Timeout = TimeSpan.FromSeconds(120), Threads = 2 });
        Assert.That(one.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(two.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(two.Splits, Is.EqualTo(one.Splits));
        Assert.That(two.Upper, Is.EqualTo(one.Upper));
    }

    /// <summary>A part at <see cref="EquivalenceChecker.MaxEnclosureDepth"/> or deeper does not pass its enclosures on:
    /// with the cap at 0 (the root is at depth 0) the run is exactly the run without reuse, split for split and bit for
    /// bit, where unlimited reuse gives other bounds on this pair (so the cap is what makes them equal).</summary>
    [Test]
    public void EnclosureDepthCapZeroIsTheRunWithoutReuse()
    {
        var (a, b, box, eps) = Float16Pair();
        var none = CheckWith(new EquivalenceChecker { MaxPartsWithEnclosures = 0 }, a, b, box, eps);
        var capped = CheckWith(new EquivalenceChecker { MaxEnclosureDepth = 0 }, a, b, box, eps);
        var reused = CheckWith(new EquivalenceChecker { MaxEnclosureDepth = int.MaxValue }, a, b, box, eps);
        Assert.That(capped.Verdict, Is.EqualTo(none.Verdict));
        Assert.That(capped.Splits, Is.EqualTo(none.Splits));
        Assert.That(capped.Upper, Is.EqualTo(none.Upper));
        Assert.That(reused.Upper, Is.Not.EqualTo(none.Upper));
    }
}
