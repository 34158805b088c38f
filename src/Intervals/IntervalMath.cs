using System.Buffers;

namespace Verify.Intervals;

/// <summary>
/// Fused dot products and matrix-vector products with one rounding-error bound per sum
/// (<see cref="DotErrorBound"/> explains the analysis). These are the hot loops of bound propagation.
/// </summary>
/// <remarks>
/// Conventions: matrices are row-major <c>double[]</c>; an interval vector is either a span of
/// <see cref="Interval"/> or two spans lo/hi. Point matrix entries must be finite (a non-finite entry
/// yields an unbounded output row, never a wrong finite one). Interval inputs may have infinite
/// endpoints; such vectors take a slower exact path that honours 0·∞ = 0.
/// </remarks>
public static class IntervalMath
{
    /// <summary>Rows up to this length keep their scratch buffers on the stack.</summary>
    private const int StackLimit = 256;

    // ---------------------------------------------------------------- double · double

    /// <summary>An upper bound on the exact Σ a_i·b_i of two finite double vectors (+∞ on overflow).</summary>
    public static double DotUpper(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        DotBounds(a, b, out _, out double hi);
        return hi;
    }

    /// <summary>A lower bound on the exact Σ a_i·b_i of two finite double vectors (−∞ on overflow).</summary>
    public static double DotLower(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        DotBounds(a, b, out double lo, out _);
        return lo;
    }

