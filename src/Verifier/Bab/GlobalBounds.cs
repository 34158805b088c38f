namespace Verify.Bab;

/// <summary>
/// The global bounds of a search with one or more outputs: per output, the running maximum of the upper bounds of the
/// closed leaves and the best certified lower bound. The global upper bound is the maximum of the closed part and of
/// the undecided nodes' bounds (they cover the rest). Thread-safe: workers may close leaves and raise lower bounds.
/// </summary>
public sealed class GlobalBounds
{
    private readonly double[] _closed;
    private readonly double[] _lower;
    private readonly object _gate = new();

    /// <param name="closedStart">the closed maximum before any leaf is closed (0 where bounds are magnitudes).</param>
    public GlobalBounds(int outputs, double closedStart = 0.0)
    {
        _closed = new double[outputs];
        Array.Fill(_closed, closedStart);
        _lower = new double[outputs];
    }

    public int Outputs => _closed.Length;

    public void Close(int output, double upper)
    {
        lock (_gate) _closed[output] = Math.Max(_closed[output], upper);
    }

    public void Close(IReadOnlyList<double> upper)
    {
        lock (_gate)
            for (int j = 0; j < _closed.Length; j++) _closed[j] = Math.Max(_closed[j], upper[j]);
    }

    /// <summary>Per output: the maximum of the closed leaves' upper bounds (the start value while none is closed).</summary>
    public double[] ClosedUpper()
    {
        lock (_gate) return (double[])_closed.Clone();
    }

    /// <summary>Per output: the maximum of the closed leaves and of <paramref name="upperOf"/> over the undecided nodes.</summary>
    public double[] Upper<TNode>(IEnumerable<TNode> undecided, Func<TNode, IReadOnlyList<double>> upperOf)
    {
        var u = ClosedUpper();
        foreach (var n in undecided)
        {
            var v = upperOf(n);
            for (int j = 0; j < u.Length; j++) u[j] = Math.Max(u[j], v[j]);
        }
        return u;
    }

    /// <summary>Raises output j's lower bound to <paramref name="value"/> if that is better; true if it was.</summary>
    public bool RaiseLower(int output, double value)
    {
        lock (_gate)
        {
            if (!(value > _lower[output])) return false;
            _lower[output] = value;
            return true;
        }
    }

    public double Lower(int output)
    {
        lock (_gate) return _lower[output];
    }

    public double[] LowerBounds()
    {
        lock (_gate) return (double[])_lower.Clone();
    }

    /// <summary>The largest lower bound over the outputs (0 before any).</summary>
    public double SupLower
    {
        get
        {
            double s = 0.0;
            lock (_gate)
                foreach (var l in _lower) s = Math.Max(s, l);
            return s;
        }
    }
}
