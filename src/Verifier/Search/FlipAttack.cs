using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Searches (x, δ) with y'_r(x) ≥ y'_c(x) for a rival class r: ascent on g = y'_r − y'_c. At the current point the
/// gradient of g with respect to a weight is ∂g/∂z_i · h_k, so the best corner of the parameter box for the
/// linearisation is δ = hi where that product is positive and lo where it is negative (and likewise for the biases);
/// x takes projected sign-gradient steps of shrinking size. Restart 0 starts at the given point with δ = 0, later
/// restarts at a random point of the box and a random corner. Rivals are tried in order of their nominal margin at
/// the start point, smallest first. Every candidate with g ≥ 0 in double arithmetic is rounded into the certainly
/// admissible inner box and replayed exactly (<see cref="ClassFlip.Replay"/>); only a replay with margin ≤ 0 is
/// returned. When the nominal network already flips at that x, the flip is reported with δ = 0.
/// </summary>
public sealed class FlipAttack
{
    private readonly Network _net;
    private readonly Box _box;
    private readonly ParameterBox _delta;
    private readonly int _cls;
    private readonly double[][] _w, _dw, _db;   // per layer: perturbed weights θ + δ (weights), δW, δb
    private readonly double[][] _z, _h;         // per layer: pre-activations, post-activations (index 0 = input)

    public int Steps { get; init; } = 30;

    public FlipAttack(Network net, Box box, ParameterBox delta, int cls)
    {
        _net = net; _box = box; _delta = delta; _cls = cls;
        int depth = net.Depth;
        _w = new double[depth][]; _dw = new double[depth][]; _db = new double[depth][];
        _z = new double[depth][]; _h = new double[depth + 1][];
        _h[0] = new double[net.InputSize];
        for (int l = 0; l < depth; l++)
        {
            var L = net.Layers[l];
            _w[l] = new double[L.Weights.Length]; _dw[l] = new double[L.Weights.Length]; _db[l] = new double[L.Outputs];
            _z[l] = new double[L.Outputs]; _h[l + 1] = new double[L.Outputs];
        }
    }

    /// <summary>The first replayed flip, or null when none was found within <paramref name="restarts"/> restarts per
    /// rival or before <paramref name="cancellation"/> fires.</summary>
    public ClassFlip? Run(double[] start, int restarts, int seed, CancellationToken cancellation)
    {
        var rng = new Random(seed);
        var y0 = _net.Evaluate(start);
        var rivals = Enumerable.Range(0, _net.OutputSize).Where(j => j != _cls).OrderBy(j => y0[_cls] - y0[j]).ToArray();
        for (int r = 0; r < restarts; r++)
            foreach (var rival in rivals)
            {
                if (cancellation.IsCancellationRequested) return null;
                var x = r == 0 ? (double[])start.Clone() : RandomPoint(rng);
                StartDelta(r == 0 ? null : rng);
                if (Ascend(rival, x, cancellation) is { } flip) return flip;
            }
        return null;
    }

    private ClassFlip? Ascend(int rival, double[] x, CancellationToken cancellation)
    {
        var gx = new double[x.Length];
        double bestTried = double.NegativeInfinity;
        for (int step = 0; step <= Steps && !cancellation.IsCancellationRequested; step++)
        {
            double g = Forward(x, rival);
            if (g >= 0 && g > bestTried)
            {
                bestTried = g;
                if (Confirm(rival, x) is { } flip) return flip;
            }
            if (step == Steps) break;
            BackwardAndPickCorner(rival, gx);
            double size = 0.5 * (1.0 - (double)step / Steps);
            for (int k = 0; k < x.Length; k++)
            {
                var iv = _box[k];
                double moved = x[k] + Math.Sign(gx[k]) * size * (iv.Hi - iv.Lo);
                x[k] = Math.Clamp(moved, iv.Lo, iv.Hi);
            }
        }
        return null;
    }

    private double[] RandomPoint(Random rng)
    {
        var x = new double[_box.Dimension];
        for (int k = 0; k < x.Length; k++)
        {
            var iv = _box[k];
            x[k] = Math.Clamp(iv.Lo + rng.NextDouble() * (iv.Hi - iv.Lo), iv.Lo, iv.Hi);
        }
        return x;
    }

    /// <summary>δ = 0, or a random corner of the inner box.</summary>
    private void StartDelta(Random? rng)
    {
        for (int l = 0; l < _net.Depth; l++)
        {
            var inner = _delta.Inner[l];
            for (int q = 0; q < _dw[l].Length; q++)
                _dw[l][q] = rng is null ? 0 : rng.Next(2) == 0 ? inner.WeightLo[q] : inner.WeightHi[q];
            for (int i = 0; i < _db[l].Length; i++)
                _db[l][i] = rng is null ? 0 : rng.Next(2) == 0 ? inner.BiasLo[i] : inner.BiasHi[i];
        }
    }

