using Verify.Certify;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Tests.Certify;

/// <summary>certify on a one-layer norm ball at a point box: linear adds the reduced ball's root bound, auto branches on
/// the tail's phases instead of bisecting a point, and the result stays above the replayed witness.</summary>
public class CertifyBallTests
{
    private static CertifyQuery Query(BoundMethod method, Box box) =>
        new(TestData.Network("net_5_50x6_5.json"), box,
            new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 3, Norm = MatrixNorm.Frobenius, Ratio = 1e-3 },
            method, TimeSpan.FromSeconds(60)) { NetworkPath = "net.json", NetworkSha256 = "00", AttackRestarts = 2, MaxSplits = 400 };

    private static readonly double[] X = [0.3, -0.2, 0.5, 0.1, -0.4];

    [Test]
    public void LinearAddsTheBallsRootBound()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Linear, Box.FromBounds(X, X)));
        Assert.That(r.Methods.Select(m => m.Name), Is.EqualTo(new[] { "analytic", "ibp", "linear", CertifyEngine.BallMethodName }));
        for (int j = 0; j < r.Upper.Length; j++) Assert.That(r.Upper[j], Is.EqualTo(r.Methods.Min(m => m.Upper[j])));
        Assert.That(r.SupLower!.Value, Is.LessThanOrEqualTo(r.SupUpper));
    }

    [Test]
    public void AutoBranchesOnTheTailsPhasesAtAPoint()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Auto, Box.FromBounds(X, X)));
        Assert.That(r.Methods.Select(m => m.Name), Does.Contain(CertifyEngine.BallSplitMethodName));
        Assert.That(r.SupLower!.Value, Is.LessThanOrEqualTo(r.SupUpper));
        Assert.That(r.SupUpper, Is.LessThanOrEqualTo(1.01 * r.SupLower!.Value), "the r = 1e-3 ball closes (root: 1.15·L)");
    }

    [Test]
    public void WithACertificateThePathStaysAsItWas()
    {
        var r = CertifyEngine.Run(Query(BoundMethods.Linear, Box.FromBounds(X, X)) with { Certificate = true });
        Assert.That(r.Methods.Select(m => m.Name), Is.EqualTo(new[] { "analytic", "ibp", "linear" }));
    }

    [Test]
    public void ABoxIsNotReduced()
    {
        var hi = X.Select(v => v + 0.01).ToArray();
        var r = CertifyEngine.Run(Query(BoundMethods.Linear, Box.FromBounds(X, hi)));
        Assert.That(r.Methods.Select(m => m.Name), Does.Not.Contain(CertifyEngine.BallMethodName));
    }
}
