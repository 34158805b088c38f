using Verify.Intervals;
using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Looks for inputs where two networks differ: projected signed-gradient ascent in double arithmetic from many
/// starts (centre, corners, random points). It only proposes points; the checker replays them exactly.
/// </summary>
public sealed class WitnessSearch
{
    private readonly Network _a, _b;
    private readonly Box _box;
    private readonly Random _rng;
    private readonly double[] _lo, _hi, _width;

    public WitnessSearch(Network first, Network second, Box box, int seed)
    {
        _a = first; _b = second; _box = box; _rng = new Random(seed);
        _lo = box.Lower; _hi = box.Upper;
        _width = _lo.Select((l, i) => _hi[i] - l).ToArray();
    }

    /// <summary>Per output, the visited point with the largest double |f2_j − f1_j|.</summary>
    public double[][] MaximizeDifference(int starts, int steps, Func<bool> stop)
    {
        int m = _a.OutputSize;
        var best = new double[m][];
        var bestValue = Enumerable.Repeat(-1.0, m).ToArray();
        var ga = new NetworkGradient(_a); var gb = new NetworkGradient(_b);
        void Record(double[] x, double[] ya, double[] yb)
        {
            for (int j = 0; j < m; j++)
            {
                double v = Math.Abs(yb[j] - ya[j]);
                if (v > bestValue[j]) { bestValue[j] = v; best[j] = (double[])x.Clone(); }
            }
        }
        for (int s = 0; s < starts && !stop(); s++)
        {
            var x = StartPoint(s);
            for (int t = 0; t <= steps; t++)
            {
                var ya = ga.Forward(x); var yb = gb.Forward(x);
                Record(x, ya, yb);
                if (t == steps) break;
                // Ascend the currently largest |Δ_j| (a subgradient of ‖Δ‖∞).
                int j = 0;
                for (int k = 1; k < m; k++) if (Math.Abs(yb[k] - ya[k]) > Math.Abs(yb[j] - ya[j])) j = k;
                double sign = yb[j] >= ya[j] ? 1 : -1;
                var w = new double[m]; w[j] = sign;
                var gB = gb.Backward(w);
                var gA = ga.Backward(w);
                Step(x, gB.Select((g, i) => g - gA[i]).ToArray(), t, steps);
            }
        }
        return best.Where(b => b is not null).ToArray();
    }

    /// <summary>Visited points where the double argmaxes of the two networks differ.</summary>
    public IEnumerable<double[]> TopOneCandidates(int starts, int steps, Func<bool> stop)
    {
        var ga = new NetworkGradient(_a); var gb = new NetworkGradient(_b);
        int m = _a.OutputSize;
        for (int s = 0; s < starts && !stop(); s++)
        {
            var x = StartPoint(s);
            // Alternate which network is pushed away from the other's choice.
            bool pushSecond = s % 2 == 0;
            var (gp, gq) = pushSecond ? (gb, ga) : (ga, gb);
            for (int t = 0; t <= steps; t++)
            {
                var yp = gp.Forward(x); var yq = gq.Forward(x);
                int cq = TopOne.Argmax(yq), cp = TopOne.Argmax(yp);
                if (cp != cq) { yield return (double[])x.Clone(); break; }
                if (t == steps || m < 2) break;
                // Target the strongest competitor k of the shared class c in the pushed network: raise p_k − p_c
                // while keeping q_c − q_k from growing (maximise the smaller of the two).
                int k = -1;
                for (int i = 0; i < m; i++) if (i != cq && (k < 0 || yp[i] > yp[k])) k = i;
                var wp = new double[m]; wp[k] = 1; wp[cq] = -1;
                var wq = new double[m]; wq[cq] = 1; wq[k] = -1;
                double up = yp[k] - yp[cq], uq = yq[cq] - yq[k];
                var g = up <= uq ? gp.Backward(wp) : gq.Backward(wq);
                Step(x, g, t, steps);
            }
        }
    }

    private double[] StartPoint(int s)
    {
        int d = _lo.Length;
        var x = new double[d];
        if (s == 0) return _box.Center;
        if (s <= 2 * d && s <= 32)
        {
            // Corners: the first ones systematically by bit pattern, alternating, then random ones.
            for (int i = 0; i < d; i++) x[i] = ((s >> (i % 30)) & 1) == 1 ? _hi[i] : _lo[i];
            return x;
        }
        for (int i = 0; i < d; i++) x[i] = Math.Clamp(_lo[i] + _rng.NextDouble() * _width[i], _lo[i], _hi[i]);
        return x;
    }

    private void Step(double[] x, double[] g, int t, int steps)
    {
        double rate = 0.25 * (1.0 - (double)t / (steps + 1)) + 0.01;
        for (int i = 0; i < x.Length; i++)
        {
            if (g[i] == 0) continue;
            x[i] = Math.Clamp(x[i] + Math.Sign(g[i]) * rate * _width[i], _lo[i], _hi[i]);
        }
    }

    /// <summary>Exact f2 − f1 at x (x itself taken exactly from its doubles).</summary>
    public static Rational[] ExactDifference(Network first, Network second, double[] x)
    {
        var xr = x.Select(Rational.FromDouble).ToArray();
        var y1 = first.EvaluateExact(xr); var y2 = second.EvaluateExact(xr);
        return y2.Select((v, j) => v - y1[j]).ToArray();
    }
}
