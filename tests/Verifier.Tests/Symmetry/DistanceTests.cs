using Verify.Model;
using Verify.Results;
using Verify.Symmetry;

namespace Verify.Tests.Symmetry;

public class DistanceTests
{
    [Test]
    public void PowerOfTwoCopiesAreAtDistanceZeroModuloPermAndScale([Values(new[] { 6, 20, 3 }, new[] { 4, 5, 6, 2 }, new[] { 8, 12, 10, 3 })] int[] widths)
    {
        var rng = new Random(21);
        var net = RandomNets.Create(rng, widths);
        var copy = RandomNets.PermutedScaledCopy(rng, net, pow2: true);
        var r = ParameterDistance.Compute(net, copy, DistanceModulo.PermScale);
        Assert.That(r.Distance, Is.EqualTo(0.0));
        Assert.That(ParameterVectors.LInf(net, r.Aligned), Is.EqualTo(0.0), "the aligned copy is A itself");
        Assert.That(ParameterDistance.Compute(net, copy, DistanceModulo.None).Distance, Is.GreaterThan(0.5));
        var h = ParameterDistance.Compute(net, copy, DistanceModulo.PermScale, DistanceMethod.Heuristic);
        Assert.That(h.Distance, Is.EqualTo(0.0).Within(1e-12));
        Assert.That(h.Exact, Is.EqualTo(h.Distance == 0), "an upper bound is exact only when it is 0");
    }

    [Test]
    public void PermutedCopiesAreAtDistanceZeroModuloPerm([Values(new[] { 6, 20, 3 }, new[] { 4, 5, 6, 2 }, new[] { 8, 12, 10, 3 })] int[] widths)
    {
        var rng = new Random(22);
        var net = RandomNets.Create(rng, widths);
        var copy = RandomNets.Permuted(rng, net);
        var r = ParameterDistance.Compute(net, copy, DistanceModulo.Perm);
        Assert.That(r.Distance, Is.EqualTo(0.0));
        Assert.That(r.Aligned.Flatten(), Is.EqualTo(net.Flatten()));
    }

    [Test]
    public void NoisedCopiesAreWithinEta([Values(new[] { 5, 16, 3 }, new[] { 4, 5, 6, 2 }, new[] { 6, 12, 10, 3 })] int[] widths)
    {
        var rng = new Random(23);
        const double eta = 1e-3;
        for (int trial = 0; trial < 3; trial++)
        {
            var net = RandomNets.Create(rng, widths);
            var noised = RandomNets.Noised(rng, net, eta);
            var scaledCopy = RandomNets.PermutedScaledCopy(rng, noised, pow2: true);
            var permCopy = RandomNets.Permuted(rng, noised);
            var ds = ParameterDistance.Compute(net, scaledCopy, DistanceModulo.PermScale);
            var dp = ParameterDistance.Compute(net, permCopy, DistanceModulo.Perm);
            Assert.That(ds.Distance, Is.LessThanOrEqualTo(eta));
            Assert.That(dp.Distance, Is.LessThanOrEqualTo(eta));
            Assert.That(dp.Distance, Is.GreaterThan(0));
            Assert.That(ParameterDistance.Compute(net, permCopy, DistanceModulo.None).Distance, Is.GreaterThan(10 * eta));
        }
    }

    [Test]
    public void OneHiddenLayerExactAgreesWithBruteForce()
    {
        var rng = new Random(24);
        for (int trial = 0; trial < 15; trial++)
        {
            var a = RandomNets.Create(rng, 3, 5, 2);
            var b = trial % 2 == 0 ? RandomNets.Create(rng, 3, 5, 2) : RandomNets.Noised(rng, RandomNets.PermutedScaledCopy(rng, a, false), 0.1);
            Assert.That(ParameterDistance.Compute(a, b, DistanceModulo.Perm).Distance, Is.EqualTo(BruteForce(a, b, false)).Within(1e-15));
            Assert.That(ParameterDistance.Compute(a, b, DistanceModulo.PermScale).Distance, Is.EqualTo(BruteForce(a, b, true)).Within(1e-12));
        }
    }