    /// <summary>The perturbed network at x in double arithmetic; returns g = y'_rival − y'_c.</summary>
    private double Forward(double[] x, int rival)
    {
        x.CopyTo(_h[0], 0);
        for (int l = 0; l < _net.Depth; l++)
        {
            var L = _net.Layers[l];
            var w = L.Weights; var pw = _w[l]; var dw = _dw[l];
            for (int q = 0; q < pw.Length; q++) pw[q] = w[q] + dw[q];
            var z = _z[l]; var h = _h[l]; int nIn = L.Inputs;
            for (int i = 0; i < L.Outputs; i++)
            {
                double s = L.B(i) + _db[l][i];
                for (int k = 0; k < nIn; k++) s += pw[i * nIn + k] * h[k];
                z[i] = s;
            }
            var op = L.Activation.Operator;
            for (int i = 0; i < z.Length; i++) _h[l + 1][i] = op.Apply(z[i]);
        }
        var y = _h[_net.Depth];
        return y[rival] - y[_cls];
    }

    /// <summary>Back-propagates ∂g from the last forward pass: moves δ to the best corner of the inner box for the
    /// linearisation and leaves ∂g/∂x in <paramref name="gx"/>.</summary>
    private void BackwardAndPickCorner(int rival, double[] gx)
    {
        int depth = _net.Depth;
        var gh = new double[_net.OutputSize];
        gh[rival] = 1; gh[_cls] = -1;
        for (int l = depth - 1; l >= 0; l--)
        {
            var L = _net.Layers[l];
            var op = L.Activation.Operator;
            int nIn = L.Inputs;
            var gz = new double[L.Outputs];
            for (int i = 0; i < gz.Length; i++) gz[i] = gh[i] * op.Derivative(_z[l][i]);
            var prevH = _h[l];
            var prevG = new double[nIn];
            var inner = _delta.Inner[l];
            var pw = _w[l];
            for (int i = 0; i < gz.Length; i++)
            {
                double gi = gz[i];
                if (gi == 0) continue;
                for (int k = 0; k < nIn; k++) prevG[k] += gi * pw[i * nIn + k];
            }
            for (int i = 0; i < gz.Length; i++)
            {
                double gi = gz[i];
                if (gi != 0) _db[l][i] = gi > 0 ? inner.BiasHi[i] : inner.BiasLo[i];
                if (gi == 0) continue;
                for (int k = 0; k < nIn; k++)
                {
                    double gw = gi * prevH[k];
                    int q = i * nIn + k;
                    if (gw > 0) _dw[l][q] = inner.WeightHi[q];
                    else if (gw < 0) _dw[l][q] = inner.WeightLo[q];
                }
            }
            gh = prevG;
        }
        gh.CopyTo(gx, 0);
    }

    /// <summary>The current candidate as an admissible network, replayed exactly; the flip if its margin is ≤ 0.</summary>
    private ClassFlip? Confirm(int rival, double[] x)
    {
        var xr = x.Select(Rational.FromDouble).ToArray();
        var nominal = _net.EvaluateExact(xr);
        if (nominal[rival] >= nominal[_cls])
            return Replayed(new ClassFlip(_cls, rival, (double[])x.Clone(), _net) { NominalFlip = true });
        double shrink = 1.0;
        for (int attempt = 0; attempt < 30; attempt++, shrink *= 0.5)
        {
            var perturbed = Admissible(shrink);
            if (!_delta.Admits(_net, perturbed)) continue;
            return Replayed(new ClassFlip(_cls, rival, (double[])x.Clone(), perturbed));
        }
        return null;
    }

    private ClassFlip? Replayed(ClassFlip flip) =>
        flip.Replay(_net, _box, _delta) is { } margin && margin.Sign <= 0 ? flip : null;

    /// <summary>θ + s·δ rounded so that the exact difference stays in the inner box (a norm ball may need s &lt; 1).</summary>
    private Network Admissible(double s)
    {
        var layers = new DenseLayer[_net.Depth];
        for (int l = 0; l < _net.Depth; l++)
        {
            var L = _net.Layers[l];
            var inner = _delta.Inner[l];
            var w = new double[L.Weights.Length]; var b = new double[L.Outputs];
            for (int q = 0; q < w.Length; q++)
                w[q] = Rounding.ClosestWithDifferenceIn(L.Weights[q], L.Weights[q] + s * _dw[l][q], inner.WeightLo[q], inner.WeightHi[q]);
            for (int i = 0; i < b.Length; i++)
                b[i] = Rounding.ClosestWithDifferenceIn(L.B(i), L.B(i) + s * _db[l][i], inner.BiasLo[i], inner.BiasHi[i]);
            layers[l] = L.With(w, b);
        }
        return _net.WithLayers(layers);
    }
}
