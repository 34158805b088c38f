using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// The pre-activation step of <see cref="IntervalStep"/> (z = W h + b, Δz = W Δh + δW h′ + δb, z′ = (W + δW) h′ + b + δb)
/// computed in round-to-nearest SIMD sums with an a-priori error bound, instead of one directed rounding per product
/// (which made the interval step about a fifth of an ACAS Xu equivalence run). Applies when every h′ ≥ 0 (after a
/// ReLU) and every enclosure is finite; <see cref="TryApply"/> says false otherwise and the caller keeps the directed
/// per-product loop.
/// </summary>
/// <remarks>
/// <para><b>Why the result encloses the exact sets.</b> For a point matrix W and h ∈ [m − r, m + r] (the midpoint m in
/// floating point, the radius r rounded up so that the interval covers [hl, hh]), W h lies in W m ± |W| r exactly. The
/// computed c̃ = fl(W m) is within γ_n |W||m| + nη of W m (<see cref="DotErrorBound"/>'s model, any summation order),
/// so with v = r + g|m| (g = <see cref="DotErrorBound.Gamma"/>(n) ≥ 2γ_{n+2}, rounded up) the exact Σ|W|v bounds the
/// radius plus the error of c̃, and <see cref="PointMatrixProduct.Radius"/> of the computed fl(Σ|W|v) bounds that (the
/// same form as <see cref="PointMatrixProduct"/>, whose midpoints and spreads it shares). This is the midpoint–radius form
/// (Rump), exact for a point matrix: W m ± |W| r is the range of W h over the box, not an overestimate.</para>
/// <para>For the interval matrices A = δW (and W + δW, its corners rounded outward once per layer and cached) and
/// h′ ≥ 0, the largest term a·p over a ∈ [al, ah], p ∈ [pl, ph] is max(ah·ph, ah·pl) and the smallest
/// min(al·ph, al·pl): the exact corner the directed loop also picks. Its rounded value is the rounded exact maximum
/// (rounding is monotone), so the computed sum of the chosen terms is within g·fl(Σ|terms|) + Underflow of the exact
/// one, which is what the final directed corrections add.</para>
/// <para>The results are never narrower than the directed loop's by more than that correction (about n·u relative);
/// they are enclosures either way, and every later step only needs enclosures.</para>
/// </remarks>
internal static class MidRadiusPreActivation
{
    /// <summary>Outward-rounded corners W + δW of a layer box, once per (layer, box).</summary>
    private sealed record PerturbedCorners(DenseLayer Layer, double[] Lo, double[] Hi, bool[] RowUnperturbed);

    private static readonly ConditionalWeakTable<ParameterBox.LayerBox, PerturbedCorners> Corners = new();