    [Test]
    public void DeepBranchAndBoundAgreesWithBruteForce()
    {
        var rng = new Random(25);
        for (int trial = 0; trial < 6; trial++)
        {
            var a = RandomNets.Create(rng, 2, 3, 3, 2);
            var b = trial % 2 == 0 ? RandomNets.Create(rng, 2, 3, 3, 2) : RandomNets.Noised(rng, RandomNets.PermutedScaledCopy(rng, a, false), 0.05);
            var dp = ParameterDistance.Compute(a, b, DistanceModulo.Perm);
            var ds = ParameterDistance.Compute(a, b, DistanceModulo.PermScale);
            Assert.That(dp.Exact && ds.Exact, Is.True);
            Assert.That(dp.Distance, Is.EqualTo(BruteForce(a, b, false)).Within(1e-15));
            Assert.That(ds.Distance, Is.EqualTo(BruteForce(a, b, true)).Within(1e-9));
            // The heuristic is an upper bound.
            Assert.That(ParameterDistance.Compute(a, b, DistanceModulo.Perm, DistanceMethod.Heuristic).Distance, Is.GreaterThanOrEqualTo(dp.Distance));
            Assert.That(ParameterDistance.Compute(a, b, DistanceModulo.PermScale, DistanceMethod.Heuristic).Distance, Is.GreaterThanOrEqualTo(ds.Distance - 1e-12));
        }
    }

    [Test]
    public void DeepBranchAndBoundStopsAtItsNodeBudgetWithAnUpperBound([Values(false, true)] bool scale)
    {
        var rng = new Random(29);
        var a = RandomNets.Create(rng, 2, 4, 4, 2);
        var b = RandomNets.Create(rng, 2, 4, 4, 2);
        var exact = DeepBranchAndBound.Solve(a, b, scale);
        var cut = DeepBranchAndBound.Solve(a, b, scale, nodeLimit: 3);
        Assert.That(exact.Exact, Is.True);
        Assert.That(exact.Distance, Is.EqualTo(BruteForce(a, b, scale)).Within(scale ? 1e-9 : 1e-15));
        Assert.That(cut.Exact, Is.False);
        Assert.That(cut.Method, Does.StartWith("branch and bound stopped after 4 nodes"));
        Assert.That(cut.Distance, Is.GreaterThanOrEqualTo(exact.Distance));
        // Whatever the budget, the alignment returned is a symmetry of B that attains the distance reported.
        foreach (var r in new[] { exact, cut })
        {
            Assert.That(ParameterVectors.LInf(a, r.Aligned), Is.EqualTo(r.Distance).Within(1e-12));
            var x = new[] { 0.3, -0.7 };
            Assert.That(r.Aligned.Evaluate(x), Is.EqualTo(b.Evaluate(x)).Within(1e-12));
        }
    }

    [Test]
    public void DeepBranchAndBoundVisitsTheSameNodesWhateverTheBudget()
    {
        // Depth first: a budget just above a complete run's node count changes nothing, one just below stops it.
        var rng = new Random(30);
        var a = RandomNets.Create(rng, 2, 3, 3, 2);
        var b = RandomNets.Create(rng, 2, 3, 3, 2);
        var full = DeepBranchAndBound.Solve(a, b, scale: true);
        long nodes = long.Parse(full.Method.Split('(')[1].Split(' ')[0]);
        var same = DeepBranchAndBound.Solve(a, b, scale: true, nodeLimit: nodes);
        Assert.That(same.Exact, Is.True);
        Assert.That(same.Method, Is.EqualTo(full.Method));
        Assert.That(same.Alignment.Permutations, Is.EqualTo(full.Alignment.Permutations));
        Assert.That(DeepBranchAndBound.Solve(a, b, scale: true, nodeLimit: nodes - 1).Exact, Is.False);
    }

