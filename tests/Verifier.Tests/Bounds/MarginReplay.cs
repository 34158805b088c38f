using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Exact replays against certified margins: admissible (x, θ') — random points of the box with random or vertex δ, and
/// the gradient corner that attacks each rival's margin — evaluated in exact rationals must never have a margin
/// y'_c − y'_j below the certified lower bound of j.
/// </summary>
internal static class MarginReplay
{
    /// <summary>Asserts every replay; returns how many replays were checked against a finite bound.</summary>
    public static int AssertNoneBeats(Network net, Box box, ParameterBox delta, int cls, double[] lower, Random rng, int samples, string context)
    {
        int checks = 0;
        for (int s = 0; s < samples; s++)
        {
            var x = DeviationOracle.SampleX(rng, box, corner: s % 3 == 0);
            for (int j = 0; j < net.OutputSize; j++)
            {
                if (j == cls || double.IsNegativeInfinity(lower[j])) continue;
                var perturbed = s % 2 == 0
                    ? MarginOracle.GradientCorner(net, delta, x, cls, j)
                    : DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: s % 4 == 1);
                Assert.That(delta.Admits(net, perturbed), Is.True, $"{context}: the oracle built an inadmissible θ'");
                var exact = MarginOracle.Margin(perturbed, x, cls, j);
                Assert.That(Rational.FromDouble(lower[j]) <= exact, Is.True,
                    $"{context}: certified margin {lower[j]:R} for class {cls} vs {j} above the exact {exact.ToInterval().Lo:R} at x=[{string.Join(", ", x)}]");
                checks++;
            }
        }
        return checks;
    }
}
