using Verify.Bounds;
using Verify.Intervals;
using Verify.Search;
using Verify.Sensitivity;
using Verify.Specs;

namespace Verify.Tests.Sensitivity;

/// <summary>sensitivity's certified line at a fixed x uses the ball's exact reduction: never above its root bound,
/// which on the bundled net is below every registry bounder's, and never below the ball attack's replayed witness.</summary>
public class CertifiedBoundsBallTests
{
    [Test]
    public void AtAFixedInputTheCertifiedLineTakesTheReducedBall()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        double[] x = [0.3, -0.2, 0.5, 0.1, -0.4];
        var box = Box.FromBounds(x, x);
        var spec = NoiseSpec.OneLayer(2, MatrixNorm.Spectral, 1e-2);
        var delta = spec.EnclosingBox(net)!;
        double root = BallSplittingBounder.Root(net, box, delta)!.SupUpper;
        double registry = CertifiedBounds.Available().Min(b => b.Bound(net, box, delta).SupUpper);
        Assume.That(root, Is.LessThan(registry), "the reduction's root is the tighter one here (0.1798 against 0.1843)");
        var certified = CertifiedBounds.Compute(net, box, spec, TimeSpan.FromSeconds(5))!;
        Assert.That(certified.Upper, Is.LessThanOrEqualTo(root));
        var lower = BallAttack.Run(net, box, delta, null, new BallAttack.Options())!.Max(l => l!.Value);
        Assert.That(certified.Upper, Is.GreaterThanOrEqualTo(lower));
    }
}
