using Verify.Certify;
using Verify.Equivalence;
using Verify.Intervals;

namespace Verify.Tests.Equivalence;

public class PartBounderTests
{
    /// <summary>A child part bounded from its parent's layer enclosures still encloses f2 − f1 at every sample, and is
    /// never looser than the parent.</summary>
    [TestCase(3)]
    [TestCase(4)]
    public void ChildrenBoundedFromTheParentsEnclosuresStaySound(int seed)
    {
        var f1 = EquivFixtures.Random(seed, 3, 12, 12, 2);
        var f2 = EquivFixtures.Jitter(f1, 0.01, seed + 100);
        var bounder = new PartBounder(f1, f2, BoundMethods.CreateBounders(null));
        var box = EquivFixtures.Cube(3, 1);
        var parent = bounder.Bound(box, topOne: false, CancellationToken.None);
        var rng = new Random(seed);
        var part = box;
        var bound = parent;
        for (int depth = 0; depth < 6; depth++)
        {
            var (l, r) = part.Bisect(depth % 3);
            part = rng.Next(2) == 0 ? l : r;
            var child = bounder.Bound(part, topOne: false, CancellationToken.None, bound);
            for (int j = 0; j < 2; j++) Assert.That(child.Upper[j], Is.LessThanOrEqualTo(bound.Upper[j]));
            bound = child;
            for (int s = 0; s < 300; s++)
            {
                var x = Enumerable.Range(0, 3).Select(k => Rational.FromDouble(part[k].Lo + rng.NextDouble() * (part[k].Hi - part[k].Lo))).ToArray();
                var y1 = f1.EvaluateExact(x); var y2 = f2.EvaluateExact(x);
                for (int j = 0; j < 2; j++)
                {
                    var d = y2[j] - y1[j];
                    var iv = bound.Difference[j];
                    Assert.That(Rational.FromDouble(iv.Lo) <= d && d <= Rational.FromDouble(iv.Hi), $"depth {depth}, output {j}: {d} outside {iv}");
                }
            }
        }
    }
}
