using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Two networks of DIFFERENT architectures over one input, rewritten as two networks of ONE architecture that differ
/// only in their output layer: the hidden layers of both run side by side (first layer: the two first layers
/// stacked; deeper layers: block diagonal), and <see cref="First"/> reads out f1 from its block while
/// <see cref="Second"/> reads out f2 from the other. Then f2 − f1 is a deviation f(θ + δ) − f(θ) of
/// <see cref="First"/> with δ in the last layer only, so the joint difference bounders of `certify` (linear bounds
/// over the shared input, where the two networks' dependence on x cancels) apply, and the stacked network
/// <see cref="Stacked"/> = (f1, f2) gives Z3 one exact encoding of both.
/// <para>
/// Every rewrite is exact in real arithmetic: zero blocks add nothing, and a shallower network's last hidden vector
/// is carried through extra ReLU layers unchanged, which is exact because it is already ≥ 0 after a ReLU (a network
/// without hidden layers carries x as the pair (ρ(x), ρ(−x)) and reads it out as ρ(x) − ρ(−x) = x).
/// </para>
/// </summary>
public sealed class MergedPair
{
    /// <summary>The merged network computing f1.</summary>
    public Network First { get; }
    /// <summary>The merged network computing f2 (same architecture as <see cref="First"/>).</summary>
    public Network Second { get; }
    /// <summary>The merged network computing (f1, f2): outputs 0..m−1 are f1, m..2m−1 are f2.</summary>
    public Network Stacked { get; }

    private MergedPair(Network first, Network second, Network stacked) { First = first; Second = second; Stacked = stacked; }

    /// <summary>
    /// The merged pair, or null when the networks cannot be merged exactly: a hidden layer of one uses another
    /// activation than the other's at the same depth, a carried layer would need a non-ReLU activation, or an output
    /// layer has an activation other than the identity.
    /// </summary>
    public static MergedPair? TryBuild(Network f1, Network f2)
    {
        if (f1.InputSize != f2.InputSize || f1.OutputSize != f2.OutputSize) return null;
        if (f1.Layers[^1].Activation.Kind != ActivationKind.Identity || f2.Layers[^1].Activation.Kind != ActivationKind.Identity)
            return null;
        var a = Track.Of(f1);
        var b = Track.Of(f2);
        int hidden = Math.Max(a.Hidden, b.Hidden);
        if (hidden == 0 || !a.CanCarry(hidden) || !b.CanCarry(hidden)) return null;
        // One activation per merged layer: a shallower network's carry layers are ReLU.
        for (int l = 0; l < hidden; l++)
            if (a.ActivationAt(l) != b.ActivationAt(l)) return null;

        var layers = new List<DenseLayer>();
        var blocksA = a.HiddenBlocks(hidden);
        var blocksB = b.HiddenBlocks(hidden);
        for (int l = 0; l < hidden; l++)
            layers.Add(l == 0 ? Stack(blocksA[0], blocksB[0]) : BlockDiagonal(blocksA[l], blocksB[l]));

        var outA = a.Readout(hidden);
        var outB = b.Readout(hidden);
        int na = outA.Inputs, nb = outB.Inputs;
        var first = new Network([.. layers, Pad(outA, leftZeros: 0, rightZeros: nb)]);
        var second = new Network([.. layers, Pad(outB, leftZeros: na, rightZeros: 0)]);
        var stacked = new Network([.. layers, BlockDiagonal(outA, outB)]);
        return new MergedPair(first, second, stacked);
    }

    private static DenseLayer Stack(DenseLayer top, DenseLayer bottom)
    {
        var rows = new double[top.Outputs + bottom.Outputs][];
        var bias = new double[rows.Length];
        for (int i = 0; i < top.Outputs; i++) { rows[i] = top.Row(i).ToArray(); bias[i] = top.B(i); }
        for (int i = 0; i < bottom.Outputs; i++) { rows[top.Outputs + i] = bottom.Row(i).ToArray(); bias[top.Outputs + i] = bottom.B(i); }
        return DenseLayer.FromRows(rows, bias, top.Activation);
    }

