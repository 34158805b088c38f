using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// The checker's own construction of the merged pair of two networks of different architectures (docs/certificates.md),
/// written apart from the engine's (Equivalence/MergedPair) so that a wrong merge there fails the check. Both merged
/// networks share every hidden layer: layer 1 stacks the two first layers (A's rows, then B's), deeper layers are block
/// diagonal (A's block first); a shallower network's last hidden vector is carried by identity ReLU layers, and one
/// without hidden layers carries x as (ρ(x), ρ(−x)) and reads it out with [W, −W]. The first reads A's output from A's
/// block (zeros on B's), the second B's output from B's block. Every entry is copied, negated or 0/1, so the doubles
/// are exact, and each step is exact in real arithmetic: ρ(h) = h for h ≥ 0 (a ReLU output, or the pair), and
/// W·ρ(x) − W·ρ(−x) = W·x. So merged first = f_A and merged second = f_B exactly, and f_B − f_A is the deviation of the
/// merged first for δ = (merged second − merged first), which is nonzero only in the output layer.
/// </summary>
public static class MergedNetworks
{
    /// <returns>the merged first and second network, or null and why the two cannot be merged exactly.</returns>
    public static (Network First, Network Second)? Build(Network a, Network b, out string? why)
    {
        why = null;
        if (a.InputSize != b.InputSize || a.OutputSize != b.OutputSize)
        {
            why = "the networks differ in their input or output size";
            return null;
        }
        if (a.Layers[^1].Activation.Kind != ActivationKind.Identity || b.Layers[^1].Activation.Kind != ActivationKind.Identity)
        {
            why = "an output layer has an activation (only identity output layers are merged)";
            return null;
        }
        int hidden = Math.Max(a.Depth, b.Depth) - 1;
        if (hidden == 0) { why = "neither network has a hidden layer"; return null; }
        var ta = Hidden(a, hidden);
        var tb = Hidden(b, hidden);
        if (ta is null || tb is null)
        {
            why = "a shallower network's last hidden layer is not a ReLU, so its carried values need not stay ≥ 0";
            return null;
        }
        var shared = new DenseLayer[hidden];
        for (int l = 0; l < hidden; l++)
        {
            if (!ta[l].Activation.Equals(tb[l].Activation))
            {
                why = $"merged hidden layer {l + 1} would need two activations ({ta[l].Activation.Kind}, {tb[l].Activation.Kind})";
                return null;
            }
            var (rows, bias) = l == 0 ? Rows(ta[0], 0, 0) : Rows(ta[l], 0, tb[l].Inputs);
            var (rowsB, biasB) = l == 0 ? Rows(tb[0], 0, 0) : Rows(tb[l], ta[l].Inputs, 0);
            shared[l] = DenseLayer.FromRows([.. rows, .. rowsB], [.. bias, .. biasB], ta[l].Activation);
        }
        var outA = Readout(a); var outB = Readout(b);
        var (ra, ba) = Rows(outA, 0, outB.Inputs);
        var (rb, bb) = Rows(outB, outA.Inputs, 0);
        return (new Network([.. shared, DenseLayer.FromRows(ra, ba, outA.Activation)]),
                new Network([.. shared, DenseLayer.FromRows(rb, bb, outB.Activation)]));
    }

    /// <summary>The network's hidden layers padded to <paramref name="hidden"/> with carry layers; null when a carry is not exact.</summary>
    private static DenseLayer[]? Hidden(Network n, int hidden)
    {
        int own = n.Depth - 1;
        if (own > 0 && own < hidden && n.Layers[own - 1].Activation.Kind != ActivationKind.Relu) return null;
        var layers = new DenseLayer[hidden];
        for (int l = 0; l < hidden; l++)
        {
            if (l < own) { layers[l] = n.Layers[l]; continue; }
            int width = l == 0 ? n.InputSize : layers[l - 1].Outputs;
            var rows = new double[l == 0 && own == 0 ? 2 * width : width][];
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i] = new double[width];
                rows[i][i % width] = i < width ? 1 : -1; // the pair (ρ(x), ρ(−x)) when there is no hidden layer
            }
            layers[l] = DenseLayer.FromRows(rows, new double[rows.Length], Activation.Relu);
        }
        return layers;
    }

    /// <summary>The output layer reading the carried vector: for a network without hidden layers [W, −W] on (ρ(x), ρ(−x)).</summary>
    private static DenseLayer Readout(Network n)
    {
        var output = n.Layers[^1];
        if (n.Depth > 1) return output;
        var rows = new double[output.Outputs][];
        for (int i = 0; i < rows.Length; i++)
        {
            var w = output.Row(i);
            rows[i] = new double[2 * w.Length];
            for (int j = 0; j < w.Length; j++) { rows[i][j] = w[j]; rows[i][w.Length + j] = -w[j]; }
        }
        return DenseLayer.FromRows(rows, output.Bias.ToArray(), output.Activation);
    }

    /// <summary>The layer's rows with <paramref name="left"/> zeros before and <paramref name="right"/> zeros after each, and its bias.</summary>
    private static (double[][] Rows, double[] Bias) Rows(DenseLayer layer, int left, int right)
    {
        var rows = new double[layer.Outputs][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[left + layer.Inputs + right];
            layer.Row(i).CopyTo(rows[i].AsSpan(left));
        }
        return (rows, layer.Bias.ToArray());
    }
}
