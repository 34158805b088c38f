namespace Verify.Intervals;

/// <summary>An axis-aligned box ∏ [lo_i, hi_i] of finite, non-empty intervals.</summary>
public sealed class Box
{
    private readonly Interval[] _dims;

    public Box(IReadOnlyList<Interval> dims)
    {
        if (dims.Count == 0) throw new ArgumentException("A box needs at least one dimension.");
        _dims = dims.ToArray();
        for (int i = 0; i < _dims.Length; i++)
            if (!_dims[i].IsBounded) throw new ArgumentException($"dimension {i} is unbounded ({_dims[i]})");
    }

    public static Box FromBounds(IReadOnlyList<double> lo, IReadOnlyList<double> hi)
    {
        if (lo.Count != hi.Count)
            throw new ArgumentException($"lower bounds have {lo.Count} entries, upper bounds {hi.Count}");
        var d = new Interval[lo.Count];
        for (int i = 0; i < d.Length; i++)
        {
            if (!double.IsFinite(lo[i]) || !double.IsFinite(hi[i]))
                throw new ArgumentException($"bound {i} is not a finite number ({lo[i]}, {hi[i]})");
            if (lo[i] > hi[i])
                throw new ArgumentException($"empty box: lo[{i}] = {lo[i]:R} > hi[{i}] = {hi[i]:R}");
            d[i] = new Interval(lo[i], hi[i]);
        }
        return new Box(d);
    }

    public int Dimension => _dims.Length;
    public Interval this[int i] => _dims[i];
    public ReadOnlySpan<Interval> Dimensions => _dims;
    public double[] Lower => _dims.Select(d => d.Lo).ToArray();
    public double[] Upper => _dims.Select(d => d.Hi).ToArray();
    public double[] Center => _dims.Select(d => d.Midpoint).ToArray();

    public bool Contains(ReadOnlySpan<double> x)
    {
        if (x.Length != _dims.Length) return false;
        for (int i = 0; i < x.Length; i++) if (!_dims[i].Contains(x[i])) return false;
        return true;
    }

    public bool Contains(IReadOnlyList<Rational> x)
    {
        if (x.Count != _dims.Length) return false;
        for (int i = 0; i < x.Count; i++)
            if (x[i] < Rational.FromDouble(_dims[i].Lo) || x[i] > Rational.FromDouble(_dims[i].Hi)) return false;
        return true;
    }

    /// <summary>Splits dimension <paramref name="dim"/> at its midpoint into two boxes whose union is this box.</summary>
    public (Box Left, Box Right) Bisect(int dim)
    {
        var d = _dims[dim];
        double m = d.Midpoint;
        var left = (Interval[])_dims.Clone();
        var right = (Interval[])_dims.Clone();
        left[dim] = new Interval(d.Lo, m);
        right[dim] = new Interval(m, d.Hi);
        return (new Box(left), new Box(right));
    }

    public Box With(int dim, Interval value)
    {
        var c = (Interval[])_dims.Clone();
        c[dim] = value;
        return new Box(c);
    }

    public override string ToString() => "[" + string.Join(", ", _dims.Select(d => d.ToString())) + "]";
}