    private static DenseLayer BlockDiagonal(DenseLayer a, DenseLayer b)
    {
        int n = a.Inputs + b.Inputs;
        var rows = new double[a.Outputs + b.Outputs][];
        var bias = new double[rows.Length];
        for (int i = 0; i < a.Outputs; i++)
        {
            rows[i] = new double[n];
            a.Row(i).CopyTo(rows[i]);
            bias[i] = a.B(i);
        }
        for (int i = 0; i < b.Outputs; i++)
        {
            rows[a.Outputs + i] = new double[n];
            b.Row(i).CopyTo(rows[a.Outputs + i].AsSpan(a.Inputs));
            bias[a.Outputs + i] = b.B(i);
        }
        return DenseLayer.FromRows(rows, bias, a.Activation);
    }

    private static DenseLayer Pad(DenseLayer layer, int leftZeros, int rightZeros)
    {
        int n = leftZeros + layer.Inputs + rightZeros;
        var rows = new double[layer.Outputs][];
        for (int i = 0; i < layer.Outputs; i++)
        {
            rows[i] = new double[n];
            layer.Row(i).CopyTo(rows[i].AsSpan(leftZeros));
        }
        return DenseLayer.FromRows(rows, layer.Bias.ToArray(), layer.Activation);
    }

    /// <summary>One network's side of the merge: its hidden layers, padded to a common count, and its readout.</summary>
    private sealed class Track(Network net)
    {
        public static Track Of(Network net) => new(net);

        public int Hidden => net.Depth - 1;

        /// <summary>The activation this track needs at merged hidden layer l: its own, or ReLU for a carry layer.</summary>
        public Activation ActivationAt(int l) => l < Hidden ? net.Layers[l].Activation : Model.Activation.Relu;

        /// <summary>A carry through ReLU layers is exact only for a vector known to be ≥ 0.</summary>
        public bool CanCarry(int hidden) =>
            Hidden >= hidden || Hidden == 0 || net.Layers[Hidden - 1].Activation.Kind == ActivationKind.Relu;

        /// <summary>True when the track's carried vector is the pair (ρ(x), ρ(−x)) because it has no hidden layer.</summary>
        private bool CarriesInputPair => Hidden == 0;

        public DenseLayer[] HiddenBlocks(int hidden)
        {
            var blocks = new DenseLayer[hidden];
            for (int l = 0; l < hidden; l++)
            {
                if (l < Hidden) { blocks[l] = net.Layers[l]; continue; }
                if (CarriesInputPair && l == 0) { blocks[l] = InputPair(net.InputSize); continue; }
                // A ReLU output is ≥ 0, so ρ(I·h) = h: the carry is exact. The input pair is ≥ 0 as well.
                int width = l == 0 ? net.InputSize : blocks[l - 1].Outputs;
                blocks[l] = Identity(width);
            }
            return blocks;
        }

        /// <summary>The output layer, reading the carried vector (for the input pair: W·ρ(x) − W·ρ(−x) + b).</summary>
        public DenseLayer Readout(int hidden)
        {
            var output = net.Layers[^1];
            if (!(CarriesInputPair && hidden > 0)) return output;
            var rows = new double[output.Outputs][];
            for (int i = 0; i < output.Outputs; i++)
            {
                var w = output.Row(i);
                rows[i] = new double[2 * w.Length];
                for (int j = 0; j < w.Length; j++) { rows[i][j] = w[j]; rows[i][w.Length + j] = -w[j]; }
            }
            return DenseLayer.FromRows(rows, output.Bias.ToArray(), output.Activation);
        }

        private static DenseLayer InputPair(int n)
        {
            var rows = new double[2 * n][];
            for (int j = 0; j < n; j++)
            {
                rows[j] = new double[n]; rows[j][j] = 1;
                rows[n + j] = new double[n]; rows[n + j][j] = -1;
            }
            return DenseLayer.FromRows(rows, new double[2 * n], Model.Activation.Relu);
        }

        private static DenseLayer Identity(int n)
        {
            var rows = new double[n][];
            for (int j = 0; j < n; j++) { rows[j] = new double[n]; rows[j][j] = 1; }
            return DenseLayer.FromRows(rows, new double[n], Model.Activation.Relu);
        }
    }
}
