using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// Enclosures of g_k = ∂f_j/∂z_k of the perturbed network for one output j, by linear bound propagation through the
/// BACKWARD (gradient) network, layer by layer from the output (Shi et al., NeurIPS 2022, bound the Clarke Jacobian
/// the same way). The backward network is u_k = (W_{k+1} + δW_{k+1})ᵀ g_{k+1}, g_k = s_k ⊙ u_k with the slope
/// s_{k,i} ∈ [sl, sh] (<see cref="SlopeIntervals"/>) and g_{L−1} = s_{L−1,j}·e_j, a point up to the output slope. An
/// interval backward pass loses the signs: once g is an interval around 0, |W|ᵀ replaces Wᵀ and the width grows like
/// ‖|W|‖ per layer. Here the bounds of u_{k,i} come from a linear form carried down to g_{L−1}:
/// <list type="bullet">
/// <item>s·u with s ∈ [sl, sh] lies between min(sl·u, sh·u) and max(sl·u, sh·u), kinks at 0 (<see cref="Kink"/>(sh, sl)
/// and (sl, sh)): exact when sl = sh, else the chord over u's bounds, with rigorous intercepts;</item>
/// <item>the bilinear term Σ_{m,i} c_i δW[m,i] g_m, with δW free per entry in its box, is at most Σ_m G_m(g_m) with
/// G_m = Kink(pos_m, neg_m), pos/neg_m = Σ_i max/min(c_i lo, c_i hi) (rounded outward): linear in g_m where g_m's
/// sign is known, else its chord (as the joint linear pass bounds δW·h′). A norm-ball layer is bounded through its
/// enclosing box here.</item>
/// </list>
/// FLOATING POINT: new coefficients are floating-point dot products; their exact-arithmetic error is at most
/// γ_{n+2}·(Σ|terms|) (Higham) per coefficient, multiplied by the magnitude of the variable it multiplies and added to
/// the constant, as in <see cref="LinearDifferenceBounder"/>. Products c·a at the slope step add their rounding width
/// times mag(u). Constants are summed upward.
/// </summary>
internal sealed class MeanValueGradient
{
    private readonly Network _net;
    private readonly ParameterBox _delta;
    private readonly SlopeIntervals[] _slopes;
    private readonly double[] _c, _next;
    // Per layer k: enclosures of u_k (before the slope) and g_k; g of the last layer is set by the output chosen.
    private readonly double[][] _uLo, _uHi, _gLo, _gHi;

    public MeanValueGradient(Network net, ParameterBox delta, SlopeIntervals[] slopes)
    {
        _net = net; _delta = delta; _slopes = slopes;
        int width = net.InputSize;
        foreach (var L in net.Layers) width = Math.Max(width, L.Outputs);
        _c = new double[width]; _next = new double[width];
        int depth = net.Depth;
        _uLo = new double[depth][]; _uHi = new double[depth][]; _gLo = new double[depth][]; _gHi = new double[depth][];
        for (int k = 0; k < depth; k++)
        {
            int n = net.Layers[k].Outputs;
            _uLo[k] = new double[n]; _uHi[k] = new double[n]; _gLo[k] = new double[n]; _gHi[k] = new double[n];
        }
    }

    /// <summary>Enclosures of g_k (k = 0 … depth − 1) for output <paramref name="j"/>, each intersected with the
    /// given interval enclosures <paramref name="coarseLo"/>/<paramref name="coarseHi"/> (both sound). Returned arrays
    /// are this instance's and are overwritten by the next call.</summary>
    public (double[][] Lo, double[][] Hi) Enclose(int j, double[][] coarseLo, double[][] coarseHi, CancellationToken ct)
    {
        int last = _net.Depth - 1;
        Array.Clear(_gLo[last]); Array.Clear(_gHi[last]);
        _gLo[last][j] = _slopes[last].Lo[j]; _gHi[last][j] = _slopes[last].Hi[j];
        for (int k = last - 1; k >= 0; k--)
        {
            ct.ThrowIfCancellationRequested();
            var s = _slopes[k];
            for (int i = 0; i < _net.Layers[k].Outputs; i++)
            {
                double hi = Objective(k, i, +1, j);
                double lo = -Objective(k, i, -1, j);
                if (lo > hi) (lo, hi) = (hi, lo); // both sound, so they meet in exact arithmetic
                _uLo[k][i] = lo; _uHi[k][i] = hi;
                double gl = Rounding.ProductDown(s.Lo[i], s.Hi[i], lo, hi), gh = Rounding.ProductUp(s.Lo[i], s.Hi[i], lo, hi);
                _gLo[k][i] = Math.Max(gl, coarseLo[k][i]); _gHi[k][i] = Math.Min(gh, coarseHi[k][i]);
                if (_gLo[k][i] > _gHi[k][i]) (_gLo[k][i], _gHi[k][i]) = (coarseLo[k][i], coarseHi[k][i]);
            }
        }
        return (_gLo, _gHi);
    }

