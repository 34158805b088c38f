using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// The lower side of a one-layer norm ball at a fixed input (docs/normballs.md): projected gradient ascent of
/// ±(g_j(z₀ + v) − g_j(z₀)) over the ℓ2 ball ‖v‖₂ ≤ R of the ball layer's pre-activations (g the fixed tail), from the
/// first-order direction, random directions and the given witnesses. The best v per output becomes the rank-one
/// δW = v hᵀ/‖h‖² (‖δW‖_F = ‖δW‖₂ = ‖v‖/‖h‖), is shrunk until the exact admissibility test passes, and is reported only
/// as its exact rational replay.
/// </summary>
public static class BallAttack
{
    public sealed record Options
    {
        public int RandomStarts { get; init; } = 16;
        public int Steps { get; init; } = 150;
        public int Seed { get; init; } = 1;

        /// <summary>No start begins after this long (the starts under way finish, then the best are replayed).</summary>
        public TimeSpan Time { get; init; } = TimeSpan.MaxValue;
    }

    /// <summary>Per output the best replayed lower bound (null where none), or null where the case does not apply: no
    /// ball, a box that is not a point, or a tail that is not ReLU.</summary>
    public static IReadOnlyList<LowerBound?>? Run(Network network, Box box, ParameterBox delta, IReadOnlyList<LowerBound?>? starts,
                                                Options options, CancellationToken cancellation = default)
    {
        if (delta.Ball is not { } ball || !Bounds.BallSplittingBounder.Applies(network, box, delta.Execution is null ? delta : delta.RealArithmetic)) return null;
        int layer = ball.Layer;
        var x = box.Lower;
        var h = x;
        for (int l = 0; l < layer; l++) h = Forward(network.Layers[l], h);
        var wl = network.Layers[layer];
        var z0 = new double[wl.Outputs];
        wl.PreActivation(h, z0);
        double hh = h.Sum(v => v * v);
        if (hh == 0) return new LowerBound?[network.OutputSize];
        double inner = NormBall.NormSquaredLowerExact(wl, ball.Norm).ToInterval().Lo;
        double radius = ball.Ratio * Math.Sqrt(Math.Max(0, inner)) * Math.Sqrt(hh) * (1 - 1e-9);
        var tail = new Tail(network, layer);
        var g0 = tail.Value(z0);
        var rng = new Random(options.Seed);
        // Every objective's starts, taken round by round (all first-order starts first), so that a spent time budget
        // still leaves each output its best start so far.
        var objectives = new List<(int J, double Sign, IEnumerator<double[]> Starts)>();
        for (int j = 0; j < network.OutputSize; j++)
            foreach (var sign in new[] { 1.0, -1.0 })
                objectives.Add((j, sign, Starts(tail, z0, h, radius, j, sign, starts, network, layer, rng, options.RandomStarts).GetEnumerator()));
        var bestGain = new double[network.OutputSize];
        var bestV = new double[]?[network.OutputSize];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool Spent() => cancellation.IsCancellationRequested || clock.Elapsed > options.Time;
        for (bool any = true; any && !Spent();)
        {
            any = false;
            foreach (var (j, sign, next) in objectives)
            {
                if (Spent()) break;
                if (!next.MoveNext()) continue;
                any = true;
                var (v, gain) = Ascend(tail, z0, g0[j], next.Current, radius, j, sign, options.Steps);
                if (gain > bestGain[j]) { bestGain[j] = gain; bestV[j] = v; }
            }
        }
        var result = new LowerBound?[network.OutputSize];
        for (int j = 0; j < result.Length; j++)
            if (bestV[j] is { } v) result[j] = Replay(network, box, delta, layer, h, hh, v, j);
        return result;
    }

    private static IEnumerable<double[]> Starts(Tail tail, double[] z0, double[] h, double radius, int j, double sign,
                                                IReadOnlyList<LowerBound?>? witnesses, Network network, int layer, Random rng, int randomStarts)
    {
        yield return Project(Scaled(tail.Gradient(z0, j), sign), radius, toBoundary: true);   // the first-order rank-one step
        if (witnesses is not null)
            foreach (var w in witnesses)
                if (w?.Witness.Perturbed is { } p)
                {
                    // v = (W′ − W) h: the pre-activation change the earlier witness makes at this input.
                    var a = network.Layers[layer]; var b = p.Layers[layer];
                    var v = new double[a.Outputs];
                    for (int r = 0; r < v.Length; r++)
                        for (int i = 0; i < h.Length; i++) v[r] += (b.W(r, i) - a.W(r, i)) * h[i];
                    yield return Project(v, radius, toBoundary: false);
                }
        for (int s = 0; s < randomStarts; s++)
        {
            var v = new double[z0.Length];
            for (int k = 0; k < v.Length; k++) v[k] = Gaussian(rng);
            yield return Project(v, radius, toBoundary: true);
        }
    }

