using Verify.Model;

namespace Verify.Symmetry;

/// <summary>
/// A mutable copy of a network's parameters (rows of W and b per layer) for the symmetry transformations,
/// which rescale rows and columns and permute neurons in place before building an immutable <see cref="Network"/>.
/// </summary>
public sealed class EditableNetwork
{
    public List<double[][]> W { get; }
    public List<double[]> B { get; }
    public List<Activation> Activations { get; }
    private readonly Network _template;

    public EditableNetwork(Network network)
    {
        _template = network;
        W = network.Layers.Select(l => Enumerable.Range(0, l.Outputs).Select(i => l.Row(i).ToArray()).ToArray()).ToList();
        B = network.Layers.Select(l => l.Bias.ToArray()).ToList();
        Activations = network.Layers.Select(l => l.Activation).ToList();
    }

    public int LayerCount => W.Count;
    public int HiddenLayerCount => W.Count - 1;
    public int Width(int layer) => W[layer].Length;
    public int Inputs(int layer) => layer == 0 ? _template.InputSize : W[layer - 1].Length;

    /// <summary>Multiplies neuron i of hidden layer l by c: its incoming row and bias by c, its outgoing column by 1/c.</summary>
    public void Scale(int l, int i, double c)
    {
        var row = W[l][i];
        for (int k = 0; k < row.Length; k++) row[k] *= c;
        B[l][i] *= c;
        foreach (var next in W[l + 1]) next[i] /= c;
    }

    /// <summary>Divides neuron i of hidden layer l by a: incoming row and bias ÷a, outgoing column ×a. Division keeps the entry equal to a exactly 1.</summary>
    public void Divide(int l, int i, double a)
    {
        var row = W[l][i];
        for (int k = 0; k < row.Length; k++) row[k] /= a;
        B[l][i] /= a;
        foreach (var next in W[l + 1]) next[i] *= a;
    }

    /// <summary>Reorders hidden layer l so that new neuron p is old neuron order[p] (columns of layer l+1 follow).</summary>
    public void Permute(int l, IReadOnlyList<int> order)
    {
        W[l] = order.Select(o => W[l][o]).ToArray();
        B[l] = order.Select(o => B[l][o]).ToArray();
        foreach (var next in W[l + 1])
        {
            var old = (double[])next.Clone();
            for (int p = 0; p < order.Count; p++) next[p] = old[order[p]];
        }
    }

    /// <summary>Removes neuron i of hidden layer l together with its outgoing column.</summary>
    public void Remove(int l, int i)
    {
        W[l] = W[l].Where((_, k) => k != i).ToArray();
        B[l] = B[l].Where((_, k) => k != i).ToArray();
        for (int m = 0; m < W[l + 1].Length; m++) W[l + 1][m] = W[l + 1][m].Where((_, k) => k != i).ToArray();
    }

    /// <summary>∞-norm of neuron i's incoming weights and bias.</summary>
    public double IncomingNorm(int l, int i)
    {
        double n = Math.Abs(B[l][i]);
        foreach (var w in W[l][i]) n = Math.Max(n, Math.Abs(w));
        return n;
    }

    /// <summary>∞-norm of neuron i's outgoing weights (column i of layer l+1).</summary>
    public double OutgoingNorm(int l, int i)
    {
        double n = 0;
        foreach (var row in W[l + 1]) n = Math.Max(n, Math.Abs(row[i]));
        return n;
    }

    public Network ToNetwork()
    {
        var layers = new DenseLayer[W.Count];
        for (int l = 0; l < W.Count; l++)
        {
            var rows = W[l].Select(r => r.Select(PositiveZero).ToArray()).ToArray();
            layers[l] = DenseLayer.FromRows(rows, B[l].Select(PositiveZero).ToArray(), Activations[l]);
        }
        return _template.WithLayers(layers);
    }

    // -0.0 and +0.0 give the same function; one spelling keeps canonical forms bit-identical.
    private static double PositiveZero(double x) => x == 0 ? 0.0 : x;
}
