using Verify.Intervals;
using Verify.InverseStability;

namespace Verify.Tests.InverseStability;

/// <summary>
/// Examples 2.1–2.5 of Berner, Elbrächter, Grohs against the paper: the networks as printed in (22)–(33), g_k evaluated
/// from the printed formulas, and every computed number against its closed form (derived in PaperExamples' comments).
/// </summary>
public class PaperExamplesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static Rational Q(long p, long q = 1) => new(p, q);
    private static readonly Rational S = PaperExamples.Sqrt2;

    private static Rational Relu(Rational z) => z.Sign > 0 ? z : Rational.Zero;

    /// <summary>g_k as printed, written independently of the networks.</summary>
    private static Rational G(string id, int k, Rational[] x)
    {
        Rational kk = k;
        return id switch
        {
            "2.1" => kk * Relu(kk * x[0]) - kk * Relu(kk * x[0] - x[1] / (kk * kk)),
            "2.2" => Relu(x[1]) / kk,
            "2.3" => 2 * Relu(x[0]) + Relu(x[1]) / kk,
            "2.4" => Relu(x[0]) / kk,
            _ => kk * Relu(kk * x[0] + kk * x[1] + x[2] / kk) + kk * Relu(-kk * x[0] + kk * x[1] + x[2] / kk)
                 + S * kk * Relu(-S * kk * x[1] + x[2] / (S * kk)),
        };
    }

    private static IEnumerable<TestCaseData> All() =>
        from id in PaperExamples.Ids from k in Enumerable.Range(1, 4) select new TestCaseData(id, k);

    [TestCaseSource(nameof(All))]
    public void ThetaAndPhiRealiseGkExactlyAtRandomPoints(string id, int k)
    {
        var e = PaperExamples.Build(id, k);
        var rng = new Random(17 * k + id.GetHashCode(StringComparison.Ordinal) % 1000);
        for (int n = 0; n < 200; n++)
        {
            var x = Enumerable.Range(0, e.Gamma.InputSize).Select(_ => new Rational(rng.Next(-1000, 1001), rng.Next(1, 1000))).ToArray();
            Assert.That(e.Theta.Evaluate(x)[0], Is.EqualTo(G(id, k, x)), $"Θ at ({string.Join(", ", x)})");
            Assert.That(e.Phi.Evaluate(x)[0], Is.EqualTo(G(id, k, x)), $"Φ at ({string.Join(", ", x)})");
        }
    }

    [TestCaseSource(nameof(All))]
    public void RowsMatchTheClosedForms(string id, int k)
    {
        var e = PaperExamples.Build(id, k);
        var rows = ExampleReport.Evaluate(e, Timeout);
        Rational kk = k;
        var (realization, lower) = id switch
        {
            "2.1" => (new Dictionary<string, Rational> { ["sup"] = 1 / kk, ["sobolev"] = kk * kk }, kk),
            "2.2" => (new Dictionary<string, Rational> { ["sobolev"] = 1 / kk }, Q(1, 2)),    // r = 1/2 (Figure 2)
            "2.3" => (new Dictionary<string, Rational> { ["sobolev"] = 1 / kk }, Q(1)),
            "2.4" => (new Dictionary<string, Rational> { ["sobolev"] = 1 / kk }, Q(1, 2)),    // C = 1/2
            _ => (new Dictionary<string, Rational> { ["sobolev"] = 3 }, kk),
        };
        Assert.That(rows.Select(r => r.Norm.Norm), Is.EquivalentTo(realization.Keys));
        foreach (var row in rows)
        {
            Assert.That(row.Realization.Value, Is.EqualTo(realization[row.Norm.Norm]), row.Norm.Norm);
            Assert.That(row.Realization.Exact, Is.True);
            Assert.That(row.Norm.ClosedForm, Is.EqualTo(realization[row.Norm.Norm]));
            if (id == "2.5" && k == 1)
                Assert.That(row.ParameterLower.Value, Is.GreaterThanOrEqualTo(lower));   // (s + 1/s)/2 ≈ 1.06 > k at k = 1
            else Assert.That(row.ParameterLower.Value, Is.EqualTo(lower));
            Assert.That(row.ParameterUpper, Is.GreaterThanOrEqualTo(row.ParameterLower.Value));
        }
        Assert.That(e.ParameterClosedForm, Is.EqualTo(lower));
    }

    [Test]
    public void UpperBoundsAreTheExplicitParametrizations()
    {
        for (int k = 1; k <= 4; k++)
        {
            Rational kk = k;
            Assert.That(Upper("2.1", k), Is.EqualTo(kk), "2.1: Θ itself, max(k, 1/k²)");
            Assert.That(Upper("2.2", k), Is.EqualTo(Rational.Max(Q(1, 2), 2 / kk)), "2.2: ((0, r), 1/(kr))");
            Assert.That(Upper("2.3", k), Is.EqualTo(Q(1)), "2.3: Θ itself");
            Assert.That(Upper("2.4", k), Is.EqualTo(Q(1, 2)), "2.4: the explicit Φ, so the fiber distance is exactly C = 1/2");
        }
        static Rational Upper(string id, int k) => ExampleReport.Evaluate(PaperExamples.Build(id, k), Timeout)[0].ParameterUpper;
    }

    [Test]
    public void NetworksAreAsPrinted()
    {
        var e1 = PaperExamples.Build("2.1", 3);
        Assert.That(e1.Gamma.Parameters().All(p => p.IsZero), Is.True);
        Assert.That(e1.Theta.Parameters(), Is.EqualTo(new[] { Q(3), Q(0), Q(3), Q(-1, 9), Q(0), Q(0), Q(3), Q(-3), Q(0) }));
        var e2 = PaperExamples.Build("2.2", 3, Q(1, 2));
        Assert.That(e2.Gamma.Parameters(), Is.EqualTo(new[] { Q(1, 2), Q(0), Q(0), Q(0), Q(0) }));
        Assert.That(e2.Theta.Parameters(), Is.EqualTo(new[] { Q(0), Q(1), Q(0), Q(1, 3), Q(0) }));
        var e3 = PaperExamples.Build("2.3", 2);
        Assert.That(e3.Gamma.Parameters(), Is.EqualTo(new[] { Q(1), Q(0), Q(1), Q(0), Q(0), Q(0), Q(1), Q(1), Q(0) }));
        var e4 = PaperExamples.Build("2.4", 2);
        Assert.That(e4.Gamma.Layers[0].W.Select(r => r.ToArray()), Is.EqualTo(new[]
        {
            new[] { Q(1), Q(-1, 2) }, [Q(-1), Q(-1, 2)], [Q(0), Q(1)], [Q(-1), Q(1, 2)], [Q(1), Q(1, 2)], [Q(0), Q(-1)],
        }));
        Assert.That(e4.Gamma.Layers[1].W[0], Is.EqualTo(new[] { Q(1), Q(1), Q(1), Q(-1), Q(-1), Q(-1) }));
        var e5 = PaperExamples.Build("2.5", 2);
        Assert.That(e5.Theta.Layers[0].W[0], Is.EqualTo(new[] { Q(2), Q(2), Q(1, 2) }));
        Assert.That(e5.Theta.Layers[0].W[1], Is.EqualTo(new[] { Q(-2), Q(2), Q(1, 2) }));
        Assert.That(e5.Theta.Layers[0].W[2], Is.EqualTo(new[] { Q(0), -2 * S, 1 / (2 * S) }));
        Assert.That(e5.Theta.Layers[1].W[0], Is.EqualTo(new[] { Q(2), Q(2), 2 * S }));
        Assert.That(e5.Gamma.Layers[0].W[2], Is.EqualTo(new[] { Q(0), 2 * S, -1 / (2 * S) }));
        Assert.That(Math.Abs(S.ToDouble() - Math.Sqrt(2)), Is.EqualTo(0.0));
    }

    // inf_t ‖t n − a‖∞ against a fine grid of t (the exact minimum can only be lower than any grid value and must be
    // approached by it).
    [Test]
    public void LineDistanceMatchesAGridSearch()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var n = Enumerable.Range(0, 3).Select(_ => new Rational(rng.Next(-8, 9), 4)).ToArray();
            if (n.All(v => v.IsZero)) continue;
            var a = Enumerable.Range(0, 3).Select(_ => new Rational(rng.Next(-8, 9), 4)).ToArray();
            foreach (int? sign in new int?[] { null, 1, -1 })
            {
                var exact = FiberLemmas.LineDistance(n, a, sign).ToDouble();
                double grid = double.PositiveInfinity;
                for (int i = -4000; i <= 4000; i++)
                {
                    double t = i / 400.0;
                    if (sign is { } s && t * s < 0) continue;
                    grid = Math.Min(grid, Enumerable.Range(0, 3).Max(k => Math.Abs(t * n[k].ToDouble() - a[k].ToDouble())));
                }
                Assert.That(exact, Is.LessThanOrEqualTo(grid + 1e-12));
                Assert.That(exact, Is.GreaterThan(grid - 0.02));
            }
        }
    }

    [Test]
    public void SqrtDownIsExactOnSquaresAndBelowOtherwise()
    {
        Assert.That(FiberLemmas.SqrtDown(Q(9, 4)), Is.EqualTo(Q(3, 2)));
        var r = FiberLemmas.SqrtDown(2);
        Assert.That(r * r, Is.LessThanOrEqualTo((Rational)2));
        Assert.That(r.ToDouble(), Is.EqualTo(Math.Sqrt(2)).Within(1e-15));
    }
}
