using Verify.Intervals;
using Verify.Model;
using Propagation = Verify.Bounds.IntervalPropagation;

namespace Verify.InverseStability;

/// <summary>
/// Certified upper bounds of ‖J1 − J2‖ over every activation region that completes a partial pattern inside a region
/// box: the fixed part is exact; each neuron not yet fixed contributes its slope as an interval (one slope where interval
/// propagation over the region box shows it stable, the hull of both slopes otherwise), and the Jacobian is pushed
/// through the remaining layers in outward-rounded interval arithmetic. The region search skips a subtree whose bound
/// cannot beat the best region found, and reports the bounds of the subtrees it never reached as the honest upper end.
/// </summary>
public static class JacobianGapBound
{
    public static double Upper(NetworkProgress first, NetworkProgress second, RegionBox box) =>
        JacobianNorm.UpperOfDifference(Enclose(first, box), Enclose(second, box));

    /// <summary>An interval matrix containing the Jacobian of every completion of the pattern within the box.</summary>
    public static Interval[][] Enclose(NetworkProgress p, RegionBox box)
    {
        if (p.Done) return p.Post.Select(f => f.CoefficientEnclosure).ToArray();
        var net = p.Net;
        var layer = net.Layers[p.Layer];
        int d = box.Dims.Length;
        var j = new Interval[p.Pre.Length][];
        var h = new Interval[p.Pre.Length];
        for (int i = 0; i < p.Pre.Length; i++)
        {
            if (i < p.Next)
            {
                j[i] = p.Post[i].CoefficientEnclosure;
                h[i] = box.Enclose(p.Post[i]);
                continue;
            }
            var z = box.Enclose(p.Pre[i]);
            var slope = layer.Activation.Operator.Kink.SlopeRange(z);
            j[i] = p.Pre[i].CoefficientEnclosure.Select(c => c * slope).ToArray();
            h[i] = Propagation.Activate(layer.Activation, z);
        }
        for (int l = p.Layer + 1; l < net.Depth; l++)
        {
            var L = net.Layers[l];
            var z = Propagation.PreActivation(L, h);
            var next = new Interval[L.Outputs][];
            for (int i = 0; i < L.Outputs; i++)
            {
                var row = L.Row(i);
                var acc = new Interval[d];
                for (int k = 0; k < d; k++) acc[k] = Interval.Zero;
                for (int q = 0; q < row.Length; q++)
                {
                    if (row[q] == 0) continue;
                    for (int k = 0; k < d; k++) acc[k] += j[q][k] * row[q];
                }
                var slope = L.Activation.Operator.Kink.SlopeRange(z[i]);
                next[i] = slope == Interval.Point(1) ? acc : acc.Select(c => c * slope).ToArray();
            }
            j = next;
            h = z.Select(v => Propagation.Activate(L.Activation, v)).ToArray();
        }
        return j;
    }
}