    [Test]
    public void ScalingProblemAgreesWithPerNeuronCostsOnOneHiddenLayer()
    {
        // Two independent exact methods: difference constraints over all scales vs the per-neuron 1-D optimum.
        var rng = new Random(28);
        for (int trial = 0; trial < 10; trial++)
        {
            var a = RandomNets.Create(rng, 3, 4, 2);
            var b = trial % 2 == 0 ? RandomNets.Create(rng, 3, 4, 2) : RandomNets.Noised(rng, RandomNets.PermutedScaledCopy(rng, a, false), 0.05);
            var A = new EditableNetwork(a); var B = new EditableNetwork(b);
            double perNeuron = ParameterVectors.MaxAbsDiff(A.B[1], B.B[1]);
            for (int i = 0; i < 4; i++)
                perNeuron = Math.Max(perNeuron, ScaledNeuronCost.Cost(ParameterVectors.Incoming(A, 0, i), ParameterVectors.Incoming(B, 0, i),
                    ParameterVectors.Outgoing(A, 0, i), ParameterVectors.Outgoing(B, 0, i)));
            Assert.That(ScalingLevel(a, b), Is.EqualTo(perNeuron).Within(1e-12 * Math.Max(1, perNeuron)));
        }
    }

    [Test]
    public void AlignedCopyAttainsTheDistanceAndIsInTheOrbit()
    {
        var rng = new Random(26);
        var a = RandomNets.Create(rng, 3, 6, 2);
        var b = RandomNets.Create(rng, 3, 6, 2);
        var r = ParameterDistance.Compute(a, b, DistanceModulo.PermScale);
        Assert.That(ParameterVectors.LInf(a, r.Aligned), Is.EqualTo(r.Distance).Within(1e-12));
        // Same function as B: the alignment is a symmetry.
        for (int t = 0; t < 10; t++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            Assert.That(r.Aligned.Evaluate(x), Is.EqualTo(b.Evaluate(x)).Within(1e-12));
        }
    }

    [Test]
    public void DifferentArchitecturesAreRejected()
    {
        var rng = new Random(27);
        Assert.Throws<Verify.Errors.BadInputException>(() =>
            ParameterDistance.Compute(RandomNets.Create(rng, 3, 4, 2), RandomNets.Create(rng, 3, 5, 2), DistanceModulo.Perm));
        Assert.Throws<Verify.Errors.BadInputException>(() =>
            ParameterDistance.Compute(RandomNets.Create(rng, 3, 4, 2), RandomNets.Create(rng, Activation.Leaky(0.1), 3, 4, 2), DistanceModulo.None));
    }

    /// <summary>Min over all permutation tuples; with scaling, per tuple the exact difference-constraint optimum (an algorithm independent of ScaledNeuronCost).</summary>
    private static double BruteForce(Network a, Network b, bool scale)
    {
        int H = a.Depth - 1;
        var widths = Enumerable.Range(0, H).Select(l => a.Layers[l].Outputs).ToArray();
        double best = double.PositiveInfinity;
        foreach (var perms in Tuples(widths, 0))
        {
            var identity = perms.Select(p => Enumerable.Repeat(1.0, p.Length).ToArray()).ToArray();
            var permuted = new Alignment(perms, identity).Apply(b);
            double d = scale ? ScalingLevel(a, permuted) : ParameterVectors.LInf(a, permuted);
            best = Math.Min(best, d);
        }
        return best;
    }

    private static IEnumerable<int[][]> Tuples(int[] widths, int l)
    {
        if (l == widths.Length) { yield return []; yield break; }
        foreach (var p in RandomNets.AllPermutations(widths[l]))
            foreach (var rest in Tuples(widths, l + 1))
                yield return [p, .. rest];
    }

    private static double ScalingLevel(Network a, Network b)
    {
        var A = new EditableNetwork(a); var B = new EditableNetwork(b);
        int H = A.HiddenLayerCount;
        var offsets = new int[H + 1];
        for (int l = 0; l < H; l++) offsets[l + 1] = offsets[l] + A.Width(l);
        var p = new ScalingProblem(offsets[H]);
        for (int l = 0; l <= H; l++)
            for (int i = 0; i < A.Width(l); i++)
            {
                int row = l < H ? offsets[l] + i : -1;
                p.Add(A.B[l][i], B.B[l][i], row, -1);
                for (int k = 0; k < A.W[l][i].Length; k++) p.Add(A.W[l][i][k], B.W[l][i][k], row, l > 0 ? offsets[l - 1] + k : -1);
            }
        return p.Level();
    }
}
