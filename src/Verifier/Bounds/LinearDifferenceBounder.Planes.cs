using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

public sealed partial class LinearDifferenceBounder
{
    /// <summary>Planes for one layer's activation, per neuron: h ≤ hUa z + hUt, h ≥ hLa z + hLt, and
    /// Δh ≤ Z z + D Δz + P z' + T (upper), ≥ (lower).</summary>
    private sealed class Planes(int n)
    {
        public readonly double[] HUa = new double[n], HUt = new double[n], HLa = new double[n], HLt = new double[n];
        public readonly double[] UZ = new double[n], UD = new double[n], UP = new double[n], UT = new double[n];
        public readonly double[] LZ = new double[n], LD = new double[n], LP = new double[n], LT = new double[n];
        /// <summary>Whether the upper (lower) Δh plane is the difference of the 1-D relaxations (else the Δz chord).</summary>
        public readonly bool[] UDiff = new bool[n], LDiff = new bool[n];

        public Planes Clone()
        {
            var c = new Planes(HUa.Length);
            foreach (var (from, to) in new[] { (HUa, c.HUa), (HUt, c.HUt), (HLa, c.HLa), (HLt, c.HLt), (UZ, c.UZ), (UD, c.UD),
                         (UP, c.UP), (UT, c.UT), (LZ, c.LZ), (LD, c.LD), (LP, c.LP), (LT, c.LT) })
                from.CopyTo(to, 0);
            UDiff.CopyTo(c.UDiff, 0); LDiff.CopyTo(c.LDiff, 0);
            return c;
        }
    }

    private sealed partial class JointPass
    {
        /// <summary>From (c, d) on (h_k, Δh_k) to (c, d) on (z_k, Δz_k) through layer k's planes.</summary>
        private double ActivationStep(int k)
        {
            ActivationStepRows(k, new Rows(_c, _d, _xc, 1, 0, 0), _one);
            return _one[0];
        }

        /// <summary><see cref="ActivationStep"/> for every objective of <paramref name="rows"/> (row r's step constant
        /// into <paramref name="step"/>[r]), each with exactly a single pass's operations in the same order.</summary>
        private void ActivationStepRows(int k, Rows rows, Span<double> step)
        {
            var p = _active[k]!;
            var bnd = _b[k + 1];
            int n = bnd.Count, R = rows.Count;
            var (magZ, magD) = Magnitudes(k, bnd);
            var err = _rowErr.AsSpan(0, R); var errPossible = _rowErrPossible.AsSpan(0, R);
            step = step[..R];
            step.Clear(); err.Clear(); errPossible.Clear();
            // The intercept terms a·t are summed in round-to-nearest with their magnitudes beside (into icpt) and
            // corrected outward once per row below (DotErrorBound's model, 2n products), not one directed product and
            // sum each.
            var icpt = _rowBiasAbs.AsSpan(0, R); icpt.Clear();
            var icptInexact = _rowBiasInexact.AsSpan(0, R); icptInexact.Clear(); // as in AffineStepRows: a product of non-zero factors
            var C = rows.C; var D = rows.D;
            for (int j = 0; j < n; j++)
            {
                double hUa = p.HUa[j], hLa = p.HLa[j], hUt = p.HUt[j], hLt = p.HLt[j];
                double mz = magZ[j], md = magD[j];
                for (int r = 0, o = rows.Offset + j; r < R; r++, o += rows.Stride)
                {
                    double a = C[o], b = D[o];
                    if (a == 0 && b == 0) { C[o] = 0; D[o] = 0; continue; }
                    double ha = a >= 0 ? hUa : hLa;
                    // A zero intercept (stable neurons) adds exactly 0: skipping its directed product and sum changes no bit.
                    double ht = a > 0 ? hUt : hLt;
                    if (a != 0 && ht != 0) { double t = a * ht; step[r] += t; icpt[r] += Math.Abs(t); icptInexact[r] = true; }
                    double cz = a * ha, cdz = 0;
                    double ez = Math.Abs(cz), ed = 0;
                    // A rounding error needs a product of two non-zero factors (the factors are tested, not the
                    // products, which may have underflowed to 0) multiplying a variable that is not identically 0.
                    bool zInexact = a != 0 && ha != 0, dInexact = false;
                    if (b != 0)
                    {
                        double pz, pd, pp, pt;
                        if (b > 0) { pz = p.UZ[j]; pd = p.UD[j]; pp = p.UP[j]; pt = p.UT[j]; }
                        else { pz = p.LZ[j]; pd = p.LD[j]; pp = p.LP[j]; pt = p.LT[j]; }
                        double tz = b * pz, tp = b * pp, td = b * pd;
                        cz += tz + tp;
                        cdz = td + tp;
                        ez += Math.Abs(tz) + Math.Abs(tp);
                        ed = Math.Abs(td) + Math.Abs(tp);
                        zInexact |= pz != 0 || pp != 0;
                        dInexact = pd != 0 || pp != 0;
                        if (pt != 0) { double t = b * pt; step[r] += t; icpt[r] += Math.Abs(t); icptInexact[r] = true; }
                    }
                    C[o] = cz; D[o] = cdz;
                    if ((zInexact && mz != 0) || (dInexact && md != 0)) errPossible[r] = true;
                    err[r] += ez * mz + ed * md;
                }
            }
            double gamma = DotErrorBound.Gamma(3), icptGamma = DotErrorBound.Gamma(2 * n);
            for (int r = 0; r < R; r++)
            {
                if (!double.IsFinite(step[r]) || !double.IsFinite(icpt[r])) { step[r] = double.PositiveInfinity; continue; } // overflow: no bound
                if (icptInexact[r]) step[r] = Rounding.AddUp(step[r], Rounding.AddUp(Rounding.MulUp(icptGamma, icpt[r]), DotErrorBound.Underflow));
                if (errPossible[r]) step[r] = Rounding.AddUp(step[r], Rounding.AddUp(Rounding.MulUp(gamma, err[r]), DotErrorBound.Underflow));
            }
        }

