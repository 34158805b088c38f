namespace Verify.Search;

/// <summary>
/// One thread's mutable state for the deviation attack: the current point (x, δ), forward values of the nominal and
/// the perturbed network, and gradients of s·(f_j(x;θ+δ) − f_j(x;θ)) with respect to x and δ. Every buffer is
/// allocated once, so an ascent step allocates nothing.
/// </summary>
internal sealed class AttackWorkspace
{
    private readonly DeviationProblem _p;
    private readonly int _first;             // first layer that moves; below it both networks coincide
    public double[] X { get; }
    public double[][] DW { get; }
    public double[][] DB { get; }
    private readonly double[][] _wp, _bp;    // θ + δ (aliases θ for layers that do not move)
    private readonly double[][] _z0, _h0, _z1, _h1;
    private readonly double[][] _a0, _a1;    // gradients w.r.t. layer outputs, nominal / perturbed
    public double[] GX { get; }
    public double[][] GW { get; }
    public double[][] GB { get; }
    private readonly double[] _gx0;
    private double[] _lo = [], _hi = [];
    private readonly AttackState _polishBackup;

    public AttackWorkspace(DeviationProblem p)
    {
        _p = p;
        int L = p.Depth;
        _first = L;
        for (int l = 0; l < L; l++) if (p.Moves[l]) { _first = l; break; }
        X = new double[p.InputSize];
        GX = new double[p.InputSize];
        _gx0 = new double[p.InputSize];
        DW = new double[L][]; DB = new double[L][]; GW = new double[L][]; GB = new double[L][];
        _wp = new double[L][]; _bp = new double[L][];
        _z0 = new double[L][]; _h0 = new double[L][]; _z1 = new double[L][]; _h1 = new double[L][];
        _a0 = new double[L][]; _a1 = new double[L][];
        for (int l = 0; l < L; l++)
        {
            int n = p.Outputs[l], m = p.W[l].Length;
            bool mv = p.Moves[l];
            DW[l] = new double[mv ? m : 0]; DB[l] = new double[mv ? n : 0];
            GW[l] = new double[mv ? m : 0]; GB[l] = new double[mv ? n : 0];
            _wp[l] = mv ? (double[])p.W[l].Clone() : p.W[l];
            _bp[l] = mv ? (double[])p.B[l].Clone() : p.B[l];
            _z0[l] = new double[n]; _h0[l] = new double[n];
            _z1[l] = l < _first ? _z0[l] : new double[n];
            _h1[l] = l < _first ? _h0[l] : new double[n];
            _a0[l] = new double[n]; _a1[l] = new double[n];
        }
        _polishBackup = new AttackState(p);
    }

    public void SetInputBox(double[] lo, double[] hi) { _lo = lo; _hi = hi; }

    /// <summary>θ+δ of one layer as the attack evaluates it (fl(θ + δ)).</summary>
    public double[] PerturbedWeights(int l) => _wp[l];
    public double[] PerturbedBias(int l) => _bp[l];

    public void UpdateParameters()
    {
        for (int l = _first; l < _p.Depth; l++)
        {
            if (!_p.Moves[l]) continue;
            var w = _p.W[l]; var dw = DW[l]; var wp = _wp[l];
            for (int k = 0; k < w.Length; k++) wp[k] = w[k] + dw[k];
            var b = _p.B[l]; var db = DB[l]; var bp = _bp[l];
            for (int k = 0; k < b.Length; k++) bp[k] = b[k] + db[k];
        }
    }

    /// <summary>s·(f_j(x;θ+δ) − f_j(x;θ)) at the current point.</summary>
    public double Evaluate(int j, int s)
    {
        Forward();
        int L = _p.Depth - 1;
        return s * (_h1[L][j] - _h0[L][j]);
    }

    private void Forward()
    {
        ReadOnlySpan<double> h = X;
        for (int l = 0; l < _p.Depth; l++)
        {
            Layer(_p.W[l], _p.B[l], _p.Inputs[l], h, _z0[l], _h0[l], _p.Ops[l]);
            h = _h0[l];
        }
        if (_first >= _p.Depth) return;
        h = _first == 0 ? X : _h0[_first - 1];
        for (int l = _first; l < _p.Depth; l++)
        {
            Layer(_wp[l], _bp[l], _p.Inputs[l], h, _z1[l], _h1[l], _p.Ops[l]);
            h = _h1[l];
        }
    }

    private static void Layer(double[] w, double[] b, int inputs, ReadOnlySpan<double> h, double[] z, double[] a, Model.IActivationOperator act)
    {
        Model.AffineKernels.Forward(w, b, inputs, h, z);
        for (int i = 0; i < z.Length; i++) a[i] = act.Apply(z[i]);
    }

