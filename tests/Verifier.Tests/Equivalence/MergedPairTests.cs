using Verify.Certify;
using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Tests.Equivalence;

public class MergedPairTests
{
    private static Rational[] RandomPoint(Random rng, int d) =>
        Enumerable.Range(0, d).Select(_ => Rational.FromDouble(Math.Round((rng.NextDouble() * 2 - 1) * 1024) / 1024)).ToArray();

    /// <summary>A network computing the same function with an identity ReLU layer before its output layer.</summary>
    internal static Network Deeper(Network net)
    {
        var layers = net.Layers.ToList();
        int n = layers[^1].Inputs;
        var rows = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 1.0 : 0.0).ToArray()).ToArray();
        layers.Insert(layers.Count - 1, DenseLayer.FromRows(rows, new double[n], Activation.Relu));
        return new Network(layers);
    }

    [TestCase(new[] { 2, 5, 1 }, new[] { 2, 3, 4, 1 })]
    [TestCase(new[] { 3, 4, 4, 4, 2 }, new[] { 3, 6, 2 })]
    [TestCase(new[] { 2, 1 }, new[] { 2, 4, 4, 1 })]       // a linear network carried as (ρ(x), ρ(−x))
    [TestCase(new[] { 2, 3, 3, 2 }, new[] { 2, 3, 3, 2 })] // same architecture merges too
    public void MergedNetworksComputeBothFunctionsExactly(int[] w1, int[] w2)
    {
        var f1 = EquivFixtures.Random(7, w1);
        var f2 = EquivFixtures.Random(8, w2);
        var pair = MergedPair.TryBuild(f1, f2)!;
        Assert.That(pair, Is.Not.Null);
        Assert.That(ExactAligner.SameArchitecture(pair.First, pair.Second), Is.True);
        var rng = new Random(3);
        for (int s = 0; s < 200; s++)
        {
            var x = RandomPoint(rng, f1.InputSize);
            var y1 = f1.EvaluateExact(x); var y2 = f2.EvaluateExact(x);
            Assert.That(pair.First.EvaluateExact(x), Is.EqualTo(y1));
            Assert.That(pair.Second.EvaluateExact(x), Is.EqualTo(y2));
            Assert.That(pair.Stacked.EvaluateExact(x), Is.EqualTo(y1.Concat(y2).ToArray()));
        }
    }

    [Test]
    public void OnlyTheOutputLayersDiffer()
    {
        var pair = MergedPair.TryBuild(EquivFixtures.Random(1, 2, 4, 1), EquivFixtures.Random(2, 2, 3, 3, 1))!;
        var d = ParameterDifference.Of(pair.First, pair.Second);
        for (int l = 0; l + 1 < pair.First.Depth; l++) Assert.That(d.Layers[l].IsZero, $"layer {l}");
        Assert.That(d.Layers[^1].IsZero, Is.False);
    }

    [Test]
    public void MismatchedActivationsAreNotMerged()
    {
        var f1 = EquivFixtures.Random(1, 2, 4, 1);
        var leaky = new Network([f1.Layers[0].With(activation: Activation.Leaky(0.1)), f1.Layers[1]]);
        Assert.That(MergedPair.TryBuild(f1, leaky), Is.Null, "ReLU and leaky ReLU at the same depth");
        // A shallower leaky network cannot be carried through ReLU layers (its hidden values may be negative).
        Assert.That(MergedPair.TryBuild(leaky, EquivFixtures.Random(2, 2, 3, 3, 1)), Is.Null);
    }

    [Test]
    public void DifferentArchitecturesUseMergedLinearBoundsAndStaySound()
    {
        var f1 = EquivFixtures.Random(11, 2, 8, 8, 1);
        var f2 = EquivFixtures.Random(12, 2, 12, 1);
        var box = EquivFixtures.Cube(2, 1);
        var bounder = new PartBounder(f1, f2, BoundMethods.CreateBounders(null));
        Assert.That(bounder.Methods, Does.Contain("merged-linear"));
        var bound = bounder.Bound(box, topOne: false, CancellationToken.None);
        var separate = new PartBounder(f1, f2, []).Bound(box, topOne: false, CancellationToken.None);
        Assert.That(bound.MaxUpper, Is.LessThanOrEqualTo(separate.MaxUpper));
        var rng = new Random(5);
        for (int s = 0; s < 2000; s++)
        {
            var x = RandomPoint(rng, 2);
            var diff = f2.EvaluateExact(x)[0] - f1.EvaluateExact(x)[0];
            var iv = bound.Difference[0];
            Assert.That(Rational.FromDouble(iv.Lo) <= diff && diff <= Rational.FromDouble(iv.Hi), $"f2 − f1 = {diff} at ({x[0]}, {x[1]}) outside {bound.Difference[0]}");
        }
    }

    [Test]
    public void Z3ClosesADeeperCopyAtEpsZeroWhereBoundsAloneCannot()
    {
        var f1 = EquivFixtures.Random(21, 2, 4, 3, 1);
        var f2 = Deeper(f1);
        var box = EquivFixtures.Cube(2, 1);
        var exact = new EquivalenceChecker().Check(new EquivalenceQuery(f1, f2, box, 0, false) { Timeout = TimeSpan.FromSeconds(20), Threads = 1 });
        Assert.That(exact.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(exact.MaxUpper, Is.EqualTo(0));
        Assert.That(exact.ExactPartsClosed, Is.GreaterThan(0));
        Assert.That(exact.Methods, Does.Contain("z3-parts"));

        var boundsOnly = new EquivalenceChecker().Check(new EquivalenceQuery(f1, f2, box, 0, false)
            { Timeout = TimeSpan.FromSeconds(1), Threads = 1, ExactParts = ExactPartsMode.Off });
        Assert.That(boundsOnly.Verdict, Is.Not.EqualTo(Verdict.Verified), "separately relaxed copies cannot reach 0 by splitting");
    }

    [Test]
    public void Z3ProposalsAreReplayedIntoAFalsification()
    {
        // A planted output shift on a different architecture: every part has |f2 − f1| = 0.25 > ε somewhere.
        var f1 = EquivFixtures.Random(31, 2, 4, 1);
        var f2 = EquivFixtures.ShiftOutput(Deeper(f1), 0, 0.25);
        var r = new EquivalenceChecker().Check(new EquivalenceQuery(f1, f2, EquivFixtures.Cube(2, 1), 0.125, false)
            { Timeout = TimeSpan.FromSeconds(20), Threads = 1, ExactParts = ExactPartsMode.On });
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified));
        var x = r.Witness!.X.Select(Rational.FromDouble).ToArray();
        var d = Rational.Abs(f2.EvaluateExact(x)[0] - f1.EvaluateExact(x)[0]);
        Assert.That(d, Is.EqualTo(r.Witness.Difference!.Value));
        Assert.That(d > Rational.FromDouble(0.125));
    }

    [Test]
    public void ExactDeciderAnswersOnBothSidesOfTheTrueMaximum()
    {
        var f1 = EquivFixtures.Random(41, 2, 5, 1);
        var f2 = EquivFixtures.Random(42, 2, 3, 3, 1);
        var pair = MergedPair.TryBuild(f1, f2)!;
        var box = EquivFixtures.Cube(2, 1);
        // The true maximum lies between the best of a fine exact grid and the certified bound of the whole box.
        var rng = new Random(1);
        Rational best = Rational.Zero;
        for (int s = 0; s < 4000; s++)
        {
            var x = RandomPoint(rng, 2);
            best = Rational.Max(best, Rational.Abs(f2.EvaluateExact(x)[0] - f1.EvaluateExact(x)[0]));
        }
        double below = Math.BitDecrement(best.ToInterval().Lo);
        var sat = new ExactPartDecider(pair, below).Decide(box, CancellationToken.None);
        Assert.That(sat.Status, Is.EqualTo(ExactPartStatus.Candidate));
        var c = sat.Candidate!;
        Assert.That(Rational.Abs(f2.EvaluateExact(c)[0] - f1.EvaluateExact(c)[0]) > Rational.FromDouble(below));

        double upper = new PartBounder(f1, f2, BoundMethods.CreateBounders(null)).Bound(box, false, CancellationToken.None).MaxUpper;
        var unsat = new ExactPartDecider(pair, upper).Decide(box, CancellationToken.None);
        Assert.That(unsat.Status, Is.EqualTo(ExactPartStatus.WithinEps));
    }
}