        private readonly LayerBounds?[] _magOf;
        private readonly double[]?[] _magZ, _magD;

        /// <summary>mag(z_j) and mag(Δz_j) of layer k, computed once per enclosure object (the enclosures of the layers
        /// below an objective are final when its backward passes run) instead of once per pass.</summary>
        private (double[] Z, double[] D) Magnitudes(int k, LayerBounds bnd)
        {
            if (!ReferenceEquals(_magOf[k], bnd))
            {
                int n = bnd.Count;
                var z = _magZ[k] ??= new double[n]; var d = _magD[k] ??= new double[n];
                for (int j = 0; j < n; j++)
                {
                    z[j] = LayerBounds.Mag(bnd.ZLo[j], bnd.ZHi[j]);
                    d[j] = LayerBounds.Mag(bnd.DLo[j], bnd.DHi[j]);
                }
                _magOf[k] = bnd;
            }
            return (_magZ[k]!, _magD[k]!);
        }

        private Planes BuildPlanes(Activation act, LayerBounds cur)
        {
            int n = cur.Count;
            var p = new Planes(n);
            var g = act.Operator.Kink;
            double mm = Math.Min(g.P, g.N), MM = Math.Max(g.P, g.N);
            var gU = new Kink(MM, mm); // Δh ≤ max(m Δz, M Δz)
            var gL = new Kink(mm, MM); // Δh ≥ min(m Δz, M Δz)
            Span<double> lowerSlopes = stackalloc double[2];
            for (int j = 0; j < n; j++)
            {
                double l = cur.ZLo[j], u = cur.ZHi[j], dl = cur.DLo[j], du = cur.DHi[j], lp = cur.PLo[j], up = cur.PHi[j];
                // h = σ(z): chord above, CROWN's adaptive slope below.
                double su = g.ChordSlope(l, u);
                p.HUa[j] = su; p.HUt[j] = g.UpperIntercept(su, l, u);
                double sl = l >= 0 ? g.P : u <= 0 ? g.N : (u >= -l ? g.P : g.N);
                p.HLa[j] = sl; p.HLt[j] = g.LowerIntercept(sl, l, u);
                if (act.Operator.IsIdentity)
                {
                    p.UD[j] = 1; p.LD[j] = 1; // Δh = Δz exactly
                    continue;
                }
                // Candidate upper planes of Δh.
                double zc = 0.5 * (l + u), zr = 0.5 * (u - l), dc = 0.5 * (dl + du), dr = 0.5 * (du - dl);
                double best = double.PositiveInfinity;
                {
                    double s = gU.ChordSlope(dl, du), t = gU.UpperIntercept(s, dl, du);
                    double sc = Score(0, s, t, zc, zr, dc, dr, +1);
                    if (sc < best) { best = sc; p.UZ[j] = 0; p.UD[j] = s; p.UP[j] = 0; p.UT[j] = t; }
                }
                double spU = g.ChordSlope(lp, up), tpU = g.UpperIntercept(spU, lp, up);
                int nb = Candidates(g, l, u, lowerSlopes);
                for (int q = 0; q < nb; q++)
                {
                    double beta = lowerSlopes[q], tb = g.LowerIntercept(beta, l, u);
                    double t = Rounding.AddUp(tpU, -tb);
                    double sc = Score(spU - beta, spU, t, zc, zr, dc, dr, +1);
                    if (sc < best) { best = sc; p.UZ[j] = -beta; p.UD[j] = 0; p.UP[j] = spU; p.UT[j] = t; p.UDiff[j] = true; }
                }
                // Candidate lower planes of Δh.
                best = double.NegativeInfinity;
                {
                    double s = gL.ChordSlope(dl, du), t = gL.LowerIntercept(s, dl, du);
                    double sc = Score(0, s, t, zc, zr, dc, dr, -1);
                    if (sc > best) { best = sc; p.LZ[j] = 0; p.LD[j] = s; p.LP[j] = 0; p.LT[j] = t; }
                }
                int np = Candidates(g, lp, up, lowerSlopes);
                double ts = p.HUt[j];
                for (int q = 0; q < np; q++)
                {
                    double beta = lowerSlopes[q], tb = g.LowerIntercept(beta, lp, up);
                    double t = Rounding.AddDown(tb, -ts);
                    double sc = Score(beta - su, beta, t, zc, zr, dc, dr, -1);
                    if (sc > best) { best = sc; p.LZ[j] = -su; p.LD[j] = 0; p.LP[j] = beta; p.LT[j] = t; p.LDiff[j] = true; }
                }
            }
            return p;
        }

        /// <summary>Slopes of lower planes of σ on [lo, hi]: the exact one when stable, else both pieces' slopes.</summary>
        private static int Candidates(Kink g, double lo, double hi, Span<double> slopes)
        {
            if (lo >= 0) { slopes[0] = g.P; return 1; }
            if (hi <= 0) { slopes[0] = g.N; return 1; }
            slopes[0] = g.P; slopes[1] = g.N; return 2;
        }

        /// <summary>Heuristic plane quality: value at the box centre, plus (upper) or minus (lower) the spread over the box.</summary>
        private double Score(double coefZ, double coefD, double t, double zc, double zr, double dc, double dr, int sign) =>
            t + coefZ * zc + coefD * dc + sign * _spread * (Math.Abs(coefZ) * zr + Math.Abs(coefD) * dr);
    }
}
