using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// One layer of interval propagation of the joint (nominal, perturbed) network:
/// z = W h + b, Δz = W Δh + δW h' + δb, z' = (W + δW) h' + b + δb (intersected with z + Δz), then the activation in
/// both copies (δW h' per entry of the box, or through the row norm for a norm ball) and an enclosure of the activation difference Δh = σ(z') − σ(z). Every operation rounds outward.
/// </summary>
internal static class IntervalStep
{
    /// <summary>Pre-activation enclosures of layer <paramref name="layer"/> from the previous post-activations.</summary>
    /// <param name="ballRadius">When the layer's δW lies in a norm ball of this radius (<see cref="ParameterBox.BallRadiusAt"/>):
    /// each row of δW has 2-norm ≤ r, so |(δW h′)_i| ≤ r·max‖h′‖₂ replaces the per-entry box products.</param>
    public static void PreActivation(DenseLayer layer, ParameterBox.LayerBox delta, LayerBounds prev, LayerBounds cur, double? ballRadius = null)
    {
        int nIn = layer.Inputs;
        var w = layer.Weights;
        bool ball = ballRadius is not null;
        if (!ball && MidRadiusPreActivation.TryApply(layer, delta, prev, cur)) return;
        double rowBall = ball ? Rounding.MulUp(ballRadius!.Value, EuclideanNorm.MaxOverBox(prev.HPLo, prev.HPHi)) : 0;
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
                if (ball)
                {
                    pl = Rounding.AddDown(pl, wij >= 0 ? Rounding.MulDown(wij, pLo) : Rounding.MulDown(wij, pHi));
                    ph = Rounding.AddUp(ph, wij >= 0 ? Rounding.MulUp(wij, pHi) : Rounding.MulUp(wij, pLo));
                    continue;
                }
                dl = Rounding.AddDown(dl, CornerProducts.Down(al, ah, pLo, pHi));
                dh = Rounding.AddUp(dh, CornerProducts.Up(al, ah, pLo, pHi));
                double wl = Rounding.AddDown(wij, al), wh = Rounding.AddUp(wij, ah);
                pl = Rounding.AddDown(pl, CornerProducts.Down(wl, wh, pLo, pHi));
                ph = Rounding.AddUp(ph, CornerProducts.Up(wl, wh, pLo, pHi));
            }
            if (ball)
            {
                dl = Rounding.SubDown(dl, rowBall); dh = Rounding.AddUp(dh, rowBall);
                pl = Rounding.SubDown(pl, rowBall); ph = Rounding.AddUp(ph, rowBall);
            }
            cur.ZLo[i] = zl; cur.ZHi[i] = zh;
            cur.DLo[i] = dl; cur.DHi[i] = dh;
            cur.PLo[i] = Math.Max(pl, Rounding.AddDown(zl, dl)); cur.PHi[i] = Math.Min(ph, Rounding.AddUp(zh, dh));
        }
    }

    /// <summary>
    /// Post-activation enclosures from the pre-activation ones: h and h' from the kink's ranges, and Δh = σ(z') − σ(z)
    /// from the activation's own rule (<see cref="IActivationOperator.DifferenceImage"/>).
    /// </summary>
    public static void PostActivation(Activation act, LayerBounds cur)
    {
        var op = act.Operator;
        var g = op.Kink;
        for (int i = 0; i < cur.Count; i++)
        {
            var e = new JointEnclosure(cur.ZLo[i], cur.ZHi[i], cur.DLo[i], cur.DHi[i], cur.PLo[i], cur.PHi[i]);
            var h = g.Range(e.ZLo, e.ZHi);
            var hp = g.Range(e.PLo, e.PHi);
            cur.HLo[i] = h.Lo; cur.HHi[i] = h.Hi;
            var dh = op.DifferenceImage(e, h, hp);
            cur.DHLo[i] = dh.Lo; cur.DHHi[i] = dh.Hi;
            // h' is enclosed by σ([z']) and by h + Δh.
            var hp2 = Interval.MeetEnclosures(hp, h + dh);
            cur.HPLo[i] = hp2.Lo; cur.HPHi[i] = hp2.Hi;
        }
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
            PreActivation(net.Layers[l], delta.Layers[l], all[l], cur, delta.BallRadiusAt(l));
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
