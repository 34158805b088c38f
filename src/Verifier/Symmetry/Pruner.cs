using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Symmetry;

/// <summary>
/// Removes hidden neurons that provably contribute nothing, repeating until nothing changes:
/// zero incoming weights with σ(b) = 0 (dead on all of R^d), zero outgoing weights, and, when an input box is given,
/// relu neurons whose outward-rounded interval pre-activation bound is ≤ 0 (dead on the box only).
/// A neuron with zero incoming weights and σ(b) ≠ 0 is a constant: it is folded into the next layer's bias when every
/// new bias is exactly representable (checked in rational arithmetic), and kept otherwise.
/// The last neuron of a layer is never removed (a layer needs at least one neuron).
/// </summary>
public static class Pruner
{
    public static PruneResult Prune(Network network, double[]? lo = null, double[]? hi = null)
    {
        var net = new EditableNetwork(network);
        var ids = Enumerable.Range(0, net.HiddenLayerCount).Select(l => Enumerable.Range(0, net.Width(l)).ToList()).ToList();
        var actions = new List<PruneAction>();
        var kept = new HashSet<(int, int, string)>();
        bool box = lo is not null && hi is not null;
        bool changed = true;
        while (changed)
        {
            changed = false;
            var bounds = box ? PreActivationBounds(net, lo!, hi!) : null;
            for (int l = 0; l < net.HiddenLayerCount && !changed; l++)
                for (int i = 0; i < net.Width(l) && !changed; i++)
                {
                    var (action, reason) = Decide(net, l, i, bounds);
                    if (action is null) continue;
                    int id = ids[l][i];
                    if (net.Width(l) == 1)
                    {
                        if (kept.Add((l, id, reason))) actions.Add(new PruneAction(l + 1, id, "kept", reason + "; last neuron of its layer"));
                        continue;
                    }
                    if (action == "fold" && !TryFold(net, l, i))
                    {
                        if (kept.Add((l, id, reason))) actions.Add(new PruneAction(l + 1, id, "kept", reason + "; folding would round the next layer's bias"));
                        continue;
                    }
                    net.Remove(l, i);
                    ids[l].RemoveAt(i);
                    actions.Add(new PruneAction(l + 1, id, action == "fold" ? "folded" : "removed", reason));
                    changed = true;
                }
        }
        bool boxUsed = actions.Any(a => a.Reason.StartsWith("dead on the input box", StringComparison.Ordinal) && a.Action == "removed");
        return new PruneResult(net.ToNetwork(), actions, boxUsed);
    }

    private static (string? Action, string Reason) Decide(EditableNetwork net, int l, int i, Interval[][]? bounds)
    {
        double b = net.B[l][i];
        if (net.W[l][i].All(w => w == 0))
        {
            var v = ConstantOutput(net.Activations[l], b);
            if (v is { IsZero: true }) return ("remove", $"dead on R^d: zero incoming weights, {net.Activations[l]}({b:R}) = 0");
            return ("fold", $"constant neuron: zero incoming weights, output {net.Activations[l]}({b:R})");
        }
        if (net.W[l + 1].All(row => row[i] == 0)) return ("remove", "zero outgoing weights");
        if (bounds is not null && net.Activations[l].Kind == ActivationKind.Relu && bounds[l][i].CertainlyLessOrEqual(Interval.Zero))
            return ("remove", $"dead on the input box: pre-activation ≤ {bounds[l][i].Hi:R} (interval bound)");
        return (null, "");
    }

    private static Rational? ConstantOutput(Activation act, double b) => act.Apply(Rational.FromDouble(b));

    /// <summary>Adds W[m][i]·σ(b_i) to every next-layer bias when each sum is exact in double; otherwise changes nothing.</summary>
    private static bool TryFold(EditableNetwork net, int l, int i)
    {
        var v = ConstantOutput(net.Activations[l], net.B[l][i])!.Value;
        var next = net.W[l + 1];
        var nb = new double[next.Length];
        for (int m = 0; m < next.Length; m++)
        {
            var exact = Rational.FromDouble(net.B[l + 1][m]) + Rational.FromDouble(next[m][i]) * v;
            nb[m] = exact.ToDouble();
            if (!double.IsFinite(nb[m]) || Rational.FromDouble(nb[m]) != exact) return false;
        }
        net.B[l + 1] = nb;
        return true;
    }

    /// <summary>Outward-rounded interval bounds on every hidden pre-activation over the box [lo, hi].</summary>
    private static Interval[][] PreActivationBounds(EditableNetwork net, double[] lo, double[] hi)
    {
        var h = lo.Select((x, k) => new Interval(x, hi[k])).ToArray();
        var result = new Interval[net.HiddenLayerCount][];
        for (int l = 0; l < net.HiddenLayerCount; l++)
        {
            var z = new Interval[net.Width(l)];
            for (int i = 0; i < z.Length; i++)
            {
                var s = Interval.Point(net.B[l][i]);
                var row = net.W[l][i];
                for (int k = 0; k < row.Length; k++)
                    if (row[k] != 0) s += h[k] * row[k];
                z[i] = s;
            }
            result[l] = z;
            var act = net.Activations[l];
            h = z.Select(act.Image).ToArray();
        }
        return result;
    }
}
