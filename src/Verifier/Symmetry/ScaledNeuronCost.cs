namespace Verify.Symmetry;

/// <summary>
/// cost(a, b) = inf over c &gt; 0 of max( max_k |a_k − c·b_k|, max_m |a'_m − b'_m / c| ) for one neuron a of the
/// reference network (incoming weights and bias a, outgoing weights a') and one neuron b of the other network.
///
/// For a fixed level h the set {c : |a_k − c·b_k| ≤ h} is an interval (or everything / nothing when b_k = 0), and
/// so is {c : |a'_m − b'_m/c| ≤ h}, because it is an interval in u = 1/c. The objective is therefore
/// quasi-convex and "cost ≤ h" is an intersection-of-intervals test that grows monotonically in h. The infimum is
/// the smallest h at which the intersection is non-empty; it is found by bisection over the bit patterns of
/// non-negative doubles, so the result is the smallest double level the (rounded) test accepts: exact up to the
/// rounding of the interval endpoints, about one ulp. Intervals are taken closed in [0, ∞], which gives the infimum
/// also when it is approached as c → 0 or c → ∞.
/// </summary>
public static class ScaledNeuronCost
{
    /// <summary>Whether some c in [0, ∞] meets every constraint at level h.</summary>
    public static bool Feasible(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> aOut, ReadOnlySpan<double> bOut, double h)
        => FeasibleRange(a, b, aOut, bOut, h, out _, out _);

    /// <summary>The feasible range [lo, hi] of c at level h, when non-empty.</summary>
    public static bool FeasibleRange(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> aOut, ReadOnlySpan<double> bOut,
                                     double h, out double lo, out double hi)
    {
        lo = 0; hi = double.PositiveInfinity;
        if (!Intersect(a, b, h, ref lo, ref hi)) return false;
        double ulo = 0, uhi = double.PositiveInfinity;
        if (!Intersect(aOut, bOut, h, ref ulo, ref uhi)) return false;
        // u ∈ [ulo, uhi] ⇔ c = 1/u ∈ [1/uhi, 1/ulo] with 1/0 = ∞ and 1/∞ = 0.
        double clo = double.IsPositiveInfinity(uhi) ? 0 : uhi <= 0 ? double.PositiveInfinity : 1 / uhi;
        double chi = ulo <= 0 ? double.PositiveInfinity : 1 / ulo;
        lo = Math.Max(lo, clo);
        hi = Math.Min(hi, chi);
        return lo <= hi;
    }

    /// <summary>Intersects [lo, hi] with {x ≥ 0 : |p_k − x·q_k| ≤ h for all k}; false as soon as it is empty.</summary>
    private static bool Intersect(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double h, ref double lo, ref double hi)
    {
        for (int k = 0; k < p.Length; k++)
        {
            double pk = p[k], qk = q[k];
            if (qk == 0)
            {
                if (Math.Abs(pk) > h) return false;
                continue;
            }
            double x1 = (pk - h) / qk, x2 = (pk + h) / qk;
            if (qk > 0) { if (x1 > lo) lo = x1; if (x2 < hi) hi = x2; }
            else { if (x2 > lo) lo = x2; if (x1 < hi) hi = x1; }
            if (lo > hi) return false;
        }
        return true;
    }

    /// <summary>The objective at one scale c &gt; 0 (used for upper bounds and for testing).</summary>
    public static double Evaluate(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> aOut, ReadOnlySpan<double> bOut, double c)
    {
        double m = 0;
        for (int k = 0; k < a.Length; k++) m = Math.Max(m, Math.Abs(a[k] - c * b[k]));
        for (int k = 0; k < aOut.Length; k++) m = Math.Max(m, Math.Abs(aOut[k] - bOut[k] / c));
        return m;
    }

    /// <summary>Stand-in for c → ∞ (and 1/it for c → 0) when the infimum is only approached in the limit.</summary>
    public static readonly double LimitScale = Math.ScaleB(1.0, 64);

    /// <summary>The cost and a scale c attaining it (up to rounding), or <see cref="LimitScale"/> / its inverse when none does.</summary>
    public static (double Cost, double Scale) Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> aOut, ReadOnlySpan<double> bOut)
    {
        double h = Cost(a, b, aOut, bOut);
        FeasibleRange(a, b, aOut, bOut, h, out double lo, out double hi);
        double c;
        if (double.IsPositiveInfinity(lo)) c = LimitScale;              // infimum approached as c → ∞
        else if (hi <= 0) c = 1 / LimitScale;                          // infimum approached as c → 0
        else if (double.IsPositiveInfinity(hi)) c = lo > 0 ? lo : 1;
        else if (lo <= 0 || lo == hi) c = hi;
        else c = Math.Sqrt(lo) * Math.Sqrt(hi);
        return (h, c);
    }

    public static double Cost(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> aOut, ReadOnlySpan<double> bOut)
    {
        if (Feasible(a, b, aOut, bOut, 0)) return 0;
        double upper = Evaluate(a, b, aOut, bOut, 1.0);
        if (!double.IsFinite(upper)) upper = double.MaxValue;
        upper = Math.Max(upper, double.Epsilon);
        while (!Feasible(a, b, aOut, bOut, upper))
        {
            if (upper == double.MaxValue) return double.PositiveInfinity;
            upper = Math.Min(double.MaxValue, upper * 2);
        }
        long lo = BitConverter.DoubleToInt64Bits(0.0), hi = BitConverter.DoubleToInt64Bits(upper);
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (Feasible(a, b, aOut, bOut, BitConverter.Int64BitsToDouble(mid))) hi = mid; else lo = mid;
        }
        return BitConverter.Int64BitsToDouble(hi);
    }

    /// <summary>Smallest double in (infeasible, feasible] accepted by a monotone predicate, by bisection on bit patterns.</summary>
    public static double SmallestFeasible(double infeasible, double feasible, Func<double, bool> test)
    {
        long lo = BitConverter.DoubleToInt64Bits(infeasible), hi = BitConverter.DoubleToInt64Bits(feasible);
        while (hi - lo > 1)
        {
            long mid = lo + (hi - lo) / 2;
            if (test(BitConverter.Int64BitsToDouble(mid))) hi = mid; else lo = mid;
        }
        return BitConverter.Int64BitsToDouble(hi);
    }
}
