using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// The exact rational passes through a sequence of layers, each the affine operator then the activation operator:
/// the forward pass (the oracle of every witness, <see cref="Network.ForwardExact"/>), the one-sided directional
/// derivative, and the Jacobian at a point off the kinks. Every activation rule comes from the operator: its value
/// (<see cref="IActivationOperator.Apply(Rational)"/>) and its kink (P, N), the slopes on either side of 0.
/// </summary>
public static class ExactPasses
{
    /// <summary>
    /// The one exact forward pass. <paramref name="preActivations"/>, when given, sees every layer's index and exact
    /// pre-activations during the call (the array is then overwritten by the activation: copy what you keep).
    /// </summary>
    public static Rational[] Forward(IReadOnlyList<IExactLayer> layers, IReadOnlyList<Rational> x, Action<int, Rational[]>? preActivations = null)
    {
        Rational[] h = x.ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var z = layer.PreActivationExact(h);
            preActivations?.Invoke(l, z);
            var op = layer.Activation.Operator;
            for (int i = 0; i < z.Length; i++) z[i] = op.Apply(z[i]);
            h = z;
        }
        return h;
    }

    /// <summary>
    /// The one-sided directional derivative lim_{t↓0} (f(x + t v) − f(x)) / t, exact. A kinked activation has the
    /// right derivative σ′(z; u) = P·u for z &gt; 0, N·u for z &lt; 0 and (P or N by the sign of u)·u at z = 0, and
    /// one-sided directional derivatives of piecewise-linear maps compose by the chain rule, so one forward pass of
    /// (value, derivative) pairs is exact.
    /// </summary>
    public static Rational[] RightDerivative(IReadOnlyList<IExactLayer> layers, IReadOnlyList<Rational> x, IReadOnlyList<Rational> v)
    {
        var h = x.ToArray();
        var dh = v.ToArray();
        foreach (var layer in layers)
        {
            var z = layer.PreActivationExact(h);
            var dz = layer.LinearExact(dh);
            var op = layer.Activation.Operator;
            var (p, n) = Slopes(op.Kink);
            for (int i = 0; i < z.Length; i++)
            {
                var side = z[i].Sign != 0 ? z[i].Sign : dz[i].Sign;
                dz[i] *= side >= 0 ? p : n;
                z[i] = op.Apply(z[i]);
            }
            h = z; dh = dz;
        }
        return dh;
    }

    /// <summary>
    /// ∂f/∂x_{free} at x (rows: outputs), exact forward mode, or null when x lies on a kink of f. A neuron exactly at
    /// its kink is accepted only when its pre-activation has zero gradient there (it is then constant near the point,
    /// so the slope does not matter); a linear activation (P = N) has no kink.
    /// </summary>
    public static Rational[][]? Jacobian(IReadOnlyList<IExactLayer> layers, IReadOnlyList<Rational> x, IReadOnlyList<int> free)
    {
        var h = x.ToArray();
        // dh[i][k] = ∂h_i/∂x_{free[k]}
        var dh = new Rational[h.Length][];
        for (int i = 0; i < h.Length; i++)
        {
            dh[i] = new Rational[free.Count];
            for (int k = 0; k < free.Count; k++) dh[i][k] = free[k] == i ? Rational.One : Rational.Zero;
        }
        foreach (var layer in layers)
        {
            var z = layer.PreActivationExact(h);
            var op = layer.Activation.Operator;
            var (p, n) = Slopes(op.Kink);
            // Column k of W·dh: how every pre-activation moves with x_{free[k]}.
            var columns = new Rational[free.Count][];
            var e = new Rational[h.Length];
            for (int k = 0; k < columns.Length; k++)
            {
                for (int j = 0; j < e.Length; j++) e[j] = dh[j][k];
                columns[k] = layer.LinearExact(e);
            }
            var dz = new Rational[layer.Outputs][];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var g = new Rational[free.Count];
                for (int k = 0; k < g.Length; k++) g[k] = columns[k][i];
                Rational slope;
                if (p == n || z[i].Sign > 0) slope = p;
                else if (z[i].Sign < 0) slope = n;
                else if (g.All(v => v.IsZero)) slope = Rational.Zero;
                else return null;
                z[i] = op.Apply(z[i]);
                dz[i] = slope == Rational.One ? g : g.Select(v => v * slope).ToArray();
            }
            h = z; dh = dz;
        }
        return dh;
    }

    /// <summary>The kink's slopes (P, N) as the rationals they are.</summary>
    public static (Rational P, Rational N) Slopes(Kink k) => (Rational.FromDouble(k.P), Rational.FromDouble(k.N));
}