    /// <summary>An interval enclosing the exact Σ a_i·b_i.</summary>
    public static Interval Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        DotBounds(a, b, out double lo, out double hi);
        return Interval.Unchecked(lo, hi);
    }

    private static void DotBounds(ReadOnlySpan<double> a, ReadOnlySpan<double> b, out double lo, out double hi)
    {
        SameLength(a.Length, b.Length);
        if (a.Length == 0) { lo = hi = 0; return; }
        double c = DotKernels.Dot(a, b, out double s);
        if (double.IsNaN(s)) RejectNaN(a, b);
        new DotErrorBound(a.Length).Enclose(c, 0.0, s, out lo, out hi);
    }

    // ---------------------------------------------------------------- double · interval

    /// <summary>An enclosure of {Σ a_i·x_i : x_i ∈ [lo_i, hi_i]} (midpoint-radius, one error bound).</summary>
    public static Interval Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        Span<double> oLo = stackalloc double[1], oHi = stackalloc double[1];
        MatVec(a, 1, a.Length, lo, hi, oLo, oHi);
        return Interval.Unchecked(oLo[0], oHi[0]);
    }

    /// <summary>An enclosure of {Σ a_i·x_i : x_i ∈ x_i}.</summary>
    public static Interval Dot(ReadOnlySpan<double> a, ReadOnlySpan<Interval> x)
    {
        SameLength(a.Length, x.Length);
        int n = x.Length;
        double[]? rented = null;
        Span<double> buf = n <= StackLimit ? stackalloc double[2 * n] : (rented = ArrayPool<double>.Shared.Rent(2 * n));
        try
        {
            Span<double> lo = buf[..n], hi = buf.Slice(n, n);
            for (int i = 0; i < n; i++) { lo[i] = x[i].Lo; hi[i] = x[i].Hi; }
            return Dot(a, lo, hi);
        }
        finally { if (rented != null) ArrayPool<double>.Shared.Return(rented); }
    }

    // ---------------------------------------------------------------- interval · interval

    /// <summary>
    /// An enclosure of {Σ a_i·b_i : a_i ∈ a_i, b_i ∈ b_i}: each product is the tight interval product and the
    /// sum is accumulated with directed rounding, so the result is within about n ulps of the exact hull
    /// (tighter than midpoint-radius, but a few times slower).
    /// </summary>
    public static Interval Dot(ReadOnlySpan<Interval> a, ReadOnlySpan<Interval> b)
    {
        SameLength(a.Length, b.Length);
        double lo = 0, hi = 0;
        for (int i = 0; i < a.Length; i++)
        {
            var p = a[i] * b[i];
            lo = Rounding.AddDown(lo, p.Lo);
            hi = Rounding.AddUp(hi, p.Hi);
        }
        return Interval.Unchecked(lo, hi);
    }

    /// <summary>
    /// Rump's midpoint-radius enclosure of the interval dot product: with a = [mA ± rA], x = [mx ± rx],
    /// centre fl(mA·mx) and radius |mA|·rx + rA·(|mx| + rx) + error bound. Its radius exceeds the exact
    /// hull's by at most a factor 1.5 (plus rounding), in exchange for plain vectorised sums.
    /// </summary>
    public static Interval DotMidRad(ReadOnlySpan<Interval> a, ReadOnlySpan<Interval> x)
    {
        SameLength(a.Length, x.Length);
        int n = a.Length;
        var ma = new double[n]; var ra = new double[n];
        var lo = new double[n]; var hi = new double[n];
        for (int i = 0; i < n; i++)
        {
            ToMidRad(a[i].Lo, a[i].Hi, out ma[i], out ra[i]);
            lo[i] = x[i].Lo; hi[i] = x[i].Hi;
        }
        Span<double> oLo = stackalloc double[1], oHi = stackalloc double[1];
        MidRadMatVec(ma, ra, 1, n, lo, hi, oLo, oHi);
        return Interval.Unchecked(oLo[0], oHi[0]);
    }

    // ---------------------------------------------------------------- point matrix · interval vector

    /// <summary>
    /// The hot path of bound propagation: [outLo, outHi] ⊇ {W·x : lo ≤ x ≤ hi} for a finite row-major
    /// rows×cols matrix W. Midpoint-radius form: with m = mid(x), rad ≥ x − m, each row is
    /// c = W_i·m ± (|W_i|·rad + error bound), three vectorised sums and one error bound per row.
    /// The outputs may alias the inputs. Throws on NaN or lo &gt; hi.
    /// </summary>
    public static void MatVec(ReadOnlySpan<double> W, int rows, int cols, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi,
                              Span<double> outLo, Span<double> outHi) =>
        MatVec(W, rows, cols, ReadOnlySpan<double>.Empty, lo, hi, outLo, outHi);

    /// <summary>As <see cref="MatVec(ReadOnlySpan{double}, int, int, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>
    /// for the affine map W·x + bias (bias empty for none); the bias enters the same error bound.</summary>
    public static void MatVec(ReadOnlySpan<double> W, int rows, int cols, ReadOnlySpan<double> bias,
                              ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> outLo, Span<double> outHi)
    {
        CheckShapes(W.Length, rows, cols, lo.Length, hi.Length, outLo.Length, outHi.Length);
        if (!bias.IsEmpty && bias.Length != rows)
            throw new ArgumentException($"bias has {bias.Length} entries, expected {rows}");
        if (cols == 0)
        {
            for (int i = 0; i < rows; i++) outLo[i] = outHi[i] = bias.IsEmpty ? 0.0 : bias[i]; // empty sums are exact
            return;
        }
        double[]? rented = null;
        Span<double> buf = cols <= StackLimit ? stackalloc double[2 * cols] : (rented = ArrayPool<double>.Shared.Rent(2 * cols));
        try
        {
            Span<double> mid = buf[..cols], rad = buf.Slice(cols, cols);
            if (!ToMidRad(lo, hi, mid, rad))
            {
                DirectedMatVec(W, rows, cols, bias, lo, hi, outLo, outHi);
                return;
            }
            // The bias is one more term b·1 (exact product) in c and s: N = cols + 1.
            var bound = new DotErrorBound(cols + (bias.IsEmpty ? 0 : 1));
            for (int i = 0; i < rows; i++)
            {
                double c = DotKernels.MidRad(W.Slice(i * cols, cols), mid, rad, out double r, out double s);
                if (!bias.IsEmpty) { c += bias[i]; s += Math.Abs(bias[i]); }
                bound.Enclose(c, r, s, out outLo[i], out outHi[i]);
            }
        }
        finally { if (rented != null) ArrayPool<double>.Shared.Return(rented); }
    }

    /// <summary>Point matrix times an interval vector, returning intervals.</summary>
    public static Interval[] MatVec(ReadOnlySpan<double> W, int rows, int cols, ReadOnlySpan<Interval> x)
    {
        if (x.Length != cols) throw new ArgumentException($"vector has {x.Length} entries, expected {cols}");
        var lo = new double[cols]; var hi = new double[cols];
        for (int j = 0; j < cols; j++) { lo[j] = x[j].Lo; hi[j] = x[j].Hi; }
        var oLo = new double[rows]; var oHi = new double[rows];
        MatVec(W, rows, cols, lo, hi, oLo, oHi);
        var result = new Interval[rows];
        for (int i = 0; i < rows; i++) result[i] = Interval.Unchecked(oLo[i], oHi[i]);
        return result;
    }

    /// <summary>The slow exact-operation fallback for inputs with infinite endpoints (0·∞ = 0).</summary>
    private static void DirectedMatVec(ReadOnlySpan<double> W, int rows, int cols, ReadOnlySpan<double> bias,
                                       ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> outLo, Span<double> outHi)
    {
        // lo/hi may alias outLo/outHi; copy them first.
        double[] xl = lo.ToArray(), xh = hi.ToArray();
        for (int i = 0; i < rows; i++)
        {
            var row = W.Slice(i * cols, cols);
            double l = bias.IsEmpty ? 0 : bias[i], h = l;
            for (int j = 0; j < cols; j++)
            {
                double w = row[j];
                if (w == 0) continue;
                if (double.IsNaN(w)) { l = double.NegativeInfinity; h = double.PositiveInfinity; break; }
                l = Rounding.AddDown(l, w > 0 ? Rounding.MulDown(w, xl[j]) : Rounding.MulDown(w, xh[j]));
                h = Rounding.AddUp(h, w > 0 ? Rounding.MulUp(w, xh[j]) : Rounding.MulUp(w, xl[j]));
                if (double.IsNaN(l) || double.IsNaN(h)) { l = double.NegativeInfinity; h = double.PositiveInfinity; break; }
            }
            outLo[i] = l; outHi[i] = h;
        }
    }

    // ---------------------------------------------------------------- interval matrix · interval vector

    /// <summary>
    /// Rump's midpoint-radius product of an interval matrix [mA ± rA] (row-major, rA ≥ 0 and
    /// [mA ± rA] already enclosing the intended entries) and an interval vector [lo, hi]. Radius per row:
    /// |mA|·rx + rA·(|mx| + rx) + error bound, all rounded up.
    /// </summary>
    public static void MidRadMatVec(ReadOnlySpan<double> midA, ReadOnlySpan<double> radA, int rows, int cols,
                                    ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> outLo, Span<double> outHi)
    {
        CheckShapes(midA.Length, rows, cols, lo.Length, hi.Length, outLo.Length, outHi.Length);
        if (radA.Length != midA.Length) throw new ArgumentException("radius matrix and midpoint matrix differ in size");
        if (cols == 0) { outLo.Clear(); outHi.Clear(); return; } // empty sums are exact
        double[] buf = ArrayPool<double>.Shared.Rent(3 * cols);
        try
        {
            Span<double> mx = buf.AsSpan(0, cols), rx = buf.AsSpan(cols, cols), ux = buf.AsSpan(2 * cols, cols);
            bool finite = ToMidRad(lo, hi, mx, rx);
            for (int j = 0; j < cols && finite; j++)
            {
                // ux ≥ |mx| + rx; the sum is exact when rx = 0.
                double t = Math.Abs(mx[j]) + rx[j];
                ux[j] = rx[j] == 0 ? t : Rounding.Up(t);
            }
            var bound = new DotErrorBound(2L * cols);
            for (int i = 0; i < rows; i++)
            {
                if (!finite) { outLo[i] = double.NegativeInfinity; outHi[i] = double.PositiveInfinity; continue; }
                double c = DotKernels.MidRadInterval(midA.Slice(i * cols, cols), radA.Slice(i * cols, cols), mx, rx, ux,
                                                     out double r, out double s);
                bound.Enclose(c, r, s, out outLo[i], out outHi[i]);
            }
        }
        finally { ArrayPool<double>.Shared.Return(buf); }
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// Midpoint and radius with [lo, hi] ⊆ [mid − rad, mid + rad]. Returns false when some endpoint is
    /// infinite (the midpoint-radius form cannot represent it). Throws on NaN or lo &gt; hi.
    /// </summary>
    internal static bool ToMidRad(ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> mid, Span<double> rad)
    {
        bool finite = true;
        for (int j = 0; j < lo.Length; j++)
        {
            double l = lo[j], h = hi[j];
            if (!(l <= h)) throw new ArgumentException(FormattableString.Invariant($"input {j} is not an interval: [{l}, {h}]"));
            if (double.IsInfinity(l) || double.IsInfinity(h)) { finite = false; continue; }
            ToMidRad(l, h, out mid[j], out rad[j]);
        }
        return finite;
    }

    internal static void ToMidRad(double l, double h, out double mid, out double rad)
    {
        if (l == h) { mid = l; rad = 0; return; }
        double m = 0.5 * (l + h);
        if (double.IsInfinity(m)) m = 0.5 * l + 0.5 * h;
        // max(m − l, h − m) in round-to-nearest, then one step up: ≥ both exact differences (≥ 0 because a
        // difference that rounds to 0 is exactly 0). Works even if rounding had put m outside [l, h].
        double d = Math.Max(m - l, h - m);
        mid = m;
        rad = d == 0 ? 0 : Rounding.Up(d);
    }

    private static void CheckShapes(int wLength, int rows, int cols, int lo, int hi, int outLo, int outHi)
    {
        if (rows < 0 || cols < 0 || (long)rows * cols != wLength)
            throw new ArgumentException($"matrix has {wLength} entries, expected {rows}×{cols}");
        if (lo != cols || hi != cols) throw new ArgumentException($"input bounds have {lo}/{hi} entries, expected {cols}");
        if (outLo != rows || outHi != rows) throw new ArgumentException($"output bounds have {outLo}/{outHi} entries, expected {rows}");
    }

    private static void SameLength(int a, int b)
    {
        if (a != b) throw new ArgumentException($"vectors differ in length ({a} vs {b})");
    }

    private static void RejectNaN(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (int i = 0; i < a.Length; i++)
            if (double.IsNaN(a[i]) || double.IsNaN(b[i])) throw new ArgumentException($"NaN at index {i} of a dot product");
    }
}
