namespace Verify.Search;

/// <summary>
/// Extra starts for the attack on low-dimensional boxes. Each sample x of the box is scored by s·Δf_j(x) with δ at the
/// first-order worst vertex for x (one gradient, one vertex, one more forward pass); the best few points per objective
/// are refined by a coordinate pattern search on the same score, and the attack runs an aligned ascent from each.
/// The plain first-order value max_δ s·∇_θ f_j(x)·δ was tried as the score and dropped: on ACAS Xu N2_9 at ε = 1e-3
/// its maximiser over the box reaches 0.18 to first order but only 0.026 when replayed (many ReLUs within reach of
/// δ's kink there), below the 0.05 the ascent already found. Deterministic for a seed: each output has its own stream.
/// </summary>
internal static class AlignedScreen
{
    /// <summary>The screen runs only on boxes with at most this many free dimensions: its pattern search costs
    /// 2·dimensions evaluations per step (1,568 on MNIST), and on mnistfc 256x4 uniform samples were poor starts (when
    /// they replaced the corner starts, L fell from 0.070 to 0.011).</summary>
    internal const int UpToDimensions = 16;

    private const int RefineSteps = 40;

    /// <summary>
    /// For every objective o of the attack (output <paramref name="outs"/>[o/2], sign + for even o, − for odd), up to
    /// <paramref name="keep"/> sampled points of the box, best first by the score, each refined. Stops early (keeping what it has) when
    /// <paramref name="cancellation"/> fires.
    /// </summary>
    public static double[][][] Seeds(DeviationProblem p, double[] lo, double[] hi, IReadOnlyList<int> outs, int samples,
                                     int keep, int seed, ParallelOptions par, CancellationToken cancellation)
    {
        var result = new double[outs.Count * 2][][];
        Parallel.For(0, outs.Count, par, k =>
        {
            var ws = new AttackWorkspace(p);
            ws.SetInputBox(lo, hi);
            ws.ZeroDelta();
            var rng = new Random(DeviationAttack.Mix(seed, k, 2));
            var up = new Best(keep);
            var down = new Best(keep);
            int j = outs[k];
            for (int n = 0; n < samples && !cancellation.IsCancellationRequested; n++)
            {
                for (int i = 0; i < lo.Length; i++) ws.X[i] = Math.Min(hi[i], lo[i] + rng.NextDouble() * (hi[i] - lo[i]));
                up.Offer(ws.AlignedDeviation(j, 1), ws.X);
                down.Offer(ws.AlignedDeviation(j, -1), ws.X);
            }
            result[2 * k] = up.Points(x => Refine(ws, j, true, x, lo, hi, cancellation));
            result[2 * k + 1] = down.Points(x => Refine(ws, j, false, x, lo, hi, cancellation));
        });
        return result;
    }

    /// <summary>Coordinate pattern search on the score from <paramref name="start"/>: a step of a fraction of each side,
    /// halved whenever no coordinate move improves.</summary>
    private static double[] Refine(AttackWorkspace ws, int j, bool upwards, double[] start, double[] lo, double[] hi,
                                   CancellationToken cancellation)
    {
        var x = (double[])start.Clone();
        double best = Score(ws, j, upwards, x);
        double step = 0.05;
        for (int t = 0; t < RefineSteps && step > 1e-4 && !cancellation.IsCancellationRequested; t++)
        {
            bool improved = false;
            for (int i = 0; i < x.Length; i++)
            {
                if (!(hi[i] > lo[i])) continue;
                foreach (int sign in (ReadOnlySpan<int>)[1, -1])
                {
                    double old = x[i];
                    x[i] = Math.Clamp(old + sign * step * (hi[i] - lo[i]), lo[i], hi[i]);
                    double v = Score(ws, j, upwards, x);
                    if (v > best) { best = v; improved = true; break; }
                    x[i] = old;
                }
            }
            if (!improved) step *= 0.5;
        }
        return x;
    }

    private static double Score(AttackWorkspace ws, int j, bool upwards, double[] x)
    {
        x.CopyTo(ws.X, 0);
        return ws.AlignedDeviation(j, upwards ? 1 : -1);
    }

    /// <summary>The best few points seen, by value.</summary>
    private sealed class Best(int capacity)
    {
        private readonly List<(double Value, double[] X)> _items = [];

        public void Offer(double value, double[] x)
        {
            if (capacity <= 0 || double.IsNaN(value)) return;
            if (_items.Count == capacity && value <= _items[^1].Value) return;
            int at = _items.FindIndex(e => value > e.Value);
            _items.Insert(at < 0 ? _items.Count : at, (value, (double[])x.Clone()));
            if (_items.Count > capacity) _items.RemoveAt(_items.Count - 1);
        }

        public double[][] Points(Func<double[], double[]> finish) => _items.Select(e => finish(e.X)).ToArray();
    }
}
