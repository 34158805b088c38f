using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// The mean-value form of the deviation (docs/meanvalue.md): along the segment θ + tδ, t ∈ [0, 1], the network is
/// Lipschitz, so Δf_j = ∫₀¹ Σ_p ∂f_j/∂θ_p(x; θ + tδ)·δ_p dt with every ReLU slope, where the pre-activation is 0, any
/// value in [N, P]. Hence |Δf_j| ≤ Σ_k Σ_i mag(g_{k,i})·(Σ_l rad(δW_k[i,l])·mag(h′_{k−1,l}) + rad(δb_k[i])), where
/// g_k = ∂f_j/∂z_k of the perturbed network and h′_{k−1} its input, both enclosed over the input box and θ + Δ.
/// h′ comes from the given enclosures; g from an interval backward pass through W + [δW] with slope intervals read off
/// the enclosures of z′, tightened by linear bounds through the backward network (<see cref="MeanValueGradient"/>). Every operation rounds outward (upward for the final sums). Stateless.
/// </summary>
internal static class MeanValueForm
{
    /// <summary>U_j for every output from the enclosures <paramref name="enc"/> of the joint network (index 0 = input,
    /// k + 1 = layer k), which must hold over the box and the whole parameter box.</summary>
    /// <param name="symbolic">Tighten g by linear bounds through the backward network (<see cref="MeanValueGradient"/>)
    /// instead of plain interval arithmetic alone.</param>
    public static double[] Upper(Network net, ParameterBox delta, LayerBounds[] enc, bool symbolic, CancellationToken ct)
    {
        int depth = net.Depth;
        var weight = new double[depth][];
        var bias = new double[depth][];
        var ballNorm = new double[depth];
        for (int k = 0; k < depth; k++)
        {
            ct.ThrowIfCancellationRequested();
            (weight[k], bias[k]) = RowWeights(net.Layers[k], delta.Layers[k], enc[k]);
            ballNorm[k] = delta.BallRadiusAt(k) is { } r
                ? Rounding.MulUp(r, EuclideanNorm.MaxOverBox(enc[k].HPLo, enc[k].HPHi))
                : double.PositiveInfinity;
        }
        var slopes = new SlopeIntervals[depth];
        for (int k = 0; k < depth; k++) slopes[k] = SlopeIntervals.Of(net.Layers[k].Activation, enc[k + 1]);

        int m = net.OutputSize;
        var upper = new double[m];
        var gLo = new double[depth][]; var gHi = new double[depth][];
        for (int k = 0; k < depth; k++) { gLo[k] = new double[net.Layers[k].Outputs]; gHi[k] = new double[net.Layers[k].Outputs]; }
        var nLo = new double[MaxWidth(net)]; var nHi = new double[nLo.Length];
        var mag = new double[nLo.Length];
        var gradient = symbolic ? new MeanValueGradient(net, delta, slopes) : null;
        for (int j = 0; j < m; j++)
        {
            IntervalBackward(net, delta, slopes, j, gLo, gHi, nLo, nHi, ct);
            var (lo, hi) = gradient is null ? (gLo, gHi) : gradient.Enclose(j, gLo, gHi, ct);
            double u = 0;
            for (int k = depth - 1; k >= 0; k--)
                u = Rounding.AddUp(u, LayerTerm(lo[k], hi[k], net.Layers[k].Outputs, weight[k], bias[k], ballNorm[k], mag));
            upper[j] = u;
        }
        return upper;
    }

    /// <summary>The enclosures of g_k = ∂f_j/∂z_k (k = 0 … depth − 1) that <see cref="Upper"/> uses, as intervals.</summary>
    public static Interval[][] Gradient(Network net, ParameterBox delta, LayerBounds[] enc, int j, bool symbolic, CancellationToken ct)
    {
        int depth = net.Depth;
        var slopes = new SlopeIntervals[depth];
        for (int k = 0; k < depth; k++) slopes[k] = SlopeIntervals.Of(net.Layers[k].Activation, enc[k + 1]);
        var gLo = new double[depth][]; var gHi = new double[depth][];
        for (int k = 0; k < depth; k++) { gLo[k] = new double[net.Layers[k].Outputs]; gHi[k] = new double[net.Layers[k].Outputs]; }
        var nLo = new double[MaxWidth(net)]; var nHi = new double[nLo.Length];
        IntervalBackward(net, delta, slopes, j, gLo, gHi, nLo, nHi, ct);
        var (lo, hi) = symbolic ? new MeanValueGradient(net, delta, slopes).Enclose(j, gLo, gHi, ct) : (gLo, gHi);
        return Enumerable.Range(0, depth).Select(k => Enumerable.Range(0, lo[k].Length).Select(i => new Interval(lo[k][i], hi[k][i])).ToArray()).ToArray();
    }

    /// <summary>Multiply-adds of the symbolic backward pass (<see cref="MeanValueGradient"/>): per output, two
    /// back-substitutions per hidden neuron, each through every later layer.</summary>
    public static double SymbolicWork(Network net)
    {
        double work = 0, after = 0;
        for (int k = net.Depth - 1; k > 0; k--)
        {
            after += net.Layers[k].Weights.Length;
            work += 2.0 * net.Layers[k - 1].Outputs * after;
        }
        return work * net.OutputSize;
    }

