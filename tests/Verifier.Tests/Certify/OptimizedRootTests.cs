using Verify.Certify;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Tests.Certify;

/// <summary>auto's α-optimised root pass on high-dimensional boxes (Certify/OptimizedRoot): when it runs, what it adds.</summary>
public class OptimizedRootTests
{
    private static CertifyQuery HighDimensional(TimeSpan timeout)
    {
        var net = Verify.Tests.Search.SearchTestNets.Random(17, false, 784, 12, 12, 3);
        var rng = new Random(5);
        var centre = Enumerable.Range(0, 784).Select(_ => rng.Next(0, 65) / 64.0).ToArray();
        var box = Box.FromBounds(centre.Select(c => c - 0.03).ToArray(), centre.Select(c => c + 0.03).ToArray());
        return new CertifyQuery(net, box, PerturbationModel.Relative(1e-2), BoundMethods.Auto, timeout) { AttackRestarts = 1 };
    }

    [Test]
    public void AppliesToAutoOnHighDimensionalBoxesOnly()
    {
        var q = HighDimensional(TimeSpan.FromSeconds(10));
        Assert.That(OptimizedRoot.Applies(q), Is.True);
        Assert.That(OptimizedRoot.Applies(q with { Method = BoundMethods.Linear }), Is.False, "linear asked: one plain pass");
        Assert.That(OptimizedRoot.Applies(q with { Method = BoundMethods.Z3 }), Is.False);
        Assert.That(OptimizedRoot.Applies(q with { OptimizeSlopes = true }), Is.False, "the ladder's linear pass is optimised already");
        Assert.That(OptimizedRoot.Applies(q with { Certificate = true }), Is.False);
        var small = new CertifyQuery(TestData.Network("net_2_16_16_1.json"), Box.FromBounds([-1, -1], [1, 1]),
            PerturbationModel.Absolute(1e-3), BoundMethods.Auto, TimeSpan.FromSeconds(10));
        Assert.That(OptimizedRoot.Applies(small), Is.False, "two inputs: bisection does the work");
    }

    /// <summary>With room in the budget the pass joins the methods, is never looser than the plain pass, and the
    /// certified U is the element-wise minimum; an estimate that does not fit in half the budget skips it.</summary>
    [Test]
    public void RunsWhenItFitsAndTightensThePlainPass()
    {
        var q = HighDimensional(TimeSpan.FromSeconds(20));
        var delta = q.Perturbation.ToBox(q.Network);
        new Verify.Bounds.LinearDifferenceBounder().Bound(q.Network, q.Box, delta); // compiled before the engine times its plain pass
        var result = CertifyEngine.Run(q);
        var optimized = result.Methods.Single(m => m.Name == OptimizedRoot.MethodName);
        var plain = result.Methods.Single(m => m.Name == BoundMethods.Linear.Name);
        for (int j = 0; j < result.Upper.Length; j++)
        {
            Assert.That(optimized.Upper[j], Is.LessThanOrEqualTo(plain.Upper[j]), $"output {j}");
            Assert.That(result.Upper[j], Is.EqualTo(result.Methods.Min(m => m.Upper[j])), $"output {j}");
            if (result.Lower?[j] is { } l) Assert.That(l.Value, Is.LessThanOrEqualTo(result.Upper[j]));
        }
        Assert.That(OptimizedRoot.Run(q.Network, q.Box, delta, new BounderSettings(), plainSeconds: 1, TimeSpan.FromSeconds(10)), Is.Null,
            "40 plain passes of 1 s do not fit in 5 s");
    }
}
