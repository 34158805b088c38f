namespace Verify.Intervals;

/// <summary>
/// An immutable rows×cols matrix of intervals with finite endpoints, kept both as endpoints and as a
/// midpoint-radius enclosure so that products run through the vectorised midpoint-radius kernel.
/// </summary>
public sealed class IntervalMatrix
{
    private readonly double[] _lo, _hi, _mid, _rad;

    public int Rows { get; }
    public int Cols { get; }

    /// <summary>From row-major endpoint arrays (copied). Endpoints must be finite with lo ≤ hi.</summary>
    public IntervalMatrix(int rows, int cols, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        if (rows < 0 || cols < 0 || (long)rows * cols != lo.Length || lo.Length != hi.Length)
            throw new ArgumentException($"endpoint arrays have {lo.Length}/{hi.Length} entries, expected {rows}×{cols}");
        Rows = rows; Cols = cols;
        _lo = lo.ToArray(); _hi = hi.ToArray();
        _mid = new double[_lo.Length]; _rad = new double[_lo.Length];
        for (int k = 0; k < _lo.Length; k++)
        {
            if (!double.IsFinite(_lo[k]) || !double.IsFinite(_hi[k]) || _lo[k] > _hi[k])
                throw new ArgumentException(FormattableString.Invariant($"entry ({k / Math.Max(cols, 1)}, {k % Math.Max(cols, 1)}) is not a finite interval: [{_lo[k]}, {_hi[k]}]"));
            IntervalMath.ToMidRad(_lo[k], _hi[k], out _mid[k], out _rad[k]);
        }
    }

    /// <summary>The point matrix W (row-major) as degenerate intervals.</summary>
    public static IntervalMatrix FromPoint(int rows, int cols, ReadOnlySpan<double> w) => new(rows, cols, w, w);

    /// <summary>W ± r elementwise (outward rounded), e.g. a weight matrix with a perturbation budget r ≥ 0.</summary>
    public static IntervalMatrix FromMidRadius(int rows, int cols, ReadOnlySpan<double> mid, double radius)
    {
        var lo = new double[mid.Length]; var hi = new double[mid.Length];
        for (int k = 0; k < mid.Length; k++)
        {
            var iv = Interval.FromMidRadius(mid[k], radius);
            lo[k] = iv.Lo; hi[k] = iv.Hi;
        }
        return new IntervalMatrix(rows, cols, lo, hi);
    }

    public Interval this[int row, int col] => Interval.Unchecked(_lo[row * Cols + col], _hi[row * Cols + col]);
    public ReadOnlySpan<double> Lower => _lo;
    public ReadOnlySpan<double> Upper => _hi;

    /// <summary>Rump's midpoint-radius product with the interval vector [lo, hi] (see <see cref="IntervalMath.MidRadMatVec"/>).</summary>
    public void Multiply(ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, Span<double> outLo, Span<double> outHi) =>
        IntervalMath.MidRadMatVec(_mid, _rad, Rows, Cols, lo, hi, outLo, outHi);

    /// <summary>Rump's midpoint-radius product with an interval vector.</summary>
    public Interval[] Multiply(ReadOnlySpan<Interval> x)
    {
        if (x.Length != Cols) throw new ArgumentException($"vector has {x.Length} entries, expected {Cols}");
        var lo = new double[Cols]; var hi = new double[Cols];
        for (int j = 0; j < Cols; j++) { lo[j] = x[j].Lo; hi[j] = x[j].Hi; }
        var oLo = new double[Rows]; var oHi = new double[Rows];
        Multiply(lo, hi, oLo, oHi);
        var result = new Interval[Rows];
        for (int i = 0; i < Rows; i++) result[i] = Interval.Unchecked(oLo[i], oHi[i]);
        return result;
    }

    /// <summary>
    /// The product with per-entry tight interval products and directed summation: slower, but within about
    /// Cols ulps of the exact hull instead of Rump's factor 1.5 on the radius.
    /// </summary>
    public Interval[] MultiplyTight(ReadOnlySpan<Interval> x)
    {
        if (x.Length != Cols) throw new ArgumentException($"vector has {x.Length} entries, expected {Cols}");
        var result = new Interval[Rows];
        var row = new Interval[Cols];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++) row[j] = this[i, j];
            result[i] = IntervalMath.Dot(row, x);
        }
        return result;
    }
}
