using Verify.Intervals;
using Verify.InverseStability;

namespace Verify.Tests.InverseStability;

public class RealizationDistanceTests
{
    private static Rational Q(long p, long q = 1) => new(p, q);

    [Test]
    public void ANetworkIsAtDistanceZeroFromItself()
    {
        var f = ShallowNet1D.Of(Q(1, 3), new Neuron1D(2, -1, Q(-3, 7)), new Neuron1D(-5, 2, 4));
        var gap = RealizationDistance.Compute(f, f, -3, 3);
        Assert.That(gap.Sup, Is.EqualTo(Rational.Zero));
        Assert.That(gap.SobolevSemi, Is.EqualTo(Rational.Zero));
    }

    // f − g = 3ρ(x − 1/2) − 3ρ(x − 1/4): slope −3 on (1/4, 1/2), 0 elsewhere; value −3/4 from 1/2 on.
    [Test]
    public void MovingOneKinkGivesTheHandComputedDistances()
    {
        var f = ShallowNet1D.Of(0, new Neuron1D(1, 0, 1), new Neuron1D(1, Q(-1, 2), 3));
        var g = ShallowNet1D.Of(0, new Neuron1D(1, 0, 1), new Neuron1D(1, Q(-1, 4), 3));
        var gap = RealizationDistance.Compute(f, g, -1, 1);
        Assert.That(gap.Sup, Is.EqualTo(Q(3, 4)));
        Assert.That(gap.SobolevSemi, Is.EqualTo(Q(3)));
        Assert.That(gap.Sobolev, Is.EqualTo(Q(3)));
    }

    [Test]
    public void KinksOutsideTheDomainDoNotCount()
    {
        var f = ShallowNet1D.Of(0, new Neuron1D(1, -5, 1));   // kink at 5, zero on [−1, 1]
        var zero = ShallowNet1D.Of(0, new Neuron1D(0, 0, 0));
        var gap = RealizationDistance.Compute(f, zero, -1, 1);
        Assert.That(gap.Sup, Is.EqualTo(Rational.Zero));
        Assert.That(gap.SobolevSemi, Is.EqualTo(Rational.Zero));
    }

    [Test]
    public void OppositePairRealisesALinearFunction()
    {
        // ρ(x) − ρ(−x) = x: against the always-active single neuron x + 2 with d = −2 the distance is zero.
        var pair = ShallowNet1D.Of(0, new Neuron1D(1, 0, 1), new Neuron1D(-1, 0, -1));
        var lin = ShallowNet1D.Of(-2, new Neuron1D(1, 2, 1), new Neuron1D(0, 0, 0));
        var gap = RealizationDistance.Compute(pair, lin, -2, 2);
        Assert.That(gap.Sup, Is.EqualTo(Rational.Zero));
        Assert.That(gap.SobolevSemi, Is.EqualTo(Rational.Zero));
    }
}