    /// <summary>Projected normalised-gradient ascent with a shrinking step; returns the best point and its gain.</summary>
    private static (double[] V, double Gain) Ascend(Tail tail, double[] z0, double g0, double[] start, double radius, int j, double sign, int steps)
    {
        var v = start; var z = new double[z0.Length];
        double best = double.NegativeInfinity; var bestV = v;
        double step = 0.5 * radius;
        for (int it = 0; it <= steps; it++)
        {
            for (int k = 0; k < z.Length; k++) z[k] = z0[k] + v[k];
            double gain = sign * (tail.Value(z)[j] - g0);
            if (gain > best) { best = gain; bestV = v; }
            if (it == steps) break;
            var g = tail.Gradient(z, j);
            double n = Math.Sqrt(g.Sum(t => t * t));
            if (n == 0) break;
            var next = new double[v.Length];
            for (int k = 0; k < v.Length; k++) next[k] = v[k] + sign * step * g[k] / n;
            v = Project(next, radius, toBoundary: false);
            step *= 0.97;
        }
        return (bestV, best);
    }

    /// <summary>The rank-one witness for v, shrunk until exactly admissible, replayed in rationals.</summary>
    private static LowerBound? Replay(Network network, Box box, ParameterBox delta, int layer, double[] h, double hh, double[] v, int j)
    {
        var nominal = network.Layers[layer];
        double shrink = 1;
        for (int attempt = 0; attempt < 80; attempt++)
        {
            var w = new double[nominal.Weights.Length];
            for (int r = 0; r < nominal.Outputs; r++)
                for (int i = 0; i < nominal.Inputs; i++)
                    w[r * nominal.Inputs + i] = nominal.W(r, i) + shrink * v[r] * h[i] / hh;
            if (!Array.TrueForAll(w, double.IsFinite)) return null; // near overflow (h·v beyond the double range): no witness
            var layers = network.Layers.ToArray();
            layers[layer] = nominal.With(w, nominal.Bias.ToArray());
            var perturbed = network.WithLayers(layers);
            if (delta.Admits(network, perturbed))
            {
                var witness = new Witness(j, box.Lower, perturbed);
                return witness.Replay(network, box, delta) is { } exact ? new LowerBound(j, exact, witness) : null;
            }
            shrink = attempt < 20 ? shrink * (1 - 1e-6 * (1 << Math.Min(attempt, 20))) : shrink * 0.5;
        }
        return null;
    }

    private static double[] Project(double[] v, double radius, bool toBoundary)
    {
        double n = Math.Sqrt(v.Sum(t => t * t));
        if (n == 0) return v;
        if (!toBoundary && n <= radius) return v;
        return v.Select(t => t * radius / n).ToArray();
    }

    private static double[] Scaled(double[] v, double s) => v.Select(t => t * s).ToArray();

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] Forward(DenseLayer layer, double[] h)
    {
        var z = new double[layer.Outputs];
        layer.PreActivation(h, z);
        var op = layer.Activation.Operator;
        for (int i = 0; i < z.Length; i++) z[i] = op.Apply(z[i]);
        return z;
    }

    /// <summary>The tail from the ball layer's pre-activations in doubles: its value and the gradient of one output.</summary>
    private sealed class Tail(Network network, int layer)
    {
        public double[] Value(double[] z)
        {
            var h = Activate(network.Layers[layer], z);
            for (int l = layer + 1; l < network.Depth; l++) h = Forward(network.Layers[l], h);
            return h;
        }

        public double[] Gradient(double[] z, int j)
        {
            var pre = new List<double[]> { z };
            var h = Activate(network.Layers[layer], z);
            for (int l = layer + 1; l < network.Depth; l++)
            {
                var zl = new double[network.Layers[l].Outputs];
                network.Layers[l].PreActivation(h, zl);
                pre.Add(zl);
                h = Activate(network.Layers[l], zl);
            }
            var g = new double[network.OutputSize];
            g[j] = 1;
            for (int l = network.Depth - 1; l >= layer; l--)
            {
                var zl = pre[l - layer];
                var op = network.Layers[l].Activation.Operator;
                for (int k = 0; k < g.Length; k++) g[k] *= op.Derivative(zl[k]);
                if (l == layer) break;
                var back = new double[network.Layers[l].Inputs];
                network.Layers[l].Transpose(g, back);
                g = back;
            }
            return g;
        }

        private static double[] Activate(DenseLayer l, double[] z)
        {
            var op = l.Activation.Operator;
            return z.Select(op.Apply).ToArray();
        }
    }
}
