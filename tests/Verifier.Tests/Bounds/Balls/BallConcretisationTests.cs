using Verify.Bounds;

namespace Verify.Tests.Bounds.Balls;

/// <summary>
/// The Lagrangian concretisation over box ⊕ ball ∩ half-spaces is sound for EVERY β ≥ 0 (the search only decides how
/// tight): sampled feasible points never exceed it, and with no constraint it is max_c w·c + R‖w‖₂ rounded up.
/// </summary>
public class BallConcretisationTests
{
    [Test]
    public void AnyNonNegativeBetaGivesAnUpperBoundOfEveryFeasiblePoint()
    {
        var rng = new Random(4);
        int feasibleSeen = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 2 + rng.Next(4);
            var lo = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var hi = lo.Select(v => v + 1e-3 * rng.NextDouble()).ToArray();
            double radius = 0.1 + rng.NextDouble();
            var lambda = Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            var constraints = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => new BallHalfSpace(
                Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray(), 0.3 * (2 * rng.NextDouble() - 1))).ToList();
            var betas = new List<double[]> { new double[constraints.Count] };
            for (int b = 0; b < 3; b++) betas.Add(constraints.Select(_ => 3 * rng.NextDouble()).ToArray());
            double searched = BallHalfSpaces.Sup(lambda, constraints, lo, hi, radius);
            for (int s = 0; s < 300; s++)
            {
                var z = Sample(rng, lo, hi, radius);
                if (!constraints.All(c => c.A.Zip(z, (a, v) => a * v).Sum() + c.C >= 1e-9)) continue;
                feasibleSeen++;
                double value = lambda.Zip(z, (a, v) => a * v).Sum();
                Assert.That(value, Is.LessThanOrEqualTo(searched + 1e-12), $"trial {trial}: the searched β");
                foreach (var beta in betas)
                    Assert.That(value, Is.LessThanOrEqualTo(BallHalfSpaces.Certified(lambda, beta, constraints, lo, hi, radius) + 1e-12), $"trial {trial}");
            }
        }
        Assert.That(feasibleSeen, Is.GreaterThan(10_000));
    }

    [Test]
    public void FirstLayerPhasesOnlyTightenAndNeverCutFeasiblePoints()
    {
        var rng = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 2 + rng.Next(4);
            var lo = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var hi = (double[])lo.Clone();
            double radius = 0.2 + rng.NextDouble();
            var lambda = Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            var signs = Enumerable.Range(0, n).Select(_ => (sbyte)(rng.Next(3) - 1)).ToArray();
            double free = BallConcretisation.Evaluate(lambda, lo, hi, radius);
            double constrained = BallConcretisation.Sup(lambda, lo, hi, radius, signs);
            Assert.That(constrained, Is.LessThanOrEqualTo(free));
            for (int s = 0; s < 300; s++)
            {
                var z = Sample(rng, lo, hi, radius);
                if (Enumerable.Range(0, n).Any(k => signs[k] * z[k] < 0)) continue;
                Assert.That(lambda.Zip(z, (a, v) => a * v).Sum(), Is.LessThanOrEqualTo(constrained + 1e-12), $"trial {trial}");
            }
        }
    }

    [Test]
    public void WithoutConstraintsItIsTheBoxMaximumPlusRTimesTheNorm()
    {
        double u = BallConcretisation.Evaluate([3.0, -4.0], [1.0, 1.0], [2.0, 2.0], 0.5);
        Assert.That(u, Is.EqualTo(3 * 2 - 4 * 1 + 0.5 * 5));
    }

    private static double[] Sample(Random rng, double[] lo, double[] hi, double radius)
    {
        int n = lo.Length;
        var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        double norm = Math.Sqrt(v.Sum(t => t * t));
        double r = radius * (rng.Next(3) == 0 ? 1 : Math.Pow(rng.NextDouble(), 1.0 / n));
        return Enumerable.Range(0, n).Select(i => lo[i] + rng.NextDouble() * (hi[i] - lo[i]) + v[i] * r / norm).ToArray();
    }
}
