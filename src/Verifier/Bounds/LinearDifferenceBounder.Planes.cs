using System.Numerics;
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

        /// <summary>Whether neuron j's planes give h = Δh = 0 whatever z and Δz are.</summary>
        public bool IsZero(int j) =>
            HUa[j] == 0 && HUt[j] == 0 && HLa[j] == 0 && HLt[j] == 0 && UZ[j] == 0 && UD[j] == 0 && UP[j] == 0 && UT[j] == 0
            && LZ[j] == 0 && LD[j] == 0 && LP[j] == 0 && LT[j] == 0;

        public Planes Clone() => CopyInto(null);

        /// <summary>These planes written into <paramref name="target"/> (reused when it has this size), or a new copy.</summary>
        public Planes CopyInto(Planes? target)
        {
            var c = target is not null && target.HUa.Length == HUa.Length ? target : new Planes(HUa.Length);
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
            for (int r = 0; r < R; r++)
            {
                var row = PlaneRow(p, C.AsSpan(rows.Offset + r * rows.Stride, n), D.AsSpan(rows.Offset + r * rows.Stride, n), magZ, magD);
                step[r] = row.Step; icpt[r] = row.StepAbs; icptInexact[r] = row.StepInexact;
                err[r] = row.Err; errPossible[r] = row.ErrPossible;
            }
            double gamma = DotErrorBound.Gamma(3);
            for (int r = 0; r < R; r++)
            {
                if (!double.IsFinite(step[r]) || !double.IsFinite(icpt[r]) || !double.IsFinite(err[r]))
                {
                    step[r] = double.PositiveInfinity; // overflow: no bound
                    continue;
                }
                if (icptInexact[r]) step[r] = DotErrorBound.Upper(step[r], icpt[r], 2 * n);
                if (errPossible[r]) step[r] = Rounding.AddUp(step[r], Rounding.AddUp(Rounding.MulUp(gamma, err[r]), DotErrorBound.Underflow));
            }
        }

        /// <summary>One objective through one activation layer: the new coefficients (in place), the sum of the plane
        /// intercepts' terms with the sum of their magnitudes, and the coefficients' rounding-error sum.</summary>
        private readonly record struct PlaneRowResult(double Step, double StepAbs, bool StepInexact, double Err, bool ErrPossible);

        /// <summary>
        /// For every neuron j with coefficients a = c_j (on h) and b = d_j (on Δh): h's plane by the sign of a, Δh's by the
        /// sign of b; c_j ← a·ha + (b·pz + b·pp), d_j ← b·pd + b·pp, the intercepts a·ht and b·pt summed (corrected by
        /// the caller), and the error weight (|a·ha| + (|b·pz| + |b·pp|))·mag(z) + (|b·pd| + |b·pp|)·mag(Δz). A rounding
        /// error needs a product of two non-zero factors (the factors are tested, not the products, which may have
        /// underflowed to 0) multiplying a variable that is not identically 0. SIMD over the neurons, with selects for the
        /// signs; the tail is the same arithmetic per neuron.
        /// </summary>
        private static PlaneRowResult PlaneRow(Planes p, Span<double> c, Span<double> d, double[] magZ, double[] magD)
        {
            int n = c.Length, w = Vector<double>.Count, j = 0;
            double step = 0, stepAbs = 0, err = 0;
            bool stepInexact = false, errPossible = false;
            if (Vector.IsHardwareAccelerated)
            {
                var zero = Vector<double>.Zero;
                var stepV = zero; var absV = zero; var errV = zero;
                var stepM = Vector<long>.Zero; var errM = Vector<long>.Zero;
                for (; j + w <= n; j += w)
                {
                    var a = new Vector<double>(c.Slice(j, w)); var b = new Vector<double>(d.Slice(j, w));
                    var aNz = ~Vector.Equals(a, zero); var bNz = ~Vector.Equals(b, zero);
                    var bPos = Vector.GreaterThan(b, zero);
                    var ha = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(a, zero), V(p.HUa, j), V(p.HLa, j));
                    var ht = Vector.ConditionalSelect(Vector.GreaterThan(a, zero), V(p.HUt, j), V(p.HLt, j));
                    var pz = Vector.ConditionalSelect(bPos, V(p.UZ, j), V(p.LZ, j));
                    var pd = Vector.ConditionalSelect(bPos, V(p.UD, j), V(p.LD, j));
                    var pp = Vector.ConditionalSelect(bPos, V(p.UP, j), V(p.LP, j));
                    var pt = Vector.ConditionalSelect(bPos, V(p.UT, j), V(p.LT, j));
                    var ca = a * ha; var tz = b * pz; var tp = b * pp; var td = b * pd;
                    (ca + (tz + tp)).CopyTo(c.Slice(j, w));
                    (td + tp).CopyTo(d.Slice(j, w));
                    var ez = Vector.Abs(ca) + (Vector.Abs(tz) + Vector.Abs(tp));
                    var ed = Vector.Abs(td) + Vector.Abs(tp);
                    // Neurons with both coefficients 0 add nothing (as in the tail), even beside an unbounded magnitude.
                    errV += Vector.ConditionalSelect(aNz | bNz, ez * V(magZ, j) + ed * V(magD, j), zero);
                    var zInexact = (aNz & ~Vector.Equals(ha, zero)) | (bNz & (~Vector.Equals(pz, zero) | ~Vector.Equals(pp, zero)));
                    var dInexact = bNz & (~Vector.Equals(pd, zero) | ~Vector.Equals(pp, zero));
                    errM |= (zInexact & ~Vector.Equals(V(magZ, j), zero)) | (dInexact & ~Vector.Equals(V(magD, j), zero));
                    // A zero coefficient or a zero intercept (stable neurons) adds exactly 0, even beside an infinite one.
                    var useT = aNz & ~Vector.Equals(ht, zero); var useP = bNz & ~Vector.Equals(pt, zero);
                    var t1 = Vector.ConditionalSelect(useT, a * ht, zero); var t2 = Vector.ConditionalSelect(useP, b * pt, zero);
                    stepV += t1 + t2; absV += Vector.Abs(t1) + Vector.Abs(t2);
                    stepM |= useT | useP;
                }
                step = Vector.Sum(stepV); stepAbs = Vector.Sum(absV); err = Vector.Sum(errV);
                stepInexact = stepM != Vector<long>.Zero; errPossible = errM != Vector<long>.Zero;
            }
            for (; j < n; j++)
            {
                double a = c[j], b = d[j];
                if (a == 0 && b == 0) { c[j] = 0; d[j] = 0; continue; }
                double ha = a >= 0 ? p.HUa[j] : p.HLa[j], ht = a > 0 ? p.HUt[j] : p.HLt[j];
                if (a != 0 && ht != 0) { double t = a * ht; step += t; stepAbs += Math.Abs(t); stepInexact = true; }
                double cz = a * ha, cdz = 0, ez = Math.Abs(cz), ed = 0;
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
                    if (pt != 0) { double t = b * pt; step += t; stepAbs += Math.Abs(t); stepInexact = true; }
                }
                c[j] = cz; d[j] = cdz;
                if ((zInexact && magZ[j] != 0) || (dInexact && magD[j] != 0)) errPossible = true;
                err += ez * magZ[j] + ed * magD[j];
            }
            return new PlaneRowResult(step, stepAbs, stepInexact, err, errPossible);
        }

        private static Vector<double> V(double[] a, int j) => new(a.AsSpan(j, Vector<double>.Count));

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
