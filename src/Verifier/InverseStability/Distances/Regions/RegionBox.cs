using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// An outward-rounded box of the free coordinates that contains an activation region: the input box contracted by the
/// region's strict constraints σ·(a·x + c) &gt; 0, each solved for one coordinate in interval arithmetic (one sweep per
/// new constraint). Cheap, sound, and much tighter than the input box deep in the search, so neurons that are stable on
/// the region are recognised without asking Z3, and the Jacobian bounds use the region's own pre-activation ranges.
/// </summary>
public sealed class RegionBox
{
    public Interval[] Dims { get; }

    public RegionBox(Interval[] dims) { Dims = dims; }

    public static RegionBox Of(BoxSlice slice) => new(slice.Free.Select(k => slice.Box[k]).ToArray());

    /// <summary>The box contracted by every constraint in the list (the region's whole stack).</summary>
    public RegionBox Contract(IReadOnlyList<(AffineForm Z, int Sign)> constraints)
    {
        var d = (Interval[])Dims.Clone();
        for (int sweep = 0; sweep < 2; sweep++)
            foreach (var (z, sign) in constraints) Contract(d, z, sign);
        return new RegionBox(d);
    }

    /// <summary>Enclosure of an affine form over the box.</summary>
    public Interval Enclose(AffineForm f)
    {
        var s = f.ConstantEnclosure;
        var a = f.CoefficientEnclosure;
        for (int k = 0; k < a.Length; k++)
            if (!f.Coefficients[k].IsZero) s += a[k] * Dims[k];
        return s;
    }

    private static void Contract(Interval[] d, AffineForm z, int sign)
    {
        var a = z.CoefficientEnclosure;
        var c = sign > 0 ? z.ConstantEnclosure : -z.ConstantEnclosure;
        for (int k = 0; k < a.Length; k++)
        {
            if (z.Coefficients[k].IsZero) continue;
            // σ·a_k·x_k > −σ·c − Σ_{j≠k} σ·a_j·x_j =: r
            var r = -c;
            for (int j = 0; j < a.Length; j++)
                if (j != k && !z.Coefficients[j].IsZero) r -= (sign > 0 ? a[j] : -a[j]) * d[j];
            var ak = sign > 0 ? a[k] : -a[k];
            if (ak.ContainsZero || !r.IsBounded) continue;
            var q = r / ak;   // every possible bound value
            double lo = d[k].Lo, hi = d[k].Hi;
            if (z.Coefficients[k].Sign * sign > 0) lo = Math.Max(lo, q.Lo);
            else hi = Math.Min(hi, q.Hi);
            if (lo <= hi) d[k] = new Interval(lo, hi);
        }
    }
}
