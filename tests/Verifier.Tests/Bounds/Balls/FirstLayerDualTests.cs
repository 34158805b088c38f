using Verify.Bounds;
using Verify.Intervals;

namespace Verify.Tests.Bounds.Balls;

/// <summary>
/// The first tail layer's dual (docs/normballs.md): sup Σ μ_i·relu(z′_i) + w_i·z′_i over box ⊕ ball ∩ ranges is bounded
/// above for any coefficients w in their enclosures — sampled feasible points, replayed exactly, never exceed it — it is
/// never looser than relaxing every ReLU by its chord or a lower line and concretising over the ball, and it is exact
/// where the Lagrangian is (two neurons on the unit disc: √2, where the chords give 1 + √2/2).
/// </summary>
public class FirstLayerDualTests
{
    private sealed record Instance(double[] Mu, double[] WLo, double[] WHi, double[] YLo, double[] YHi, double[] CLo, double[] CHi, double R);

    private static Instance RandomInstance(Random rng, bool withW)
    {
        int n = 1 + rng.Next(5);
        double radius = 0.05 + rng.NextDouble();
        var cLo = Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var cHi = cLo.Select(v => rng.Next(3) == 0 ? v : v + 1e-3 * rng.NextDouble()).ToArray();
        var mu = Enumerable.Range(0, n).Select(_ => rng.Next(5) == 0 ? 0 : 4 * rng.NextDouble() - 2).ToArray();
        var wLo = withW ? Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray() : new double[n];
        var wHi = withW ? wLo.Select(v => rng.Next(2) == 0 ? v : v + 0.1 * rng.NextDouble()).ToArray() : new double[n];
        var yLo = new double[n]; var yHi = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = cLo[i] - radius, b = cHi[i] + radius;
            // Unclipped, clipped to a phase (z′ ≥ 0 or ≤ 0, when it keeps the range non-empty), or narrowed at random.
            switch (rng.Next(4))
            {
                case 0 when b > 0: a = Math.Max(a, 0); break;
                case 1 when a < 0: b = Math.Min(b, 0); break;
                case 2: double t = rng.NextDouble(), u = rng.NextDouble(); (a, b) = (a + (b - a) * Math.Min(t, u) * 0.5, b - (b - a) * Math.Min(t, u) * 0.5); break;
            }
            yLo[i] = a; yHi[i] = b;
        }
        return new Instance(mu, wLo, wHi, yLo, yHi, cLo, cHi, radius);
    }

    private static double Dual(Instance p) => FirstLayerDual.Sup(p.Mu, p.WLo, p.WHi, p.YLo, p.YHi, p.CLo, p.CHi, p.R);

    [Test]
    public void NoFeasiblePointExceedsTheBound([Values(false, true)] bool withW)
    {
        var rng = new Random(withW ? 11 : 12);
        int feasible = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var p = RandomInstance(rng, withW);
            int n = p.Mu.Length;
            var bound = Rational.FromDouble(Dual(p));
            for (int s = 0; s < 400; s++)
            {
                // Inside the ball (on its boundary, along one axis, or anywhere), from a point of the box.
                var v = new double[n];
                if (s % 4 == 0) v[rng.Next(n)] = (rng.Next(2) == 0 ? 1 : -1) * p.R;
                else for (int i = 0; i < n; i++) v[i] = Gaussian(rng);
                double norm = Math.Sqrt(v.Sum(t => t * t));
                double scale = norm == 0 ? 0 : p.R * (s % 4 == 1 ? 1 : Math.Pow(rng.NextDouble(), 1.0 / n)) / norm * (1 - 1e-9);
                var z = new double[n];
                bool inside = true;
                for (int i = 0; i < n; i++)
                {
                    double c = p.CLo[i] + (p.CHi[i] - p.CLo[i]) * rng.NextDouble();
                    z[i] = Math.Clamp(c, p.CLo[i], p.CHi[i]) + v[i] * scale;
                    inside &= z[i] >= p.YLo[i] && z[i] <= p.YHi[i];
                }
                if (!inside) continue;
                feasible++;
                var value = Rational.Zero;
                for (int i = 0; i < n; i++)
                {
                    var y = Rational.FromDouble(z[i]);
                    var w = Rational.FromDouble(p.WLo[i] + (p.WHi[i] - p.WLo[i]) * rng.NextDouble());
                    w = Rational.Max(Rational.FromDouble(p.WLo[i]), Rational.Min(Rational.FromDouble(p.WHi[i]), w));
                    value += Rational.FromDouble(p.Mu[i]) * Rational.Max(y, Rational.Zero) + w * y;
                }
                Assert.That(value <= bound, Is.True, $"trial {trial}: {value.ToDouble():R} above the bound {bound.ToDouble():R}");
            }
        }
        Assert.That(feasible, Is.GreaterThan(30_000), "enough feasible points were replayed");
    }

    [Test]
    public void NeverLooserThanTheLinearRelaxationOverTheBall()
    {
        var rng = new Random(13);
        int strictlyTighter = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            var p = RandomInstance(rng, withW: false);
            int n = p.Mu.Length;
            // CROWN's relaxation on [a, b] = ranges ∩ (box ± R): the chord above for μ > 0, the lower line of slope 1
            // or 0 below for μ < 0, each with its constant; then the exact sup of the line over box ⊕ ball.
            var lambda = new double[n];
            double constant = 0;
            for (int i = 0; i < n; i++)
            {
                double a = Math.Max(p.YLo[i], p.CLo[i] - p.R), b = Math.Min(p.YHi[i], p.CHi[i] + p.R), mu = p.Mu[i];
                double slope = b <= 0 ? 0 : a >= 0 ? 1 : mu > 0 ? b / (b - a) : b >= -a ? 1 : 0;
                lambda[i] = mu * slope;
                double At(double z) => mu * Math.Max(z, 0) - lambda[i] * z;
                constant += Math.Max(Math.Max(At(a), At(b)), a < 0 && b > 0 ? 0 : double.NegativeInfinity);
            }
            double linear = constant + BallConcretisation.Evaluate(lambda, p.CLo, p.CHi, p.R);
            double dual = Dual(p);
            // λ is searched to 0.5 % in log λ (FirstLayerDual.BisectionSteps), so the dual may miss its own minimum by
            // a few 1e-7 of the bound's scale; anything beyond 1e-5 would be a real loss against the relaxation.
            Assert.That(dual, Is.LessThanOrEqualTo(linear + 1e-5 * (1 + Math.Abs(linear))), $"trial {trial}");
            if (dual < linear - 1e-6 * (1 + Math.Abs(linear))) strictlyTighter++;
        }
        Assert.That(strictlyTighter, Is.GreaterThan(50), "the dual is strictly tighter on a good share of the instances");
    }

    [Test]
    public void TwoNeuronsOnTheUnitDiscGiveRootTwo()
    {
        // sup relu(y₁) + relu(y₂) over ‖y‖₂ ≤ 1 is √2 at (1, 1)/√2; the chords over [−1, 1] give 1 + √2/2.
        double[] zero = [0, 0];
        double dual = FirstLayerDual.Sup([1, 1], default, default, [-1, -1], [1, 1], zero, zero, 1);
        Assert.That(dual, Is.GreaterThanOrEqualTo(Math.Sqrt(2)));
        Assert.That(dual, Is.LessThanOrEqualTo(Math.Sqrt(2) * (1 + 1e-6)));
    }

    [Test]
    public void AnEmptyRangeOrANonFiniteInputGivesNoBound()
    {
        double[] zero = [0];
        Assert.That(FirstLayerDual.Sup([1], default, default, [0.5], [0.4], zero, zero, 1), Is.EqualTo(double.PositiveInfinity));
        Assert.That(FirstLayerDual.Sup([double.NaN], default, default, [-1], [1], zero, zero, 1), Is.EqualTo(double.PositiveInfinity));
        Assert.That(FirstLayerDual.Sup([1], default, default, [-1], [1], zero, zero, double.PositiveInfinity), Is.EqualTo(double.PositiveInfinity));
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
