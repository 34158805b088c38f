using Verify.Bounds;
using Verify.Intervals;
using Verify.Io.Onnx;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Execution;

/// <summary>
/// The `--execution` bound against real floating-point evaluations: ONNX Runtime's float32 Gemm/Relu kernels and our
/// own float32/float16/bfloat16 evaluations in several summation orders (with and without FMA), at many points of the
/// box, each compared with the exact rational output of the nominal network. Every observed |float − exact| must lie
/// within the certified U_j. Each test also asserts that rounding was actually observed, so it cannot pass vacuously.
/// </summary>
[NonParallelizable]
public class RuntimeSoundnessTests
{
    public sealed record Instance(string File, double[] Lo, double[] Hi, int Points)
    {
        public override string ToString() => File;
    }

    private static Instance Cube(string file, int d, int points) => new(file, Enumerable.Repeat(-1.0, d).ToArray(), Enumerable.Repeat(1.0, d).ToArray(), points);

    public static IEnumerable<Instance> Float32Instances() =>
    [
        Cube("net_2_16_16_1.json", 2, 300),
        Cube("net_4_50x3_2.json", 4, 150),
        Cube("net_5_50x6_5.json", 5, 60),
        new("ACASXU_run2a_1_1_batch_2000.nnet", [0.6, -0.5, -0.5, 0.45, -0.5], [0.679857769, 0.5, 0.5, 0.5, -0.45], 60),
    ];

    private static readonly SummationOrder[] AllOrders = Enum.GetValues<SummationOrder>();
    private static readonly SummationOrder[] OrdersWithoutFma = AllOrders.Where(o => o is not (SummationOrder.FmaForward or SummationOrder.FmaReverse)).ToArray();

    [TestCaseSource(nameof(Float32Instances))]
    public void Float32BoundContainsOnnxRuntimeAndReorderedEvaluations(Instance c)
    {
        var net = TestData.Network(c.File);
        var box = Box.FromBounds(c.Lo, c.Hi);
        var upper = FloatBound(net, box, PerturbationModel.Absolute(0), ExecutionFormat.Float32);
        var points = Points(box, c.Points, seed: 18);
        using var ort = new OnnxRuntimeSession(net, float32: true);
        var fromOrt = ort.Run(points);
        var worst = new Worst(upper);
        for (int p = 0; p < points.Count; p++)
        {
            var exact = net.EvaluateExact(points[p].Select(Rational.FromDouble).ToArray());
            worst.Check(exact, fromOrt[p].Select(v => (double)v).ToArray(), $"ONNX Runtime at point {p}");
            foreach (var order in AllOrders)
                worst.Check(exact, FloatEvaluator.Evaluate(net, points[p], FloatArithmetic.Float32, order), $"{order} at point {p}");
        }
        // Batch size 1 takes ORT's GEMV path rather than its blocked GEMM: a different summation order.
        foreach (var x in points.Take(5))
            worst.Check(net.EvaluateExact(x.Select(Rational.FromDouble).ToArray()), ort.Run([x])[0].Select(v => (double)v).ToArray(), "ONNX Runtime, batch 1");
        worst.Report(c.File + " float32");
    }

    public static IEnumerable<TestCaseData> NarrowFormats()
    {
        foreach (var (file, d) in new[] { ("net_2_16_16_1.json", 2), ("net_4_50x3_2.json", 4) })
        {
            yield return new TestCaseData(file, d, "float16").SetName($"{file} float16");
            yield return new TestCaseData(file, d, "bfloat16").SetName($"{file} bfloat16");
        }
    }

    [TestCaseSource(nameof(NarrowFormats))]
    public void NarrowFormatBoundContainsReorderedEvaluations(string file, int d, string format)
    {
        var net = TestData.Network(file);
        var box = Box.FromBounds(Enumerable.Repeat(-1.0, d).ToArray(), Enumerable.Repeat(1.0, d).ToArray());
        var f = ExecutionFormat.Parse(format);
        var arithmetic = format == "float16" ? FloatArithmetic.Float16 : FloatArithmetic.BFloat16;
        var upper = FloatBound(net, box, PerturbationModel.Absolute(0), f);
        CheckOrdersWithoutFma(net, box, upper, arithmetic, 120, 5, format, $"{file} {format}");
    }

    /// <summary>Every order without FMA, at sampled points, against the certified bound (and some rounding seen).</summary>
    private static void CheckOrdersWithoutFma(Network net, Box box, double[] upper, FloatArithmetic arithmetic, int points,
                                              int seed, string format, string label)
    {
        var worst = new Worst(upper);
        foreach (var x in Points(box, points, seed))
        {
            var exact = net.EvaluateExact(x.Select(Rational.FromDouble).ToArray());
            foreach (var order in OrdersWithoutFma)
                worst.Check(exact, FloatEvaluator.Evaluate(net, x, arithmetic, order), $"{format} {order}");
        }
        worst.Report(label);
    }

