using Verify.Model;
using Verify.Results;
using static Verify.Symmetry.ParameterVectors;

namespace Verify.Symmetry;

/// <summary>
/// The heuristic for deep networks: consecutive layers' permutations are coupled, so each hidden layer is aligned
/// in turn by a min-sum linear assignment (Hungarian) of neuron-to-neuron ℓ∞ costs, given the current
/// permutations of its neighbours, and the passes repeat until the distance stops improving.
/// With scaling, both networks are first brought to unit incoming norm (which removes the scaling freedom up to
/// rounding), the permutations are found there, and the scales are then refined neuron by neuron with the exact
/// one-dimensional optimum of <see cref="ScaledNeuronCost"/>. The result is an upper bound attained by the aligned copy.
/// </summary>
public static class LayerwiseAlignment
{
    public const int MaxPasses = 10;
    public const int MaxScaleSweeps = 20;

    public static DistanceResult Solve(Network a, Network b, bool scale, CancellationToken cancel = default)
    {
        RequireSameArchitecture(a, b);
        int H = a.Depth - 1;
        EditableNetwork X, Y;
        double[][] sA, sB;
        if (scale) { (X, sA) = NormalizeIncoming(a); (Y, sB) = NormalizeIncoming(b); }
        else
        {
            X = new EditableNetwork(a); Y = new EditableNetwork(b);
            sA = sB = Enumerable.Range(0, H).Select(l => Enumerable.Repeat(1.0, X.Width(l)).ToArray()).ToArray();
        }
        var perms = new int[H][];
        double best = double.PositiveInfinity;
        Alignment? bestAlignment = null; EditableNetwork? bestAligned = null; EditableNetwork? X0 = null;
        for (int pass = 0; pass < MaxPasses; pass++)
        {
            cancel.ThrowIfCancellationRequested();
            for (int l = 0; l < H; l++)
                perms[l] = HungarianAssignment.Solve(LayerCosts(X, Y, perms, l));
            var scales = new double[H][];
            for (int l = 0; l < H; l++)
                scales[l] = Enumerable.Range(0, perms[l].Length).Select(i => sB[l][perms[l][i]] / sA[l][i]).ToArray();
            var alignment = new Alignment(perms.Select(p => (int[])p.Clone()).ToArray(), scales);
            var aligned = alignment.ApplyEditable(b);
            double d = LInfEditable(X0 ??= new EditableNetwork(a), aligned);
            if (d < best) { best = d; bestAlignment = alignment; bestAligned = aligned; }
            else break;
        }
        // Passes are compared with the scales from the normalisation; the refinement runs once, on the winner.
        if (scale)
        {
            RefineScales(X0!, bestAligned!, bestAlignment!.Scales.Select(s => (double[])s).ToArray(), cancel);
            best = LInfEditable(X0!, bestAligned!);
        }
        return new DistanceResult(best, scale ? DistanceModulo.PermScale : DistanceModulo.Perm, false,
            "layer-by-layer Hungarian alignment (upper bound)", bestAlignment!, bestAligned!.ToNetwork(), null);
    }

    /// <summary>cost[i, j] for A's neuron i against B's neuron j in hidden layer l, using whichever neighbour permutations are known.</summary>
    internal static double[,] LayerCosts(EditableNetwork X, EditableNetwork Y, int[]?[] perms, int l)
    {
        int n = X.Width(l), H = X.HiddenLayerCount;
        var prev = l > 0 ? perms[l - 1] : null;
        int[]? next = l + 1 < H ? perms[l + 1] : Enumerable.Range(0, X.Width(l + 1)).ToArray();
        var cost = new double[n, n];
        var yRow = new double[X.Inputs(l)];
        for (int j = 0; j < n; j++)
        {
            var src = Y.W[l][j];
            for (int k = 0; k < yRow.Length; k++) yRow[k] = src[prev is null ? k : prev[k]];
            for (int i = 0; i < n; i++)
            {
                double c = Math.Max(Math.Abs(X.B[l][i] - Y.B[l][j]), MaxAbsDiff(X.W[l][i], yRow));
                if (next is not null)
                    for (int m = 0; m < next.Length; m++)
                        c = Math.Max(c, Math.Abs(X.W[l + 1][m][i] - Y.W[l + 1][next[m]][j]));
                cost[i, j] = c;
            }
        }
        return cost;
    }

    /// <summary>Unit incoming ∞-norm for every hidden neuron (front to back) and the factor applied to each.</summary>
    internal static (EditableNetwork, double[][]) NormalizeIncoming(Network net)
    {
        var e = new EditableNetwork(net);
        var s = new double[e.HiddenLayerCount][];
        for (int l = 0; l < e.HiddenLayerCount; l++)
        {
            s[l] = new double[e.Width(l)];
            for (int i = 0; i < e.Width(l); i++)
            {
                double norm = e.IncomingNorm(l, i);
                s[l][i] = norm > 0 ? 1 / norm : 1;
                if (norm > 0) e.Divide(l, i, norm);
            }
        }
        return (e, s);
    }

    /// <summary>Coordinate descent on the scales: each neuron's exact 1-D optimum given its neighbours, while the distance improves.</summary>
    internal static void RefineScales(EditableNetwork A, EditableNetwork phi, double[][] scales, CancellationToken cancel)
    {
        double last = double.PositiveInfinity;
        for (int sweep = 0; sweep < MaxScaleSweeps; sweep++)
        {
            cancel.ThrowIfCancellationRequested();
            for (int l = 0; l < A.HiddenLayerCount; l++)
                for (int i = 0; i < A.Width(l); i++)
                {
                    var ai = Incoming(A, l, i); var pi = Incoming(phi, l, i);
                    var ao = Outgoing(A, l, i); var po = Outgoing(phi, l, i);
                    double now = ScaledNeuronCost.Evaluate(ai, pi, ao, po, 1.0);
                    var (cost, c) = ScaledNeuronCost.Solve(ai, pi, ao, po);
                    if (cost < now && double.IsFinite(c) && c > 0 && ScaledNeuronCost.Evaluate(ai, pi, ao, po, c) < now)
                    {
                        phi.Scale(l, i, c);
                        scales[l][i] *= c;
                    }
                }
            double d = LInfEditable(A, phi);
            if (!(d < last)) break;
            last = d;
        }
    }

    internal static double LInfEditable(EditableNetwork x, EditableNetwork y)
    {
        double m = 0;
        for (int l = 0; l < x.LayerCount; l++)
        {
            m = Math.Max(m, MaxAbsDiff(x.B[l], y.B[l]));
            for (int i = 0; i < x.Width(l); i++) m = Math.Max(m, MaxAbsDiff(x.W[l][i], y.W[l][i]));
        }
        return m;
    }
}