    /// <summary>Evaluates and fills the gradients w.r.t. δ (and x when <paramref name="wantX"/>); returns the value.</summary>
    public double EvaluateWithGradient(int j, int s, bool wantX)
    {
        double v = Evaluate(j, s);
        int L = _p.Depth;
        if (_first >= L) { if (wantX) Array.Clear(GX); return v; }
        // Perturbed network: from the output down to the first moving layer (further only for x).
        var top1 = _a1[L - 1]; Array.Clear(top1); top1[j] = s;
        int stop1 = wantX && _first == 0 ? 0 : _first;
        for (int l = L - 1; l >= stop1; l--)
        {
            var g = _a1[l]; var z = _z1[l]; var act = _p.Ops[l];
            act.Backward(z, g);
            if (_p.Moves[l])
            {
                var hPrev = l == 0 ? X : _h1[l - 1];
                var gw = GW[l]; int n = _p.Inputs[l];
                for (int i = 0; i < g.Length; i++)
                {
                    double gi = g[i];
                    GB[l][i] = gi;
                    var row = new Span<double>(gw, i * n, n);
                    if (gi == 0) { row.Clear(); continue; }
                    for (int k = 0; k < n; k++) row[k] = gi * hPrev[k];
                }
            }
            if (l > 0 && (l > _first || wantX)) Back(_wp[l], _p.Inputs[l], g, _a1[l - 1]);
            else if (l == 0 && wantX) Back(_wp[0], _p.Inputs[0], g, GX);
        }
        if (!wantX) return v;
        // Nominal network down to the same layer; below it the two networks share their Jacobian.
        var top0 = _a0[L - 1]; Array.Clear(top0); top0[j] = s;
        for (int l = L - 1; l >= _first; l--)
        {
            var g = _a0[l]; var z = _z0[l]; var act = _p.Ops[l];
            act.Backward(z, g);
            if (l > 0) Back(_p.W[l], _p.Inputs[l], g, _a0[l - 1]);
            else Back(_p.W[0], _p.Inputs[0], g, _gx0);
        }
        if (_first == 0)
        {
            for (int k = 0; k < GX.Length; k++) GX[k] -= _gx0[k];
            return v;
        }
        var d = _a1[_first - 1]; var d0 = _a0[_first - 1];
        for (int k = 0; k < d.Length; k++) d[k] -= d0[k];
        for (int l = _first - 1; l >= 0; l--)
        {
            var g = _a1[l]; var z = _z0[l]; var act = _p.Ops[l];
            act.Backward(z, g);
            Back(_p.W[l], _p.Inputs[l], g, l > 0 ? _a1[l - 1] : GX);
        }
        return v;
    }

    private static void Back(double[] w, int inputs, double[] g, double[] into) => Model.AffineKernels.Transpose(w, inputs, g, into);

    /// <summary>Sign step on x, a fraction <paramref name="alpha"/> of each side of the input box, clipped to it.</summary>
    public void StepX(double alpha)
    {
        for (int i = 0; i < X.Length; i++)
        {
            double g = GX[i];
            if (g == 0) continue;
            double w = _hi[i] - _lo[i];
            double x = X[i] + (g > 0 ? alpha * w : -alpha * w);
            X[i] = x < _lo[i] ? _lo[i] : x > _hi[i] ? _hi[i] : x;
        }
    }

    /// <summary>Sign step on δ (a fraction of each box side), or a normalised gradient step projected onto the ball.</summary>
    public void StepDelta(double alpha)
    {
        for (int l = _first; l < _p.Depth; l++)
        {
            if (!_p.Moves[l]) continue;
            if (l == _p.BallLayer) { BallStep(l, alpha); continue; }
            SignStep(DW[l], GW[l], _p.WLo[l], _p.WHi[l], alpha);
            SignStep(DB[l], GB[l], _p.BLo[l], _p.BHi[l], alpha);
        }
        UpdateParameters();
    }

    private static void SignStep(double[] d, double[] g, double[] lo, double[] hi, double alpha)
    {
        for (int k = 0; k < d.Length; k++)
        {
            double gk = g[k];
            if (gk == 0) continue;
            double w = hi[k] - lo[k];
            double v = d[k] + (gk > 0 ? alpha * w : -alpha * w);
            d[k] = v < lo[k] ? lo[k] : v > hi[k] ? hi[k] : v;
        }
    }

