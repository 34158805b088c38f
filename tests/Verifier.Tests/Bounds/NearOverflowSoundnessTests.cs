using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Bounds;

/// <summary>
/// Soundness near the top of the double range, below the CLI's 1e100 input limit (Specs/NumericRange): networks
/// whose layers are scaled by powers of two up to 2^1000 (exact, so the rational replay stays cheap), boxes up to
/// 2^900. Every bounder must return, for every output, a bound no exact deviation exceeds, or +∞ (an overflowed
/// coefficient, ∞ − ∞ or ∞·0 on the way: no bound): never NaN, never an exception, never a finite under-estimate.
/// </summary>
public class NearOverflowSoundnessTests
{
    private static readonly int[][] Architectures = [[2, 3, 1], [2, 4, 2], [3, 5, 4, 2], [3, 8, 8, 2], [1, 6, 6, 6, 1]];

    [Test]
    public void HugeScalesNeverUnderEstimate()
    {
        int samples = 0, bounded = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            var rng = new Random(seed);
            var arch = Architectures[seed % Architectures.Length];
            var unit = DeviationOracle.RandomNetwork(rng, arch, dyadic: true, Activation.Relu);
            // Even seeds: every magnitude of the network stays near or below 2^1000 (finite bounds expected), the biases
            // on the scale of their layer's products; odd seeds let the products pass the double range.
            bool tame = seed % 2 == 0;
            int top = tame ? 1000 / arch.Length : 1020 / (arch.Length - 1) + 300;
            var scales = Enumerable.Range(0, arch.Length - 1).Select(_ => rng.Next(top / 2, top)).ToArray();
            var unitBox = DeviationOracle.RandomBox(rng, arch[0]);
            int boxScale = tame ? rng.Next(0, top) : rng.Next(0, 900);
            var box = Box.FromBounds(unitBox.Lower.Select(v => Math.ScaleB(v, boxScale)).ToArray(), unitBox.Upper.Select(v => Math.ScaleB(v, boxScale)).ToArray());
            var layers = unit.Layers.Select((L, l) => L.With(
                L.Weights.ToArray().Select(w => Math.ScaleB(w, Math.Min(1000, scales[l] + rng.Next(-8, 8)))).ToArray(),
                L.Bias.ToArray().Select(b => Math.ScaleB(b, tame ? Math.Min(1000, boxScale + scales.Take(l + 1).Sum()) : rng.Next(0, 1000))).ToArray())).ToArray();
            var net = unit.WithLayers(layers);
            double[] epsChoices = [1.0 / 1024, 0.01, 1.0 / 16, 0.3];
            double eps = epsChoices[rng.Next(epsChoices.Length)];
            var model = rng.Next(2) == 0 ? PerturbationModel.Relative(eps) : PerturbationModel.Absolute(Math.ScaleB(eps, scales[0]));
            var delta = model.ToBox(net);
            var bounds = new List<(string Name, double[] Upper)>();
            foreach (var b in SoundnessTests.Bounders()) bounds.Add((b.Name, b.Bound(net, box, delta).Upper));
            foreach (var (name, upper) in bounds)
                Assert.That(upper.Any(double.IsNaN), Is.False, $"seed {seed} {name}: NaN bound");
            bounded += bounds.Count(b => b.Upper.All(double.IsFinite));
            for (int k = 0; k < 20; k++)
            {
                var x = DeviationOracle.SampleX(rng, box, corner: k % 3 == 0);
                Rational[] y0, y1;
                try
                {
                    var perturbed = DeviationOracle.SampleBoxPerturbation(rng, net, delta, vertex: k % 4 != 3);
                    y0 = DeviationOracle.Exact(net, x); y1 = DeviationOracle.Exact(perturbed, x);
                }
                catch (ArgumentException) { continue; } // the sampled θ' overflowed to ∞: not a real network
                samples++;
                foreach (var (name, upper) in bounds)
                    for (int j = 0; j < upper.Length; j++)
                        if (double.IsFinite(upper[j]) && Rational.Abs(y1[j] - y0[j]) > Rational.FromDouble(upper[j]))
                            Assert.Fail($"seed {seed} {name} output {j}: exact deviation {Rational.Abs(y1[j] - y0[j]).ToDouble():R} exceeds U = {upper[j]:R} (scales {string.Join(",", scales)}, box 2^{boxScale})");
            }
        }
        Assert.That(samples, Is.GreaterThanOrEqualTo(3000));
        Assert.That(bounded, Is.GreaterThanOrEqualTo(500), $"only {bounded} finite bounds: the test would not see an under-estimate");
    }
}