    /// <summary>Enclosures of g_k (every layer) for output j by plain interval arithmetic through W + [δW].</summary>
    private static void IntervalBackward(Network net, ParameterBox delta, SlopeIntervals[] slopes, int j,
        double[][] gLo, double[][] gHi, double[] nLo, double[] nHi, CancellationToken ct)
    {
        int last = net.Depth - 1;
        Array.Clear(gLo[last]); Array.Clear(gHi[last]);
        gLo[last][j] = slopes[last].Lo[j]; gHi[last][j] = slopes[last].Hi[j];
        for (int k = last; k > 0; k--)
        {
            ct.ThrowIfCancellationRequested();
            var L = net.Layers[k];
            Backward(L, delta.Layers[k], gLo[k], gHi[k], nLo, nHi);
            var s = slopes[k - 1];
            for (int l = 0; l < L.Inputs; l++)
            {
                gLo[k - 1][l] = Rounding.ProductDown(nLo[l], nHi[l], s.Lo[l], s.Hi[l]);
                gHi[k - 1][l] = Rounding.ProductUp(nLo[l], nHi[l], s.Lo[l], s.Hi[l]);
            }
        }
    }

    /// <summary>
    /// Layer k's part Σ_i mag(g_i)·(w_i + b_i), with w_i = Σ_l rad(δW[i,l]) mag(h′_l) and b_i = rad(δb_i). For a norm
    /// ball on the layer the weight part is also at most r·‖mag g‖₂·max‖h′‖₂ (sup of gᵀδW h′ over the ball, Frobenius or
    /// spectral), and the smaller of the two is taken (both hold; the box encloses the ball).
    /// </summary>
    private static double LayerTerm(double[] gLo, double[] gHi, int n, double[] weight, double[] bias, double ballNorm, double[] mag)
    {
        double w = 0, b = 0;
        for (int i = 0; i < n; i++)
        {
            double g = mag[i] = LayerBounds.Mag(gLo[i], gHi[i]);
            if (g == 0) continue;
            w = Rounding.AddUp(w, Rounding.MulUp(g, weight[i]));
            b = Rounding.AddUp(b, Rounding.MulUp(g, bias[i]));
        }
        if (double.IsFinite(ballNorm)) w = Math.Min(w, Rounding.MulUp(ballNorm, EuclideanNorm.Upper(mag.AsSpan(0, n))));
        return Rounding.AddUp(w, b);
    }

    /// <summary>Per row i of layer k: Σ_l rad(δW[i,l])·mag(h′_l) and rad(δb_i), rounded upward; output-independent.</summary>
    private static (double[] Weight, double[] Bias) RowWeights(DenseLayer L, ParameterBox.LayerBox d, LayerBounds prev)
    {
        int nIn = L.Inputs;
        var magH = new double[nIn];
        for (int l = 0; l < nIn; l++) magH[l] = LayerBounds.Mag(prev.HPLo[l], prev.HPHi[l]);
        var w = new double[L.Outputs]; var b = new double[L.Outputs];
        for (int i = 0; i < L.Outputs; i++)
        {
            double s = 0;
            for (int l = 0; l < nIn; l++)
            {
                int q = i * nIn + l;
                double r = Math.Max(-d.WeightLo[q], d.WeightHi[q]);
                if (r > 0 && magH[l] > 0) s = Rounding.AddUp(s, Rounding.MulUp(r, magH[l]));
            }
            w[i] = s;
            b[i] = Math.Max(-d.BiasLo[i], d.BiasHi[i]);
        }
        return (w, b);
    }

    /// <summary>n = (W + [δW])ᵀ g over intervals, with outward rounding (the enclosure of W + δW rounded outward too).</summary>
    private static void Backward(DenseLayer L, ParameterBox.LayerBox d, double[] gLo, double[] gHi, double[] nLo, double[] nHi)
    {
        int nIn = L.Inputs;
        Array.Clear(nLo, 0, nIn); Array.Clear(nHi, 0, nIn);
        var w = L.Weights;
        for (int i = 0; i < L.Outputs; i++)
        {
            double gl = gLo[i], gh = gHi[i];
            if (gl == 0 && gh == 0) continue;
            int row = i * nIn;
            for (int l = 0; l < nIn; l++)
            {
                double wl = Rounding.AddDown(w[row + l], d.WeightLo[row + l]), wh = Rounding.AddUp(w[row + l], d.WeightHi[row + l]);
                nLo[l] = Rounding.AddDown(nLo[l], Rounding.ProductDown(wl, wh, gl, gh));
                nHi[l] = Rounding.AddUp(nHi[l], Rounding.ProductUp(wl, wh, gl, gh));
            }
        }
    }

    private static int MaxWidth(Network net)
    {
        int w = net.InputSize;
        foreach (var L in net.Layers) w = Math.Max(w, L.Outputs);
        return w;
    }
}
