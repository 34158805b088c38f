using Verify.Specs;

namespace Verify.Bench.Mnist;

/// <summary>
/// The first-order worst case at a point: g_j(x) = Σ_θ |∂f_j/∂θ|·max|δ_θ| = Σ_l |a_l|ᵀ (|δW_l|max |h_{l−1}| + |δb_l|max)
/// with a_l = ∂f_j/∂z_l, maximised over x by sign-gradient ascent (activation pattern held fixed inside a step, so
/// ∂a/∂x = 0). The δ that attains it at x is the aligned vertex δ = max|δ|·sign(∂f_j/∂θ); its actual Δf_j is also
/// evaluated. Estimates only: this is the truth to first order in ε, what a good attack should approach.
/// </summary>
internal sealed class FirstOrder
{
    private readonly Dense _net;
    private readonly double[][] _mw, _mb;   // max |δ| per weight and bias

    public FirstOrder(Dense net, ParameterBox delta)
    {
        _net = net;
        _mw = delta.Inner.Select(b => b.WeightLo.Zip(b.WeightHi, (lo, hi) => Math.Max(-lo, hi)).ToArray()).ToArray();
        _mb = delta.Inner.Select(b => b.BiasLo.Zip(b.BiasHi, (lo, hi) => Math.Max(-lo, hi)).ToArray()).ToArray();
    }

    /// <summary>g_j(x) and its gradient in x (into <paramref name="gx"/>); a[l] = ∂f_j/∂z_l is left in <paramref name="a"/>.
    /// With <paramref name="layer"/> ≥ 0 the objective is neuron j of that layer's pre-activation instead of output j.</summary>
    public double Value(int j, double[] x, double[][] z, double[][] h, double[][] a, double[] gx, int layer = -1)
    {
        int L = layer < 0 ? _net.Depth : layer + 1;
        _net.Forward(x, z, h);
        Array.Clear(a[L - 1]); a[L - 1][j] = 1;
        for (int l = L - 1; l > 0; l--)
        {
            _net.BackAffine(l, a[l], a[l - 1]);
            for (int k = 0; k < a[l - 1].Length; k++) if (z[l - 1][k] <= 0) a[l - 1][k] = 0;
        }
        double g = 0;
        // u = ∂g/∂h_{l−1}: the direct term |δW_l|maxᵀ|a_l|·sign(h_{l−1}) plus what comes down from above.
        double[] up = [];
        for (int l = L - 1; l >= 0; l--)
        {
            var hPrev = l == 0 ? x : h[l - 1];
            int nIn = _net.In[l];
            var u = new double[nIn];
            if (up.Length > 0)
            {
                var r = (double[])up.Clone();
                for (int i = 0; i < r.Length; i++) if (z[l][i] <= 0 && l < _net.Depth - 1) r[i] = 0;
                _net.BackAffine(l, r, u);
            }
            var mw = _mw[l]; var mb = _mb[l];
            for (int i = 0; i < _net.Out[l]; i++)
            {
                double ai = Math.Abs(a[l][i]);
                if (ai == 0) continue;
                g += ai * mb[i];
                for (int k = 0; k < nIn; k++)
                {
                    double w = ai * mw[i * nIn + k];
                    g += w * Math.Abs(hPrev[k]);
                    u[k] += w * Math.Sign(hPrev[k]);
                }
            }
            up = u;
        }
        up.CopyTo(gx, 0);
        return g;
    }

    /// <summary>Best g_j over <paramref name="starts"/> after <paramref name="steps"/> sign steps each; the maximiser in <paramref name="best"/>.</summary>
    public double Maximise(int j, IEnumerable<double[]> starts, double[] lo, double[] hi, int steps, out double[] best, int layer = -1)
    {
        var z = _net.NewLayers(); var h = _net.NewLayers(); var a = _net.NewLayers();
        var gx = new double[lo.Length];
        double top = double.NegativeInfinity; best = (double[])lo.Clone();
        foreach (var s in starts)
        {
            var x = (double[])s.Clone();
            for (int t = 0; t <= steps; t++)
            {
                double v = Value(j, x, z, h, a, gx, layer);
                if (v > top) { top = v; best = (double[])x.Clone(); }
                if (t == steps) break;
                double alpha = 0.25 * Math.Pow(0.04, (double)t / steps);
                for (int k = 0; k < x.Length; k++)
                    if (gx[k] != 0) x[k] = Math.Clamp(x[k] + (gx[k] > 0 ? alpha : -alpha) * (hi[k] - lo[k]), lo[k], hi[k]);
            }
        }
        return top;
    }

    /// <summary>f_j(x; θ+δ) − f_j(x; θ) for the aligned vertex δ = s·max|δ|·sign(∂f_j/∂θ) at x (double arithmetic).</summary>
    public double AlignedDifference(int j, int s, double[] x)
    {
        int L = _net.Depth;
        var z = _net.NewLayers(); var h = _net.NewLayers(); var a = _net.NewLayers();
        Value(j, x, z, h, a, new double[x.Length]);
        var w = new double[L][]; var b = new double[L][];
        for (int l = 0; l < L; l++)
        {
            var hPrev = l == 0 ? x : h[l - 1];
            int nIn = _net.In[l];
            w[l] = (double[])_net.W[l].Clone(); b[l] = (double[])_net.B[l].Clone();
            for (int i = 0; i < _net.Out[l]; i++)
            {
                double ai = s * a[l][i];
                b[l][i] += Math.Sign(ai) * _mb[l][i];
                for (int k = 0; k < nIn; k++) w[l][i * nIn + k] += Math.Sign(ai * hPrev[k]) * _mw[l][i * nIn + k];
            }
        }
        var z1 = _net.NewLayers(); var h1 = _net.NewLayers();
        _net.Forward(x, z1, h1, w, b);
        return h1[L - 1][j] - h[L - 1][j];
    }
}