    /// <summary>Writes z, Δz and z′ of every output of <paramref name="layer"/> into <paramref name="cur"/> and returns
    /// true, or returns false when the fast form does not apply (rows already written are then the caller's to
    /// overwrite).</summary>
    public static bool TryApply(DenseLayer layer, ParameterBox.LayerBox delta, LayerBounds prev, LayerBounds cur)
    {
        int n = layer.Inputs;
        if (n < Vector<double>.Count || !Vector.IsHardwareAccelerated) return false;
        for (int j = 0; j < n; j++)
        {
            if (!(prev.HPLo[j] >= 0) || !double.IsFinite(prev.HPHi[j])) return false;
            if (!double.IsFinite(prev.HLo[j]) || !double.IsFinite(prev.HHi[j])) return false;
            if (!double.IsFinite(prev.DHLo[j]) || !double.IsFinite(prev.DHHi[j])) return false;
        }
        var buffer = new double[4 * n];
        Span<double> mh = buffer.AsSpan(0, n), vh = buffer.AsSpan(n, n), mq = buffer.AsSpan(2 * n, n), vq = buffer.AsSpan(3 * n, n);
        for (int j = 0; j < n; j++)
        {
            (mh[j], vh[j]) = PointMatrixProduct.MidSpread(prev.HLo[j], prev.HHi[j], n);
            (mq[j], vq[j]) = PointMatrixProduct.MidSpread(prev.DHLo[j], prev.DHHi[j], n);
        }
        var corners = CornersOf(layer, delta);
        // Exactly zero parts stay exactly zero (no error term): ε = 0, or an unperturbed layer, must give Δz = 0.
        bool noDeltaH = true;
        for (int j = 0; j < n && noDeltaH; j++) noDeltaH = prev.DHLo[j] == 0 && prev.DHHi[j] == 0;
        var w = layer.Weights;
        for (int i = 0; i < layer.Outputs; i++)
        {
            var row = new Row(w.Slice(i * n, n), delta.WeightLo.AsSpan(i * n, n), delta.WeightHi.AsSpan(i * n, n),
                              corners.Lo.AsSpan(i * n, n), corners.Hi.AsSpan(i * n, n));
            var s = Sums(row, mh, vh, mq, vq, prev.HPLo, prev.HPHi);
            double b = layer.B(i), bl = delta.BiasLo[i], bh = delta.BiasHi[i];
            double ez = PointMatrixProduct.Radius(s.Ez, n);
            double cq = noDeltaH ? 0 : s.Cq, eq = noDeltaH ? 0 : PointMatrixProduct.Radius(s.Eq, n);
            bool still = corners.RowUnperturbed[i];
            double su = still ? 0 : DotErrorBound.Upper(s.Su, s.Au, n), sl = still ? 0 : DotErrorBound.Lower(s.Sl, s.Al, n);
            double zl = Rounding.AddDown(Rounding.SubDown(s.Cz, ez), b), zh = Rounding.AddUp(Rounding.AddUp(s.Cz, ez), b);
            double dl = Rounding.AddDown(Rounding.AddDown(Rounding.SubDown(cq, eq), sl), bl);
            double dh = Rounding.AddUp(Rounding.AddUp(Rounding.AddUp(cq, eq), su), bh);
            double pl = Rounding.AddDown(DotErrorBound.Lower(s.Pl, s.Apl, n), Rounding.AddDown(b, bl));
            double ph = Rounding.AddUp(DotErrorBound.Upper(s.Pu, s.Apu, n), Rounding.AddUp(b, bh));
            if (!double.IsFinite(zl) || !double.IsFinite(zh) || !double.IsFinite(dl) || !double.IsFinite(dh)
                || !double.IsFinite(pl) || !double.IsFinite(ph))
                return false; // an overflow somewhere: the directed loop handles the infinities
            cur.ZLo[i] = zl; cur.ZHi[i] = zh;
            cur.DLo[i] = dl; cur.DHi[i] = dh;
            cur.PLo[i] = Math.Max(pl, Rounding.AddDown(zl, dl)); cur.PHi[i] = Math.Min(ph, Rounding.AddUp(zh, dh));
        }
        return true;
    }

    private static PerturbedCorners CornersOf(DenseLayer layer, ParameterBox.LayerBox delta)
    {
        if (Corners.TryGetValue(delta, out var c) && ReferenceEquals(c.Layer, layer)) return c;
        var w = layer.Weights;
        var lo = new double[w.Length]; var hi = new double[w.Length];
        var still = new bool[layer.Outputs];
        Array.Fill(still, true);
        for (int k = 0; k < w.Length; k++)
        {
            lo[k] = Rounding.AddDown(w[k], delta.WeightLo[k]);
            hi[k] = Rounding.AddUp(w[k], delta.WeightHi[k]);
            if (delta.WeightLo[k] != 0 || delta.WeightHi[k] != 0) still[k / layer.Inputs] = false;
        }
        c = new PerturbedCorners(layer, lo, hi, still);
        Corners.AddOrUpdate(delta, c);
        return c;
    }

    private readonly ref struct Row(ReadOnlySpan<double> w, ReadOnlySpan<double> al, ReadOnlySpan<double> ah,
                                    ReadOnlySpan<double> wl, ReadOnlySpan<double> wh)
    {
        public readonly ReadOnlySpan<double> W = w, Al = al, Ah = ah, Wl = wl, Wh = wh;
    }

    /// <summary>Round-to-nearest sums of one row: centres Cz = W·mh and Cq = W·mq, radii Ez = |W|·vh and Eq = |W|·vq,
    /// the chosen δW terms (Su, Sl) and W + δW terms (Pu, Pl) with the sums of their magnitudes.</summary>
    private readonly record struct RowSums(double Cz, double Ez, double Cq, double Eq, double Su, double Au, double Sl,
                                           double Al, double Pu, double Apu, double Pl, double Apl);

