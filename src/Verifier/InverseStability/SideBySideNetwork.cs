using Verify.Model;

namespace Verify.InverseStability;

/// <summary>
/// One network computing x ↦ (f1(x), f2(x)): the first layers stacked on the shared input, every later layer block
/// diagonal, so outputs 0..m−1 are f1's and m..2m−1 are f2's, all weights copied exactly. Then
/// max (f1_j − f2_j) = max c·g(x) with c = e_j − e_{m+j}, which the exact output maximiser answers. A shallower network
/// is first deepened exactly: its outputs y pass through ReLU layers as (ρ(y), ρ(−y)) and come back as ρ(y) − ρ(−y).
/// Null when the layers' activations differ at some depth (one dense layer has one activation).
/// </summary>
public static class SideBySideNetwork
{
    public static Network? Of(Network first, Network second)
    {
        int depth = Math.Max(first.Depth, second.Depth);
        var a = Deepen(first, depth); var b = Deepen(second, depth);
        if (a is null || b is null) return null;
        var layers = new DenseLayer[depth];
        for (int l = 0; l < depth; l++)
        {
            var (la, lb) = (a[l], b[l]);
            if (la.Activation != lb.Activation) return null;
            int inputs = l == 0 ? la.Inputs : la.Inputs + lb.Inputs;
            int outputs = la.Outputs + lb.Outputs;
            var w = new double[outputs * inputs];
            for (int i = 0; i < la.Outputs; i++)
                for (int j = 0; j < la.Inputs; j++) w[i * inputs + j] = la.W(i, j);
            int offset = l == 0 ? 0 : la.Inputs;
            for (int i = 0; i < lb.Outputs; i++)
                for (int j = 0; j < lb.Inputs; j++) w[(la.Outputs + i) * inputs + offset + j] = lb.W(i, j);
            layers[l] = new DenseLayer(outputs, inputs, w, [.. la.Bias, .. lb.Bias], la.Activation);
        }
        return new Network(layers);
    }

    /// <summary>The layers of an equivalent network of the given depth, or null when the last activation is leaky.</summary>
    private static IReadOnlyList<DenseLayer>? Deepen(Network net, int depth)
    {
        int extra = depth - net.Depth;
        if (extra == 0) return net.Layers;
        var last = net.Layers[^1];
        int m = last.Outputs;
        var layers = net.Layers.Take(net.Depth - 1).ToList();
        if (last.Activation.Kind == ActivationKind.Relu)
        {
            // Outputs are ≥ 0 already: identity ReLU layers pass them on, one identity layer ends.
            layers.Add(last);
            for (int e = 0; e < extra - 1; e++) layers.Add(Identity(m, Activation.Relu));
            layers.Add(Identity(m, Activation.Identity));
            return layers;
        }
        if (last.Activation.Kind != ActivationKind.Identity) return null;
        // y ↦ (ρ(y), ρ(−y)) ↦ … ↦ ρ(y) − ρ(−y) = y, negating weights exactly.
        var w = new double[2 * m * last.Inputs];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < last.Inputs; j++) { w[i * last.Inputs + j] = last.W(i, j); w[(m + i) * last.Inputs + j] = -last.W(i, j); }
        layers.Add(new DenseLayer(2 * m, last.Inputs, w, [.. last.Bias, .. last.Bias.ToArray().Select(v => -v)], Activation.Relu));
        for (int e = 0; e < extra - 1; e++) layers.Add(Identity(2 * m, Activation.Relu));
        var back = new double[m * 2 * m];
        for (int i = 0; i < m; i++) { back[i * 2 * m + i] = 1; back[i * 2 * m + m + i] = -1; }
        layers.Add(new DenseLayer(m, 2 * m, back, new double[m], Activation.Identity));
        return layers;
    }

    private static DenseLayer Identity(int n, Activation activation)
    {
        var w = new double[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = 1;
        return new DenseLayer(n, n, w, new double[n], activation);
    }
}
