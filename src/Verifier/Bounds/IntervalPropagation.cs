using Verify.Intervals;
using Verify.Model;

namespace Verify.Bounds;

/// <summary>
/// Plain interval propagation of ONE network with outward rounding: the weakest sound bounds, and cheap. The one
/// interval forward pass, built from the operators' interval images (<see cref="DenseLayer.PreActivation(ReadOnlySpan{Interval})"/>,
/// <see cref="IActivationOperator.Image"/>), shared by the SMT encoder (fixing stable neurons), equivalence checks that
/// bound two networks separately, and `verify info`.
/// </summary>
public static class IntervalPropagation
{
    /// <summary>Pre-activation enclosures W·h + b of one layer for inputs h in the given intervals.</summary>
    public static Interval[] PreActivation(DenseLayer layer, ReadOnlySpan<Interval> h) => layer.PreActivation(h);

    /// <summary>Enclosures of σ(W·h + b).</summary>
    /// <param name="midRadius">take W·h + b in midpoint–radius form (<see cref="PointMatrixProduct"/>: one outward
    /// correction per output, a few ulps wider than the operator's per-product image) where it applies: for callers
    /// that run this pass per branch-and-bound part and only need an enclosure.</param>
    public static Interval[] Layer(DenseLayer layer, ReadOnlySpan<Interval> h, bool midRadius = false)
    {
        Interval[] z;
        if (!midRadius || !PointMatrixProduct.TryMultiply(layer.Weights, layer.Bias, h, z = new Interval[layer.Outputs]))
            z = PreActivation(layer, h);
        for (int i = 0; i < z.Length; i++) z[i] = Activate(layer.Activation, z[i]);
        return z;
    }

    /// <summary>Pre-activation enclosures of every layer, and the enclosure of the outputs.</summary>
    public static (IReadOnlyList<Interval[]> PreActivations, Interval[] Outputs) Run(Network net, Box box)
    {
        if (box.Dimension != net.InputSize)
            throw new ArgumentException($"box has {box.Dimension} dimensions, network expects {net.InputSize} inputs");
        var h = box.Dimensions.ToArray();
        var layers = new List<Interval[]>(net.Depth);
        foreach (var layer in net.Layers)
        {
            var z = PreActivation(layer, h);
            layers.Add(z);
            h = new Interval[z.Length];
            for (int i = 0; i < z.Length; i++) h[i] = Activate(layer.Activation, z[i]);
        }
        return (layers, h);
    }

    public static Interval Activate(Activation a, Interval z) => a.Image(z);
}
