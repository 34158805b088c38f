namespace Verify.Bench.Mnist;

/// <summary>
/// Inner estimates of the nominal pre-activation ranges over the input box: the range seen on random points (uniform
/// and vertices) and then, per neuron and direction, projected sign-gradient ascent on x from the best sample. Every
/// value is attained, so these ranges lie INSIDE the true ones: a certified enclosure can only be wider.
/// </summary>
internal sealed class NominalRanges
{
    public readonly double[][] Lo, Hi;
    private readonly Dense _net;
    private readonly double[] _xLo, _xHi;

    public NominalRanges(Dense net, double[] xLo, double[] xHi)
    {
        _net = net; _xLo = xLo; _xHi = xHi;
        Lo = net.Out.Select(n => Enumerable.Repeat(double.PositiveInfinity, n).ToArray()).ToArray();
        Hi = net.Out.Select(n => Enumerable.Repeat(double.NegativeInfinity, n).ToArray()).ToArray();
    }

    /// <summary>Random points; returns them so that ascent can start from the best one per neuron.</summary>
    public double[][] Sample(int count, Random rng)
    {
        int d = _xLo.Length;
        var points = new double[count][];
        for (int s = 0; s < count; s++)
        {
            var x = new double[d];
            for (int i = 0; i < d; i++)
                x[i] = s == 0 ? 0.5 * (_xLo[i] + _xHi[i])
                     : s % 2 == 1 ? (rng.Next(2) == 0 ? _xLo[i] : _xHi[i])
                     : _xLo[i] + rng.NextDouble() * (_xHi[i] - _xLo[i]);
            points[s] = x;
        }
        var z = _net.NewLayers(); var h = _net.NewLayers();
        foreach (var x in points) { _net.Forward(x, z, h); Record(z); }
        return points;
    }

    private void Record(double[][] z)
    {
        lock (Lo)
            for (int l = 0; l < z.Length; l++)
                for (int i = 0; i < z[l].Length; i++)
                {
                    if (z[l][i] < Lo[l][i]) Lo[l][i] = z[l][i];
                    if (z[l][i] > Hi[l][i]) Hi[l][i] = z[l][i];
                }
    }

    /// <summary>Sign-gradient ascent of ±z_{l,i} for every hidden neuron, from the sample point best for it.</summary>
    public void Ascend(double[][] starts, int steps, int threads)
    {
        var jobs = new List<(int L, int I, int S)>();
        for (int l = 0; l < _net.Depth - 1; l++)
            for (int i = 0; i < _net.Out[l]; i++) { jobs.Add((l, i, 1)); jobs.Add((l, i, -1)); }
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => (Z: _net.NewLayers(), H: _net.NewLayers(), G: new double[_net.Out.Max() + _xLo.Length], X: new double[_xLo.Length]),
            (job, _, ws) =>
            {
                var best = starts.MaxBy(p => { _net.Forward(p, ws.Z, ws.H, upTo: job.L); return job.S * ws.Z[job.L][job.I]; })!;
                best.CopyTo(ws.X, 0);
                for (int t = 0; t < steps; t++)
                {
                    _net.Forward(ws.X, ws.Z, ws.H);
                    Record(ws.Z);
                    var gx = Gradient(job.L, job.I, ws.Z, ws.G);
                    double alpha = 0.25 * Math.Pow(0.04, (double)t / steps);
                    for (int k = 0; k < ws.X.Length; k++)
                    {
                        double g = job.S * gx[k];
                        if (g == 0) continue;
                        double v = ws.X[k] + (g > 0 ? alpha : -alpha) * (_xHi[k] - _xLo[k]);
                        ws.X[k] = Math.Clamp(v, _xLo[k], _xHi[k]);
                    }
                }
                _net.Forward(ws.X, ws.Z, ws.H);
                Record(ws.Z);
                return ws;
            }, _ => { });
    }

    /// <summary>∂z_{l,i}/∂x at the point whose pre-activations are <paramref name="z"/>.</summary>
    private double[] Gradient(int l, int i, double[][] z, double[] scratch)
    {
        var g = new double[_net.Out[l]];
        g[i] = 1;
        for (int k = l; k > 0; k--)
        {
            var below = new double[_net.In[k]];
            _net.BackAffine(k, g, below);
            for (int j = 0; j < below.Length; j++) if (z[k - 1][j] <= 0) below[j] = 0;
            g = below;
        }
        var gx = new double[_xLo.Length];
        _net.BackAffine(0, g, gx);
        return gx;
    }
}
