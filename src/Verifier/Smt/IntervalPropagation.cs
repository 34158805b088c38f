using Verify.Intervals;
using Verify.Model;

namespace Verify.Smt;

/// <summary>
/// Plain interval bound propagation with outward rounding: the weakest sound bounds, cheap, and what the
/// SMT encoding needs to fix stable neurons and bound the unstable ones.
/// </summary>
public static class IntervalPropagation
{
    public static NeuronBounds Compute(Network net, Box box) => Run(net, box).Bounds;

    /// <summary>Enclosures of the network outputs (after the last activation) over the box.</summary>
    public static Interval[] Outputs(Network net, Box box) => Run(net, box).Outputs;

    private static (NeuronBounds Bounds, Interval[] Outputs) Run(Network net, Box box)
    {
        if (box.Dimension != net.InputSize)
            throw new ArgumentException($"box has {box.Dimension} dimensions, network expects {net.InputSize} inputs");
        var h = box.Dimensions.ToArray();
        var layers = new List<IReadOnlyList<Interval>>(net.Depth);
        foreach (var layer in net.Layers)
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
            layers.Add(z);
            h = z.Select(v => Activate(layer.Activation, v)).ToArray();
        }
        return (new NeuronBounds(layers), h);
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
