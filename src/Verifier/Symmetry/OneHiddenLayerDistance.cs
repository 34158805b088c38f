using Verify.Model;
using Verify.Results;
using static Verify.Symmetry.ParameterVectors;

namespace Verify.Symmetry;

/// <summary>
/// Exact distance modulo permutation (and scaling) for networks with one hidden layer. The output layer's bias is
/// untouched by every symmetry, so the distance is max(‖b_A − b_B‖∞ of the output bias, bottleneck assignment value)
/// with cost(i, j) the ℓ∞ difference of neuron i of A and neuron j of B (incoming weights, bias and outgoing weights;
/// with scaling, minimised over c &gt; 0 by <see cref="ScaledNeuronCost"/>).
///
/// Only pairs that can matter are costed exactly: a quick matching (nearest neighbours, or a bottleneck assignment
/// of a cheap proxy cost) gives an upper bound τ on the optimum, and only pairs with cost ≤ τ (tested with an early
/// exit) can appear in an optimal assignment. The others get +∞, which changes nothing about the optimum.
/// </summary>
public static class OneHiddenLayerDistance
{
    public static DistanceResult Solve(Network a, Network b, bool scale, IBipartiteMatcher? matcher = null)
    {
        RequireSameArchitecture(a, b);
        if (a.Depth != 2) throw new ArgumentException("one hidden layer expected");
        var A = new EditableNetwork(a); var B = new EditableNetwork(b);
        int n = A.Width(0);
        var ain = Enumerable.Range(0, n).Select(i => Incoming(A, 0, i)).ToArray();
        var bin = Enumerable.Range(0, n).Select(i => Incoming(B, 0, i)).ToArray();
        var aout = Enumerable.Range(0, n).Select(i => Outgoing(A, 0, i)).ToArray();
        var bout = Enumerable.Range(0, n).Select(i => Outgoing(B, 0, i)).ToArray();
        double fixedPart = MaxAbsDiff(A.B[1], B.B[1]);

        double ExactCost(int i, int j) => scale
            ? ScaledNeuronCost.Cost(ain[i], bin[j], aout[i], bout[j])
            : Math.Max(MaxAbsDiff(ain[i], bin[j]), MaxAbsDiff(aout[i], bout[j]));
        bool AtMost(int i, int j, double t) => scale
            ? ScaledNeuronCost.Feasible(ain[i], bin[j], aout[i], bout[j], t)
            : MaxAbsDiffCut(ain[i], bin[j], t) <= t && MaxAbsDiffCut(aout[i], bout[j], t) <= t;

        // Upper bound τ from a cheap initial matching.
        var proxyA = scale ? ain.Select(Normalized).ToArray() : ain;
        var proxyB = scale ? bin.Select(Normalized).ToArray() : bin;
        var initial = InitialMatching(proxyA, proxyB, matcher);
        double tau = 0;
        for (int i = 0; i < n; i++) tau = Math.Max(tau, ExactCost(i, initial[i]));

        var cost = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cost[i, j] = j == initial[i] || AtMost(i, j, tau) ? ExactCost(i, j) : double.PositiveInfinity;
        var bap = BottleneckAssignment.Solve(cost, matcher)
                  ?? throw new InvalidOperationException("no assignment within the initial bound (should be impossible)");

        var scales = new double[n];
        for (int i = 0; i < n; i++)
            scales[i] = scale ? ScaledNeuronCost.Solve(ain[i], bin[bap.Assignment[i]], aout[i], bout[bap.Assignment[i]]).Scale : 1.0;
        var alignment = new Alignment([bap.Assignment], [scales]);
        var aligned = alignment.Apply(b);
        double d = Math.Max(fixedPart, bap.Value);
        return new DistanceResult(d, scale ? DistanceModulo.PermScale : DistanceModulo.Perm, true,
            "bottleneck assignment (one hidden layer)", alignment, aligned,
            scale ? $"aligned copy rounds c·w; its plain ℓ∞ distance is {LInf(a, aligned):R}" : null);
    }

    private static double[] Normalized(double[] v)
    {
        double m = 0;
        foreach (var x in v) m = Math.Max(m, Math.Abs(x));
        return m == 0 ? v : v.Select(x => x / m).ToArray();
    }

    /// <summary>Nearest neighbours when they form a permutation (the usual case for near-copies), else a bottleneck assignment of the proxy distance.</summary>
    private static int[] InitialMatching(double[][] pa, double[][] pb, IBipartiteMatcher? matcher)
    {
        int n = pa.Length;
        var nearest = new int[n];
        var taken = new bool[n];
        bool permutation = true;
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity; int arg = 0;
            for (int j = 0; j < n; j++)
            {
                double d = MaxAbsDiffCut(pa[i], pb[j], best);
                if (d < best) { best = d; arg = j; }
            }
            nearest[i] = arg;
            if (taken[arg]) permutation = false;
            taken[arg] = true;
        }
        if (permutation) return nearest;
        var proxy = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) proxy[i, j] = MaxAbsDiff(pa[i], pb[j]);
        return BottleneckAssignment.Solve(proxy, matcher)!.Assignment;
    }
}
