using Verify.Model;
using Verify.Results;

namespace Verify.Symmetry;

/// <summary>
/// Canonical representatives of a ReLU network's orbit under hidden-neuron permutations and positive rescalings.
///
/// Why unit-incoming first: the incoming row of a layer-l neuron in a rescaled copy carries the neuron's own factor
/// and the (already removed) factors of layer l−1, so normalising front to back removes every factor; the outgoing
/// column instead carries the unknown factors of layer l+1, so a single front-to-back balancing pass on the raw
/// copy would not be invariant. Balanced forms therefore start from the (invariant) unit-incoming representative
/// and then run deterministic balancing sweeps, which keeps canon(g·θ) = canon(θ).
///
/// Neurons whose incoming weights and bias are all zero ("null" neurons, identically 0 for relu, leaky relu and
/// identity) have no scaling representative: their outgoing weights are set to 0, which keeps the function.
///
/// Order: within each hidden layer, front to back, by the key (bias descending, then incoming weights
/// lexicographically ascending, then outgoing weights lexicographically ascending).
/// </summary>
public static class Canonicalizer
{
    public const int MaxBalanceSweeps = 64;

    public static CanonResult Canonicalize(Network network, CanonOptions options)
    {
        var net = new EditableNetwork(network);
        int nulls = NormalizeIncoming(net, options.ExactScaling);
        int sweeps = 0;
        if (options.Scaling == CanonicalScaling.Balanced)
            sweeps = Balance(net, options.ExactScaling);
        var warnings = new List<string>();
        SortNeurons(net, warnings);
        return new CanonResult(net.ToNetwork(), sweeps, MaxImbalance(net), nulls, warnings);
    }

    /// <summary>Scales every non-null hidden neuron to incoming ∞-norm 1 (or in [1,2) with exact scaling).</summary>
    private static int NormalizeIncoming(EditableNetwork net, bool exact)
    {
        int nulls = 0;
        for (int l = 0; l < net.HiddenLayerCount; l++)
            for (int i = 0; i < net.Width(l); i++)
            {
                double a = net.IncomingNorm(l, i);
                if (a == 0)
                {
                    nulls++;
                    foreach (var next in net.W[l + 1]) next[i] = 0;
                    continue;
                }
                if (exact) PowerOfTwo.ScaleNeuron(net, l, i, PowerOfTwo.UnitExponent(a));
                else net.Divide(l, i, a);
            }
        return nulls;
    }

    private static int Balance(EditableNetwork net, bool exact)
    {
        for (int sweep = 1; sweep <= MaxBalanceSweeps; sweep++)
        {
            bool changed = false;
            for (int l = 0; l < net.HiddenLayerCount; l++)
                for (int i = 0; i < net.Width(l); i++)
                {
                    double a = net.IncomingNorm(l, i), o = net.OutgoingNorm(l, i);
                    if (a == 0 || o == 0) continue; // nothing to balance against: stays unit-incoming
                    if (exact)
                    {
                        int k = PowerOfTwo.BalanceExponent(a, o);
                        if (k != 0) { PowerOfTwo.ScaleNeuron(net, l, i, k); changed = true; }
                    }
                    else
                    {
                        double c = Math.Sqrt(o / a);
                        if (Math.Abs(c - 1) > 1e-12) { net.Scale(l, i, c); changed = true; }
                    }
                }
            if (!changed) return sweep;
        }
        return MaxBalanceSweeps;
    }

    /// <summary>Largest max(a/o, o/a) over hidden neurons with both norms positive (1 = perfectly balanced).</summary>
    private static double MaxImbalance(EditableNetwork net)
    {
        double worst = 1;
        for (int l = 0; l < net.HiddenLayerCount; l++)
            for (int i = 0; i < net.Width(l); i++)
            {
                double a = net.IncomingNorm(l, i), o = net.OutgoingNorm(l, i);
                if (a > 0 && o > 0) worst = Math.Max(worst, Math.Max(a / o, o / a));
            }
        return worst;
    }

    private static void SortNeurons(EditableNetwork net, List<string> warnings)
    {
        for (int l = 0; l < net.HiddenLayerCount; l++)
        {
            int n = net.Width(l);
            var order = Enumerable.Range(0, n).ToArray();
            var cmp = new NeuronKeyComparer(net, l);
            Array.Sort(order, cmp);
            net.Permute(l, order);
            // The outgoing tie-break refers to layer l+1's order, which is not canonical yet unless l+1 is the output.
            if (l + 1 < net.HiddenLayerCount)
            {
                var inner = new NeuronKeyComparer(net, l, includeOutgoing: false);
                int ties = 0;
                for (int p = 1; p < n; p++)
                    if (inner.Compare(p - 1, p) == 0 && cmp.Compare(p - 1, p) != 0) ties++;
                if (ties > 0)
                    warnings.Add($"layer {l + 1}: {ties} neuron pair(s) share bias and incoming weights but differ in outgoing weights; their order is not canonical");
            }
        }
    }

    /// <summary>The documented total key: bias descending, incoming weights ascending, outgoing weights ascending.</summary>
    private sealed class NeuronKeyComparer(EditableNetwork net, int l, bool includeOutgoing = true) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            int c = net.B[l][y].CompareTo(net.B[l][x]);
            if (c != 0) return c;
            var rx = net.W[l][x]; var ry = net.W[l][y];
            for (int k = 0; k < rx.Length; k++)
                if ((c = rx[k].CompareTo(ry[k])) != 0) return c;
            if (!includeOutgoing) return 0;
            foreach (var next in net.W[l + 1])
                if ((c = next[x].CompareTo(next[y])) != 0) return c;
            return 0;
        }
    }
}