    /// <summary>Leaky ReLU: the slope is stored rounded (1e-6 is subnormal in float16, off by 1.3 %) and the product
    /// rounded; both enter the next layer as a relative error of its weights.</summary>
    [TestCase(0.1, "float16")]
    [TestCase(1e-6, "float16")]
    [TestCase(0.3, "bfloat16")]
    public void LeakyNetworksStayWithinTheBound(double slope, string format)
    {
        var relu = TestData.Network("net_2_16_16_1.json");
        var net = relu.WithLayers(relu.Layers.Select((l, i) => i < relu.Depth - 1 ? l.With(activation: Activation.Leaky(slope)) : l).ToArray());
        var box = Box.FromBounds([-1.0, -1.0], [1.0, 1.0]);
        var upper = FloatBound(net, box, PerturbationModel.Absolute(0), ExecutionFormat.Parse(format));
        var arithmetic = format == "float16" ? FloatArithmetic.Float16 : FloatArithmetic.BFloat16;
        CheckOrdersWithoutFma(net, box, upper, arithmetic, 150, 11, format, $"leaky {slope} {format}");
    }

    /// <summary>
    /// The user's perturbation and the rounding together: float32 evaluations (ORT and reordered) of perturbed
    /// networks θ′ (vertices and interior points of the ε-box) stay within the float32 bound of that ε around the exact
    /// nominal output, and that bound is at least the real-arithmetic one.
    /// </summary>
    [TestCase("net_2_16_16_1.json", 2, 1e-3)]
    [TestCase("net_4_50x3_2.json", 4, 1e-4)]
    public void PerturbedFloat32EvaluationsStayWithinTheCombinedBound(string file, int d, double eps)
    {
        var net = TestData.Network(file);
        var box = Box.FromBounds(Enumerable.Repeat(-1.0, d).ToArray(), Enumerable.Repeat(1.0, d).ToArray());
        var model = PerturbationModel.Absolute(eps);
        var upper = FloatBound(net, box, model, ExecutionFormat.Float32);
        var real = new LinearDifferenceBounder().Bound(net, box, model.ToBox(net)).Upper;
        for (int j = 0; j < upper.Length; j++) Assert.That(upper[j], Is.GreaterThanOrEqualTo(real[j]), $"output {j}");
        var rng = new Random(3);
        var points = Points(box, 40, seed: 7);
        var worst = new Worst(upper);
        for (int s = 0; s < 6; s++)
        {
            var theta = net.Flatten();
            for (int k = 0; k < theta.Length; k++)
                theta[k] += s % 2 == 0 ? (rng.Next(2) == 0 ? -eps : eps) : eps * (2 * rng.NextDouble() - 1);
            var moved = net.WithParameters(theta);
            if (!model.ToBox(net).Admits(net, moved)) continue; // θ + ε rounded may step just outside the box
            using var ort = new OnnxRuntimeSession(moved, float32: true);
            var fromOrt = ort.Run(points);
            for (int p = 0; p < points.Count; p++)
            {
                var exact = net.EvaluateExact(points[p].Select(Rational.FromDouble).ToArray());
                worst.Check(exact, fromOrt[p].Select(v => (double)v).ToArray(), "ONNX Runtime (perturbed)");
                worst.Check(exact, FloatEvaluator.Evaluate(moved, points[p], FloatArithmetic.Float32, SummationOrder.FmaReverse), "FMA (perturbed)");
            }
        }
        worst.Report($"{file} float32 ε={eps}");
    }

    internal static double[] FloatBound(Network net, Box box, PerturbationModel model, ExecutionFormat f)
    {
        var delta = (model with { Execution = f }).ToBox(net);
        Assert.That(ExecutionOverflow.Check(net, box, delta, f), Is.Null, "no overflow on these instances");
        return new LinearDifferenceBounder().Bound(net, box, delta).Upper;
    }

    /// <summary>The box's centre and corners (up to 32) and seeded uniform points.</summary>
    internal static List<double[]> Points(Box box, int random, int seed)
    {
        var lo = box.Lower; var hi = box.Upper; int d = lo.Length;
        var points = new List<double[]> { box.Center };
        if (d <= 5)
            for (int mask = 0; mask < 1 << d; mask++)
                points.Add(Enumerable.Range(0, d).Select(i => (mask >> i & 1) == 0 ? lo[i] : hi[i]).ToArray());
        var rng = new Random(seed);
        for (int p = 0; p < random; p++) points.Add(Enumerable.Range(0, d).Select(i => lo[i] + (hi[i] - lo[i]) * rng.NextDouble()).ToArray());
        return points;
    }

    /// <summary>Checks |float − exact| ≤ U_j exactly, and keeps the largest observed error relative to U_j.</summary>
    private sealed class Worst(double[] upper)
    {
        private double _ratio;
        private Rational _largest = Rational.Zero;
        private int _checks;

        public void Check(Rational[] exact, double[] computed, string what)
        {
            for (int j = 0; j < exact.Length; j++)
            {
                var err = Rational.Abs(Rational.FromDouble(computed[j]) - exact[j]);
                Assert.That(err <= Rational.FromDouble(upper[j]), $"{what}, output {j}: |float − exact| = {err.ToDouble():R} > certified U = {upper[j]:R}");
                _largest = Rational.Max(_largest, err);
                _ratio = Math.Max(_ratio, err.ToDouble() / upper[j]);
            }
            _checks++;
        }

        public void Report(string name)
        {
            Assert.That(_largest.IsZero, Is.False, "no rounding error observed: the comparison would be vacuous");
            TestContext.Out.WriteLine($"{name}: {_checks} evaluations, largest |float − exact| = {_largest.ToDouble():G3}, at most {_ratio:P2} of U; U = [{string.Join(", ", upper.Select(u => u.ToString("G3")))}]");
        }
    }
}