    private static RowSums Sums(in Row row, ReadOnlySpan<double> mh, ReadOnlySpan<double> vh, ReadOnlySpan<double> mq,
                                ReadOnlySpan<double> vq, ReadOnlySpan<double> pLo, ReadOnlySpan<double> pHi)
    {
        int n = row.W.Length, w = Vector<double>.Count, j = 0;
        var cz = Vector<double>.Zero; var ez = cz; var cq = cz; var eq = cz; var su = cz; var au = cz; var sl = cz;
        var al = cz; var pu = cz; var apu = cz; var pl = cz; var apl = cz;
        ref double rw = ref MemoryMarshal.GetReference(row.W);
        ref double ral = ref MemoryMarshal.GetReference(row.Al); ref double rah = ref MemoryMarshal.GetReference(row.Ah);
        ref double rwl = ref MemoryMarshal.GetReference(row.Wl); ref double rwh = ref MemoryMarshal.GetReference(row.Wh);
        ref double rmh = ref MemoryMarshal.GetReference(mh); ref double rvh = ref MemoryMarshal.GetReference(vh);
        ref double rmq = ref MemoryMarshal.GetReference(mq); ref double rvq = ref MemoryMarshal.GetReference(vq);
        ref double rpl = ref MemoryMarshal.GetReference(pLo); ref double rph = ref MemoryMarshal.GetReference(pHi);
        for (; j + w <= n; j += w)
        {
            nuint o = (nuint)j;
            var wv = Vector.LoadUnsafe(ref rw, o); var aw = Vector.Abs(wv);
            cz += wv * Vector.LoadUnsafe(ref rmh, o); ez += aw * Vector.LoadUnsafe(ref rvh, o);
            cq += wv * Vector.LoadUnsafe(ref rmq, o); eq += aw * Vector.LoadUnsafe(ref rvq, o);
            var lo = Vector.LoadUnsafe(ref rpl, o); var hi = Vector.LoadUnsafe(ref rph, o);
            var ah = Vector.LoadUnsafe(ref rah, o); var a0 = Vector.LoadUnsafe(ref ral, o);
            var tu = Vector.Max(ah * hi, ah * lo); su += tu; au += Vector.Abs(tu);
            var tl = Vector.Min(a0 * hi, a0 * lo); sl += tl; al += Vector.Abs(tl);
            var wh = Vector.LoadUnsafe(ref rwh, o); var wl = Vector.LoadUnsafe(ref rwl, o);
            var qu = Vector.Max(wh * hi, wh * lo); pu += qu; apu += Vector.Abs(qu);
            var ql = Vector.Min(wl * hi, wl * lo); pl += ql; apl += Vector.Abs(ql);
        }
        double Czs = Vector.Sum(cz), Ezs = Vector.Sum(ez), Cqs = Vector.Sum(cq), Eqs = Vector.Sum(eq), Sus = Vector.Sum(su),
            Aus = Vector.Sum(au), Sls = Vector.Sum(sl), Als = Vector.Sum(al), Pus = Vector.Sum(pu), Apus = Vector.Sum(apu),
            Pls = Vector.Sum(pl), Apls = Vector.Sum(apl);
        for (; j < n; j++)
        {
            double wv = row.W[j], aw = Math.Abs(wv), lo = pLo[j], hi = pHi[j];
            Czs += wv * mh[j]; Ezs += aw * vh[j]; Cqs += wv * mq[j]; Eqs += aw * vq[j];
            double tu = Math.Max(row.Ah[j] * hi, row.Ah[j] * lo), tl = Math.Min(row.Al[j] * hi, row.Al[j] * lo);
            Sus += tu; Aus += Math.Abs(tu); Sls += tl; Als += Math.Abs(tl);
            double qu = Math.Max(row.Wh[j] * hi, row.Wh[j] * lo), ql = Math.Min(row.Wl[j] * hi, row.Wl[j] * lo);
            Pus += qu; Apus += Math.Abs(qu); Pls += ql; Apls += Math.Abs(ql);
        }
        return new RowSums(Czs, Ezs, Cqs, Eqs, Sus, Aus, Sls, Als, Pus, Apus, Pls, Apls);
    }
}
