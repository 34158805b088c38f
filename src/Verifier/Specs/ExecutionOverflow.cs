using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// The overflow side of `--execution`: the widening of <see cref="ExecutionWidening"/> holds only while no rounded
/// operation overflows. Every value a float evaluation computes — a rounded input or parameter, a product, any partial
/// sum in any order, an activation — is bounded in magnitude by |x|, |θ| + r, or Σⱼ |Wᵢⱼ|·|hⱼ| + |bᵢ| of the widened
/// network (a partial sum is the exact sum of a subset of the terms with their parameters moved inside the widened
/// box). This check bounds those magnitudes by interval propagation over the input box (bisected where needed),
/// outward rounded, and compares them with the format's largest finite value. It proves the absence of overflow or names where it may happen; it
/// never claims that overflow does happen.
/// </summary>
public static class ExecutionOverflow
{
    /// <summary>How many sub-boxes the check may examine before it gives up and reports the overflow as possible.</summary>
    public const int MaxParts = 4096;

    /// <summary>
    /// Null when no evaluation can overflow; otherwise a one-line reason. Interval propagation over a wide box
    /// overestimates magnitudes, so a box it cannot clear is bisected along its widest side (up to
    /// <see cref="MaxParts"/> parts): every part cleared means the whole box is.
    /// </summary>
    public static string? Check(Network net, Box box, ParameterBox widened, ExecutionFormat f)
    {
        var inv = CultureInfo.InvariantCulture;
        for (int j = 0; j < box.Dimension; j++)
            if (box[j].Magnitude > f.MaxFinite)
                return string.Format(inv, "input {0} reaches {1:G6}, beyond the largest finite {2} ({3:G6})", j, box[j].Magnitude, f.Name, f.MaxFinite);
        var open = new Stack<Box>();
        open.Push(box);
        for (int parts = 1; open.Count > 0; )
        {
            var part = open.Pop();
            var why = Propagate(net, part, widened, f);
            if (why is null) continue;
            int widest = Widest(part);
            if (why.Parameter || parts + 2 > MaxParts || part[widest].Width == 0)
                return parts == 1 ? why.Text : why.Text + string.Format(inv, " (on one of {0} parts of the box)", parts);
            var (left, right) = part.Bisect(widest);
            open.Push(right); open.Push(left);
            parts += 2;
        }
        return null;
    }

    private sealed record Reason(string Text, bool Parameter);

    private static Reason? Propagate(Network net, Box box, ParameterBox widened, ExecutionFormat f)
    {
        var inv = CultureInfo.InvariantCulture;
        var h = box.Dimensions.ToArray();
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l]; var d = widened.Layers[l];
            var next = new Interval[L.Outputs];
            for (int i = 0; i < L.Outputs; i++)
            {
                var bias = Interval.Point(L.B(i)) + new Interval(d.BiasLo[i], d.BiasHi[i]);
                var z = bias;
                double magnitude = bias.Magnitude;
                for (int j = 0; j < L.Inputs; j++)
                {
                    int k = i * L.Inputs + j;
                    var w = Interval.Point(L.W(i, j)) + new Interval(d.WeightLo[k], d.WeightHi[k]);
                    if (w.Magnitude > f.MaxFinite)
                        return new(string.Format(inv, "layer {0} weight ({1},{2}) may reach {3:G6}, beyond the largest finite {4}", l + 1, i, j, w.Magnitude, f.Name), true);
                    z += w * h[j];
                    magnitude = Rounding.AddUp(magnitude, Rounding.MulUp(w.Magnitude, h[j].Magnitude));
                }
                if (!(magnitude <= f.MaxFinite))
                    return new(string.Format(inv, "layer {0} neuron {1}: a partial sum may reach {2:G6}, beyond the largest finite {3} ({4:G6})",
                        l + 1, i, magnitude, f.Name, f.MaxFinite), false);
                next[i] = Activate(L.Activation, z);
            }
            h = next;
        }
        return null;
    }

    private static int Widest(Box box)
    {
        int best = 0;
        for (int j = 1; j < box.Dimension; j++)
            if (box[j].Width > box[best].Width) best = j;
        return best;
    }

    /// <summary>The `execution` object of a result: the format, and why the bound is infinite if it is.</summary>
    public static JsonObject ToJson(ExecutionFormat f, string? overflow)
    {
        var o = f.ToJson();
        o["overflow"] = overflow;
        o["lowerBound"] = "real arithmetic: lower bounds are exactly replayed witnesses of the real-valued network, not of a float evaluation";
        return o;
    }

    // Only magnitudes matter here, and |σ(z)| ≤ max(1, slope)·|z| for every activation of the model.
    private static Interval Activate(Activation a, Interval z) => a.Kind switch
    {
        ActivationKind.Relu => z.Relu(),
        ActivationKind.Identity => z,
        _ => Interval.Hull(z, z * a.Slope),
    };
}
