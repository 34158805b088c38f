using Verify.Symmetry;

namespace Verify.Tests.Symmetry;

public class AssignmentTests
{
    private static double[,] RandomMatrix(Random rng, int n, int distinctValues)
    {
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) c[i, j] = rng.Next(distinctValues) / 4.0;
        return c;
    }

    [Test]
    public void BottleneckMatchesBruteForceUpTo8x8([Values(1, 2, 3, 5, 8)] int n)
    {
        var rng = new Random(31 + n);
        for (int trial = 0; trial < (n == 8 ? 5 : 30); trial++)
        {
            var c = RandomMatrix(rng, n, trial % 2 == 0 ? 5 : 1000);
            double brute = RandomNets.AllPermutations(n).Min(p => Enumerable.Range(0, n).Max(i => c[i, p[i]]));
            var hk = BottleneckAssignment.Solve(c)!;
            var qg = BottleneckAssignment.Solve(c, new QuikGraphMatcher())!;
            Assert.That(hk.Value, Is.EqualTo(brute));
            Assert.That(qg.Value, Is.EqualTo(brute));
            Assert.That(hk.Assignment.Distinct().Count(), Is.EqualTo(n));
            Assert.That(Enumerable.Range(0, n).Max(i => c[i, hk.Assignment[i]]), Is.EqualTo(brute));
            Assert.That(Enumerable.Range(0, n).Max(i => c[i, qg.Assignment[i]]), Is.EqualTo(brute));
        }
    }

    [Test]
    public void ForbiddenEntriesAreAvoidedOrReported()
    {
        var c = new double[,] { { 1, double.PositiveInfinity }, { double.PositiveInfinity, double.PositiveInfinity } };
        Assert.That(BottleneckAssignment.Solve(c), Is.Null);
        c[1, 0] = 5; c[0, 1] = 2;
        Assert.That(BottleneckAssignment.Solve(c)!.Value, Is.EqualTo(5));
    }

    [Test]
    public void HungarianMatchesBruteForce([Values(1, 3, 6)] int n)
    {
        var rng = new Random(41 + n);
        for (int trial = 0; trial < 20; trial++)
        {
            var c = RandomMatrix(rng, n, 1000);
            double brute = RandomNets.AllPermutations(n).Min(p => Enumerable.Range(0, n).Sum(i => c[i, p[i]]));
            var a = HungarianAssignment.Solve(c);
            Assert.That(Enumerable.Range(0, n).Sum(i => c[i, a[i]]), Is.EqualTo(brute).Within(1e-9));
        }
    }

    [Test]
    public void ScaledNeuronCostMatchesAFineSearch()
    {
        var rng = new Random(51);
        for (int trial = 0; trial < 200; trial++)
        {
            int d = rng.Next(1, 5), o = rng.Next(0, 4);
            double[] V(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(6) == 0 ? 0 : rng.NextDouble() * 4 - 2).ToArray();
            var a = V(d); var b = V(d); var ao = V(o); var bo = V(o);
            var (cost, c) = ScaledNeuronCost.Solve(a, b, ao, bo);
            double F(double t) => ScaledNeuronCost.Evaluate(a, b, ao, bo, Math.Exp(t));
            double best = double.PositiveInfinity, bestT = 0;
            for (double t = -30; t <= 30; t += 1e-2) { double f = F(t); if (f < best) { best = f; bestT = t; } }
            double lo = bestT - 1e-2, hi = bestT + 1e-2;
            for (int it = 0; it < 200; it++)
            {
                double m1 = lo + (hi - lo) * 0.382, m2 = lo + (hi - lo) * 0.618;
                if (F(m1) < F(m2)) hi = m2; else lo = m1;
            }
            best = Math.Min(best, F((lo + hi) / 2));
            // Never above what a scan finds (up to rounding), and attained by the returned scale.
            Assert.That(cost, Is.LessThanOrEqualTo(best * (1 + 1e-12) + 1e-15), $"trial {trial}");
            Assert.That(cost, Is.GreaterThanOrEqualTo(best - 1e-6 * Math.Max(1, best)), $"trial {trial}: scan should get close");
            if (c != ScaledNeuronCost.LimitScale && c != 1 / ScaledNeuronCost.LimitScale)
                Assert.That(ScaledNeuronCost.Evaluate(a, b, ao, bo, c), Is.EqualTo(cost).Within(1e-9 * Math.Max(1, cost) + 1e-12), $"trial {trial}");
        }
    }
}