    private void BallStep(int l, double alpha)
    {
        var d = DW[l]; var g = GW[l]; double r = _p.BallRadius;
        double gn = Norm(g);
        if (gn == 0) return;
        double step = alpha * r / gn;
        for (int k = 0; k < d.Length; k++) d[k] += step * g[k];
        double dn = Norm(d);
        if (dn > r) { double f = r / dn; for (int k = 0; k < d.Length; k++) d[k] *= f; }
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        for (int k = 0; k < v.Length; k++) s += v[k] * v[k];
        return Math.Sqrt(s);
    }

    /// <summary>
    /// Vertex polish: for a fixed activation pattern Δf is linear in each layer's δ, so the best δ for the current
    /// gradient is the box vertex it points to (or r·g/‖g‖ on the ball). Repeats while the value improves.
    /// </summary>
    public double PolishDelta(int j, int s)
    {
        double v = EvaluateWithGradient(j, s, false);
        for (int it = 0; it < 12; it++)
        {
            _polishBackup.SaveDelta(this);
            if (!MoveToVertex()) break;
            UpdateParameters();
            double v2 = EvaluateWithGradient(j, s, false);
            if (!(v2 > v))
            {
                _polishBackup.RestoreDelta(this);
                UpdateParameters();
                break;
            }
            v = v2;
        }
        return Evaluate(j, s);
    }

    /// <summary>
    /// δ ← the first-order worst case at the current x: the vertex of the δ box that the last gradient w.r.t. δ points
    /// to (r·g/‖g‖ on the ball). For a fixed activation pattern Δf is linear in each layer's δ, so this is the
    /// maximiser of the objective's linearisation; its sign is the objective's sign s, so both signs of Δf_j get their
    /// own vertex. Uses the gradient of the last <see cref="EvaluateWithGradient"/>.
    /// </summary>
    public void AlignDelta()
    {
        if (MoveToVertex()) UpdateParameters();
    }

    private bool MoveToVertex()
    {
        bool changed = false;
        for (int l = _first; l < _p.Depth; l++)
        {
            if (!_p.Moves[l]) continue;
            if (l == _p.BallLayer)
            {
                var g = GW[l]; double gn = Norm(g);
                if (gn == 0) continue;
                double f = _p.BallRadius / gn;
                var d = DW[l];
                for (int k = 0; k < d.Length; k++) { double v = f * g[k]; if (v != d[k]) { d[k] = v; changed = true; } }
                continue;
            }
            changed |= Vertex(DW[l], GW[l], _p.WLo[l], _p.WHi[l]);
            changed |= Vertex(DB[l], GB[l], _p.BLo[l], _p.BHi[l]);
        }
        return changed;
    }

    private static bool Vertex(double[] d, double[] g, double[] lo, double[] hi)
    {
        bool changed = false;
        for (int k = 0; k < d.Length; k++)
        {
            double v = g[k] > 0 ? hi[k] : g[k] < 0 ? lo[k] : d[k];
            if (v != d[k]) { d[k] = v; changed = true; }
        }
        return changed;
    }

    /// <summary>A random admissible δ: a random vertex of the box, or a random point on the ball's sphere.</summary>
    public void RandomDelta(Random rng)
    {
        for (int l = _first; l < _p.Depth; l++)
        {
            if (!_p.Moves[l]) continue;
            if (l == _p.BallLayer)
            {
                var d = DW[l];
                for (int k = 0; k < d.Length; k++) d[k] = Gaussian(rng);
                double n = Norm(d);
                double f = n > 0 ? _p.BallRadius / n : 0;
                for (int k = 0; k < d.Length; k++) d[k] *= f;
                continue;
            }
            RandomVertex(DW[l], _p.WLo[l], _p.WHi[l], rng);
            RandomVertex(DB[l], _p.BLo[l], _p.BHi[l], rng);
        }
        UpdateParameters();
    }

    /// <summary>s·Δf_j at the current x with δ at the first-order worst vertex for x (from δ = 0, which it restores).</summary>
    public double AlignedDeviation(int j, int s)
    {
        EvaluateWithGradient(j, s, false);
        AlignDelta();
        double v = Evaluate(j, s);
        ZeroDelta();
        return v;
    }

    public void ZeroDelta()
    {
        for (int l = 0; l < _p.Depth; l++) { Array.Clear(DW[l]); Array.Clear(DB[l]); }
        UpdateParameters();
    }

    private static void RandomVertex(double[] d, double[] lo, double[] hi, Random rng)
    {
        for (int k = 0; k < d.Length; k++) d[k] = rng.Next(2) == 0 ? lo[k] : hi[k];
    }

    private static double Gaussian(Random rng)
    {
        double u = 1.0 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
