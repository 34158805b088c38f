using Verify.Intervals;
using Verify.Model;

namespace Verify.Bounds;

/// <summary>
/// Plain interval propagation of ONE network with outward rounding: the weakest sound bounds, and cheap. The one
/// implementation shared by the SMT encoder (fixing stable neurons) and by equivalence checks that bound two
/// networks separately.
/// </summary>
public static class IntervalPropagation
{
    /// <summary>Pre-activation enclosures W·h + b of one layer for inputs h in the given intervals.</summary>
    public static Interval[] PreActivation(DenseLayer layer, ReadOnlySpan<Interval> h)
    {
        var z = new Interval[layer.Outputs];
        for (int i = 0; i < layer.Outputs; i++)
        {
            var row = layer.Row(i);
            var s = Interval.Point(layer.B(i));
            for (int j = 0; j < row.Length; j++)
                if (row[j] != 0) s += h[j] * row[j];
            z[i] = s;
        }
        return z;
    }

    /// <summary>Enclosures of σ(W·h + b).</summary>
    public static Interval[] Layer(DenseLayer layer, ReadOnlySpan<Interval> h)
    {
        var z = PreActivation(layer, h);
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

    public static Interval Activate(Activation a, Interval z) => a.Kind switch
    {
        ActivationKind.Relu => z.Relu(),
        ActivationKind.Identity => z,
        _ => Leaky(a.Slope, z),
    };

    // Activation.Apply defines leaky ReLU as z > 0 ? z : a·z for every slope a ≥ 0 (for a > 1 that is not
    // max(z, a·z)), and it is monotone, so the image of [lo, hi] is [f(lo), f(hi)], rounded outward.
    private static Interval Leaky(double slope, Interval z)
    {
        double lo = z.Lo > 0 ? z.Lo
                  : double.IsNegativeInfinity(z.Lo) ? (slope == 0 ? 0.0 : z.Lo)
                  : (Interval.Point(z.Lo) * slope).Lo;
        double hi = z.Hi > 0 ? z.Hi : (Interval.Point(z.Hi) * slope).Hi;
        return new Interval(lo, hi);
    }
}