    /// <summary>An upper bound of sign·u_{k,i}, carried down the backward network to g_{L−1} = s_{L−1,j}·e_j.</summary>
    private double Objective(int k, int i, double sign, int j)
    {
        int last = _net.Depth - 1;
        var c = _c.AsSpan(0, _net.Layers[k].Outputs);
        c.Clear();
        c[i] = sign;
        double cst = 0;
        for (int m = k; ; m++)
        {
            // c is on u_m; to g_{m+1} through W_{m+1} + δW_{m+1}.
            cst = Rounding.AddUp(cst, AffineStep(m + 1));
            if (m + 1 == last) break;
            // c is on g_{m+1}; to u_{m+1} through the slopes.
            cst = Rounding.AddUp(cst, SlopeStep(m + 1));
        }
        // Σ c·g_{L−1} with g_{L−1} = s·e_j.
        double cj = _c[j];
        var so = _slopes[last];
        return Rounding.AddUp(cst, cj >= 0 ? Rounding.MulUp(cj, so.Hi[j]) : Rounding.MulUp(cj, so.Lo[j]));
    }

    /// <summary>From coefficients on u_{layer−1} (in _c) to coefficients on g_layer; returns the constant.</summary>
    private double AffineStep(int layer)
    {
        var L = _net.Layers[layer];
        var d = _delta.Layers[layer];
        int nIn = L.Inputs, nOut = L.Outputs;
        var c = _c.AsSpan(0, nIn);
        var next = _next.AsSpan(0, nOut);
        var gLo = _gLo[layer]; var gHi = _gHi[layer];
        double cst = 0, err = 0, magSum = 0;
        var w = L.Weights;
        for (int m = 0; m < nOut; m++)
        {
            double gl = gLo[m], gh = gHi[m];
            if (gl == 0 && gh == 0) { next[m] = 0; continue; }
            var row = w.Slice(m * nIn, nIn);
            var lo = d.WeightLo.AsSpan(m * nIn, nIn); var hi = d.WeightHi.AsSpan(m * nIn, nIn);
            double dot = 0, abs = 0, pos = 0, neg = 0;
            for (int i = 0; i < nIn; i++)
            {
                double ci = c[i];
                if (ci == 0) continue;
                double t = row[i] * ci;
                dot += t; abs += Math.Abs(t);
                if (ci > 0)
                {
                    pos = Rounding.AddUp(pos, Rounding.MulUp(ci, hi[i]));
                    neg = Rounding.AddDown(neg, Rounding.MulDown(ci, lo[i]));
                }
                else
                {
                    pos = Rounding.AddUp(pos, Rounding.MulUp(ci, lo[i]));
                    neg = Rounding.AddDown(neg, Rounding.MulDown(ci, hi[i]));
                }
            }
            // sup over δ of g_m·Σ_i δ_mi c_i is G(g_m) = pos·g_m (g_m ≥ 0), neg·g_m (g_m ≤ 0): chord over [gl, gh].
            var bilinear = new Kink(pos, neg);
            double slope = bilinear.ChordSlope(gl, gh);
            cst = Rounding.AddUp(cst, bilinear.UpperIntercept(slope, gl, gh));
            double coef = dot + slope;
            next[m] = coef;
            double mag = LayerBounds.Mag(gl, gh);
            err = Rounding.AddUp(err, Rounding.MulUp(Rounding.AddUp(abs, Math.Abs(slope)), mag));
            magSum = Rounding.AddUp(magSum, mag);
        }
        next.CopyTo(_c.AsSpan(0, nOut));
        double gamma = DotErrorBound.Gamma(nIn + 2);
        return Rounding.AddUp(cst, Rounding.AddUp(Rounding.MulUp(Rounding.MulUp(gamma, 2), err),
            Rounding.MulUp(DotErrorBound.Underflow, Rounding.AddUp(magSum, 1))));
    }

    /// <summary>From coefficients on g_layer (in _c) to coefficients on u_layer, g = s ⊙ u; returns the constant.</summary>
    private double SlopeStep(int layer)
    {
        var s = _slopes[layer];
        var uLo = _uLo[layer]; var uHi = _uHi[layer];
        int n = _net.Layers[layer].Outputs;
        double cst = 0;
        for (int i = 0; i < n; i++)
        {
            double ci = _c[i];
            if (ci == 0) continue;
            double sl = s.Lo[i], sh = s.Hi[i], ul = uLo[i], uh = uHi[i];
            double a, b;
            if (sl == sh) { a = sl; b = 0; }
            else if (ci > 0)
            {
                var up = new Kink(sh, sl); // max(sl·u, sh·u)
                a = up.ChordSlope(ul, uh); b = up.UpperIntercept(a, ul, uh);
            }
            else
            {
                var down = new Kink(sl, sh); // min(sl·u, sh·u)
                a = down.ChordSlope(ul, uh); b = down.LowerIntercept(a, ul, uh);
            }
            double lo = Rounding.MulDown(ci, a), hi = Rounding.MulUp(ci, a);
            _c[i] = ci * a;
            // c·(a·u + b) = fl(c·a)·u + (c·a − fl(c·a))·u + c·b, the middle term at most (hi − lo)·mag(u).
            cst = Rounding.AddUp(cst, Rounding.MulUp(ci, b));
            if (hi != lo) cst = Rounding.AddUp(cst, Rounding.MulUp(Rounding.SubUp(hi, lo), LayerBounds.Mag(ul, uh)));
        }
        return cst;
    }
}
