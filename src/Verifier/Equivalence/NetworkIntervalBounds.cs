using Verify.Intervals;
using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Interval bounds of one network over an input box (outward-rounded interval propagation). Used where two
/// networks are bounded separately: different architectures, and the classification margins of top-1 checks.
/// </summary>
public static class NetworkIntervalBounds
{
    /// <summary>Intervals of the last hidden layer's activations (the input box itself for a one-layer network).</summary>
    public static Interval[] LastHidden(Network net, Box box)
    {
        var h = box.Dimensions.ToArray();
        for (int l = 0; l < net.Depth - 1; l++) h = Layer(net.Layers[l], h);
        return h;
    }

    public static Interval[] Outputs(Network net, Box box) => Layer(net.Layers[^1], LastHidden(net, box));

    public static Interval[] Outputs(Network net, Interval[] lastHidden) => Layer(net.Layers[^1], lastHidden);

    /// <summary>
    /// Enclosure of f_c − f_k over the box, computed as (W_c − W_k)·h + (b_c − b_k) from the last hidden layer, which is
    /// much tighter than subtracting the two output intervals.
    /// </summary>
    public static Interval Margin(Network net, Interval[] lastHidden, int c, int k)
    {
        var last = net.Layers[^1];
        if (!last.Activation.Operator.IsIdentity)
        {
            // An output activation breaks the linear margin: subtract the two output intervals instead.
            var outs = Outputs(net, lastHidden);
            return outs[c] - outs[k];
        }
        Interval s = Interval.Point(last.B(c)) - Interval.Point(last.B(k));
        for (int j = 0; j < last.Inputs; j++)
        {
            double wc = last.W(c, j), wk = last.W(k, j);
            if (wc == wk) continue;
            s += (Interval.Point(wc) - Interval.Point(wk)) * lastHidden[j];
        }
        return s;
    }

    // Run on every open part of an equivalence check: the midpoint–radius products (about 4 % of an ACAS Xu run
    // otherwise went into per-product rounding here).
    private static Interval[] Layer(DenseLayer layer, Interval[] h) => Bounds.IntervalPropagation.Layer(layer, h, midRadius: true);
}
