using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// One layer of interval propagation of the joint (nominal, perturbed) network:
/// z = W h + b, Δz = W Δh + δW h' + δb, z' = (W + δW) h' + b + δb (intersected with z + Δz), then the activation in
/// both copies and an enclosure of the activation difference Δh = σ(z') − σ(z). Every operation rounds outward.
/// </summary>
internal static class IntervalStep
{
    public static Kink KinkOf(Activation a) => a.Kind switch
    {
        ActivationKind.Relu => Kink.Relu,
        ActivationKind.Identity => new Kink(1, 1),
        _ => new Kink(1, a.Slope),
    };

    /// <summary>Pre-activation enclosures of layer <paramref name="layer"/> from the previous post-activations.</summary>
    public static void PreActivation(DenseLayer layer, ParameterBox.LayerBox delta, LayerBounds prev, LayerBounds cur)
    {
        int nIn = layer.Inputs;
        var w = layer.Weights;
        for (int i = 0; i < layer.Outputs; i++)
        {
            double b = layer.B(i), bl = delta.BiasLo[i], bh = delta.BiasHi[i];
            double zl = b, zh = b, dl = bl, dh = bh;
            double pl = Rounding.AddDown(b, bl), ph = Rounding.AddUp(b, bh);
            for (int j = 0; j < nIn; j++)
            {
                int k = i * nIn + j;
                double wij = w[k], al = delta.WeightLo[k], ah = delta.WeightHi[k];
                double hl = prev.HLo[j], hh = prev.HHi[j], pLo = prev.HPLo[j], pHi = prev.HPHi[j];
                zl = Rounding.AddDown(zl, wij >= 0 ? Rounding.MulDown(wij, hl) : Rounding.MulDown(wij, hh));
                zh = Rounding.AddUp(zh, wij >= 0 ? Rounding.MulUp(wij, hh) : Rounding.MulUp(wij, hl));
                double ql = prev.DHLo[j], qh = prev.DHHi[j];
                dl = Rounding.AddDown(dl, wij >= 0 ? Rounding.MulDown(wij, ql) : Rounding.MulDown(wij, qh));
                dh = Rounding.AddUp(dh, wij >= 0 ? Rounding.MulUp(wij, qh) : Rounding.MulUp(wij, ql));
                dl = Rounding.AddDown(dl, Directed.ProductLo(al, ah, pLo, pHi));
                dh = Rounding.AddUp(dh, Directed.ProductHi(al, ah, pLo, pHi));
                double wl = Rounding.AddDown(wij, al), wh = Rounding.AddUp(wij, ah);
                pl = Rounding.AddDown(pl, Directed.ProductLo(wl, wh, pLo, pHi));
                ph = Rounding.AddUp(ph, Directed.ProductHi(wl, wh, pLo, pHi));
            }
            cur.ZLo[i] = zl; cur.ZHi[i] = zh;
            cur.DLo[i] = dl; cur.DHi[i] = dh;
            cur.PLo[i] = Math.Max(pl, Rounding.AddDown(zl, dl)); cur.PHi[i] = Math.Min(ph, Rounding.AddUp(zh, dh));
        }
    }

    /// <summary>
    /// Post-activation enclosures from the pre-activation ones. Δh = σ(z') − σ(z) for σ(t) = P t (t ≥ 0), N t (t ≤ 0)
    /// with P, N ≥ 0 is enclosed by the intersection of: the mean-value form Δh = s·Δz with s between N and P; the
    /// difference of ranges σ([z']) − σ([z]); the exact forms when a copy is stable (for ReLU: z ≥ 0 gives
    /// max(Δz, −z), z' ≥ 0 gives Δz + min(z, 0), z ≤ 0 gives relu(z'), z' ≤ 0 gives −relu(z)).
    /// </summary>
    public static void PostActivation(Activation act, LayerBounds cur)
    {
        var g = KinkOf(act);
        double m = Math.Min(g.P, g.N), M = Math.Max(g.P, g.N);
        var slopes = new Kink(M, m); // upper envelope of s·Δz for s ∈ [m, M]
        var slopesLow = new Kink(m, M);
        bool relu = act.Kind == ActivationKind.Relu;
        for (int i = 0; i < cur.Count; i++)
        {
            double l = cur.ZLo[i], u = cur.ZHi[i], dl = cur.DLo[i], du = cur.DHi[i], lp = cur.PLo[i], up = cur.PHi[i];
            var h = g.Range(l, u);
            var hp = g.Range(lp, up);
            cur.HLo[i] = h.Lo; cur.HHi[i] = h.Hi;
            Interval dh;
            if (act.Kind == ActivationKind.Identity || (l >= 0 && lp >= 0)) dh = new Interval(dl, du);
            else if (u <= 0 && up <= 0) dh = g.N == 0 ? Interval.Zero : new Interval(Rounding.MulDown(dl, g.N), Rounding.MulUp(du, g.N));
            else
            {
                dh = new Interval(slopesLow.Range(dl, du).Lo, slopes.Range(dl, du).Hi);
                dh = Meet(dh, hp - h);
                if (relu)
                {
                    if (l >= 0) dh = Meet(dh, new Interval(Math.Max(dl, -u), Math.Max(du, -l)));
                    if (lp >= 0) dh = Meet(dh, new Interval(dl, du) + new Interval(Math.Min(l, 0), Math.Min(u, 0)));
                    if (u <= 0) dh = Meet(dh, hp);
                    if (up <= 0) dh = Meet(dh, -h);
                }
            }
            cur.DHLo[i] = dh.Lo; cur.DHHi[i] = dh.Hi;
            // h' is enclosed by σ([z']) and by h + Δh.
            var hp2 = Meet(hp, h + dh);
            cur.HPLo[i] = hp2.Lo; cur.HPHi[i] = hp2.Hi;
        }
    }

    /// <summary>Intersection of two enclosures of the same quantity (both sound, so the intersection is non-empty in
    /// exact arithmetic; if rounding makes it empty the hull of the crossing endpoints is returned).</summary>
    public static Interval Meet(Interval a, Interval b)
    {
        double lo = Math.Max(a.Lo, b.Lo), hi = Math.Min(a.Hi, b.Hi);
        return lo <= hi ? new Interval(lo, hi) : new Interval(hi, lo);
    }

    /// <summary>Full interval propagation; returns the bounds of every layer (index 0 = input).</summary>
    public static LayerBounds[] Propagate(Network net, Box box, ParameterBox delta, CancellationToken ct)
    {
        var all = new LayerBounds[net.Depth + 1];
        all[0] = LayerBounds.ForInput(box.Lower, box.Upper);
        for (int l = 0; l < net.Depth; l++)
        {
            ct.ThrowIfCancellationRequested();
            var cur = new LayerBounds(net.Layers[l].Outputs);
            PreActivation(net.Layers[l], delta.Layers[l], all[l], cur);
            PostActivation(net.Layers[l].Activation, cur);
            all[l + 1] = cur;
        }
        return all;
    }

    /// <summary>U_j = max |Δh_j| of the output layer, and the signed enclosure.</summary>
    public static DeviationBound ToDeviation(LayerBounds output)
    {
        int n = output.Count;
        var up = new double[n];
        for (int j = 0; j < n; j++) up[j] = LayerBounds.Mag(output.DHLo[j], output.DHHi[j]);
        return new DeviationBound(up, (double[])output.DHLo.Clone(), (double[])output.DHHi.Clone());
    }
}
