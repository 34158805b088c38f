using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>
/// The replay oracle for Jacobian witnesses, independent of the region search: forward-mode differentiation in exact
/// rationals at one point. Each hidden neuron's derivative is its activation's slope on the side of its exact
/// pre-activation; a neuron exactly at its kink is accepted only when its pre-activation has zero gradient there (it is
/// then constant near the point, so the slope does not matter). Otherwise the point is on a kink and there is no answer.
/// </summary>
public static class PointJacobian
{
    /// <summary>∂f/∂x_{free} at x (rows: outputs), or null when x lies on a kink of f.</summary>
    public static Rational[][]? At(Network net, IReadOnlyList<Rational> x, IReadOnlyList<int> free)
    {
        var h = x.ToArray();
        // dh[i][k] = ∂h_i/∂x_{free[k]}
        var dh = new Rational[h.Length][];
        for (int i = 0; i < h.Length; i++)
        {
            dh[i] = new Rational[free.Count];
            for (int k = 0; k < free.Count; k++) dh[i][k] = free[k] == i ? Rational.One : Rational.Zero;
        }
        foreach (var layer in net.Layers)
        {
            var z = new Rational[layer.Outputs];
            var dz = new Rational[layer.Outputs][];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var row = layer.Row(i);
                var s = Rational.FromDouble(layer.B(i));
                var g = new Rational[free.Count];
                for (int k = 0; k < g.Length; k++) g[k] = Rational.Zero;
                for (int j = 0; j < row.Length; j++)
                {
                    if (row[j] == 0) continue;
                    var w = Rational.FromDouble(row[j]);
                    if (!h[j].IsZero) s += w * h[j];
                    for (int k = 0; k < g.Length; k++)
                        if (!dh[j][k].IsZero) g[k] += w * dh[j][k];
                }
                var slope = Slope(layer.Activation, s, g);
                if (slope is null) return null;
                z[i] = layer.Activation.Apply(s);
                dz[i] = slope.Value == Rational.One ? g : g.Select(v => v * slope.Value).ToArray();
            }
            h = z; dh = dz;
        }
        return dh;
    }

    /// <summary>The activation's slope at pre-activation s with gradient g; null at a kink that g crosses.</summary>
    private static Rational? Slope(Activation a, Rational s, Rational[] g)
    {
        if (a.Kind == ActivationKind.Identity) return Rational.One;
        if (s.Sign > 0) return Rational.One;
        var negative = a.Kind == ActivationKind.Relu ? Rational.Zero : Rational.FromDouble(a.Slope);
        if (s.Sign < 0) return negative;
        return g.All(v => v.IsZero) ? Rational.Zero : null;
    }
}
