using Verify.Checker;
using Verify.Equivalence;
using Verify.Intervals;
using Verify.Model;
using Verify.Tests.Equivalence;

namespace Verify.Tests.Checker;

/// <summary>
/// The checker's own merge of two networks of different architectures: its merged first and second compute the two
/// networks exactly, differ only in the output layer, and agree bit for bit with the engine's MergedPair (which the
/// certificate's nodes are recorded on); pairs that cannot be merged exactly are refused with the reason.
/// </summary>
public class MergedNetworksTests
{
    [TestCase(new[] { 2, 5, 1 }, new[] { 2, 3, 4, 1 })]
    [TestCase(new[] { 3, 4, 4, 4, 2 }, new[] { 3, 6, 2 })]
    [TestCase(new[] { 2, 1 }, new[] { 2, 4, 4, 1 })]       // a linear network carried as (ρ(x), ρ(−x))
    [TestCase(new[] { 2, 4, 4, 1 }, new[] { 2, 1 })]
    public void MergedNetworksComputeBothExactlyAndMatchTheEngine(int[] w1, int[] w2)
    {
        var f1 = EquivFixtures.Random(7, w1);
        var f2 = EquivFixtures.Random(8, w2);
        var (first, second) = MergedNetworks.Build(f1, f2, out var why)!.Value;
        Assert.That(why, Is.Null);
        var engine = MergedPair.TryBuild(f1, f2)!;
        Assert.That(first.Depth, Is.EqualTo(engine.First.Depth));
        for (int l = 0; l < first.Depth; l++)
        {
            Assert.That(first.Layers[l].Weights.ToArray(), Is.EqualTo(engine.First.Layers[l].Weights.ToArray()), $"layer {l + 1}");
            Assert.That(first.Layers[l].Bias.ToArray(), Is.EqualTo(engine.First.Layers[l].Bias.ToArray()), $"layer {l + 1}");
            Assert.That(second.Layers[l].Weights.ToArray(), Is.EqualTo(engine.Second.Layers[l].Weights.ToArray()), $"layer {l + 1}");
            Assert.That(first.Layers[l].Activation, Is.EqualTo(engine.First.Layers[l].Activation), $"layer {l + 1}");
            if (l + 1 < first.Depth)
                Assert.That(second.Layers[l].Weights.ToArray(), Is.EqualTo(first.Layers[l].Weights.ToArray()), "hidden layers are shared");
        }
        var rng = new Random(3);
        for (int s = 0; s < 100; s++)
        {
            var x = Enumerable.Range(0, f1.InputSize).Select(_ => Rational.FromDouble(Math.Round((rng.NextDouble() * 2 - 1) * 1024) / 1024)).ToArray();
            Assert.That(first.EvaluateExact(x), Is.EqualTo(f1.EvaluateExact(x)));
            Assert.That(second.EvaluateExact(x), Is.EqualTo(f2.EvaluateExact(x)));
        }
    }

    [Test]
    public void PairsThatCannotBeMergedExactlyAreRefused()
    {
        var f1 = EquivFixtures.Random(1, 2, 4, 1);
        var leaky = new Network([f1.Layers[0].With(activation: Activation.Leaky(0.1)), f1.Layers[1]]);
        Assert.That(MergedNetworks.Build(f1, leaky, out var why), Is.Null);
        Assert.That(why, Does.Contain("would need two activations"));

        // A shallower network whose last hidden layer is leaky: its negative values would not survive a ReLU carry.
        var deep = EquivFixtures.Random(2, 2, 3, 3, 1);
        var leakyDeep = new Network([deep.Layers[0].With(activation: Activation.Leaky(0.1)), deep.Layers[1].With(activation: Activation.Leaky(0.1)), deep.Layers[2]]);
        var leakyShallow = new Network([f1.Layers[0].With(activation: Activation.Leaky(0.1)), f1.Layers[1]]);
        Assert.That(MergedNetworks.Build(leakyShallow, leakyDeep, out why), Is.Null);
        Assert.That(why, Does.Contain("is not a ReLU"));

        var other = EquivFixtures.Random(3, 2, 4, 2);
        Assert.That(MergedNetworks.Build(f1, other, out why), Is.Null);
        Assert.That(why, Does.Contain("input or output size"));
    }
}
