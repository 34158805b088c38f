namespace Verify.Intervals;

/// <summary>
/// The one place where outward rounding happens. .NET cannot switch the FPU rounding mode, so every
/// directed result is derived from a round-to-nearest (RN) result.
/// </summary>
/// <remarks>
/// Two tools are offered:
/// <list type="bullet">
/// <item><see cref="Down"/>/<see cref="Up"/> step one ulp outward. An RN result lies within half an ulp
/// of the exact value, so the neighbouring double is always a valid bound. They are cheap but always
/// lose one ulp, even when the RN result was exact.</item>
/// <item>The directed operations (<see cref="AddDown"/>, <see cref="MulUp"/>, <see cref="DivDown"/>,
/// <see cref="SqrtUp"/>, …) are the tightest bounds: they return the exact result when it is a double,
/// and otherwise the adjacent double on the correct side (i.e. IEEE round-toward-±∞). They learn the sign
/// of the RN error exactly from an error-free transformation: TwoSum for + and −, and one fused
/// multiply-add for ×, ÷ and √ (the residual a·b − p, a − q·b, s·s − x). A residual is exact unless it
/// underflows; where it could have underflowed to zero we fall back to a one-ulp step.</item>
/// </list>
/// Overflow: an RN result ±∞ from finite operands stands for a value beyond ±MaxValue, so its
/// lower (upper) bound is +MaxValue (−MaxValue) on the finite side and ±∞ on the other.
/// Infinite operands follow the extended reals; the interval conventions 0·∞ = 0 (see <see cref="MulZero"/>)
/// and x/±∞ = 0 (the limit) are used because interval endpoints are limits, never attained values.
/// </remarks>
public static class Rounding
{
    /// <summary>Below this magnitude an FMA residual of a product/quotient/square root might not be exact.</summary>
    private const double ResidualExactThreshold = 1.5e-289; // ≈ 2^-960, far above the 2^-968 that the proof needs

    /// <summary>A double ≤ the exact value whose round-to-nearest image is x (one ulp step; sound for any RN result, including 0 and ±∞).</summary>
    public static double Down(double x) => double.IsNegativeInfinity(x) ? x : Math.BitDecrement(x);

    /// <summary>A double ≥ the exact value whose round-to-nearest image is x (one ulp step; sound for any RN result, including 0 and ±∞).</summary>
    public static double Up(double x) => double.IsPositiveInfinity(x) ? x : Math.BitIncrement(x);

    /// <summary>Product with the interval convention 0·∞ = 0 (the infimum/supremum over reals).</summary>
    public static double MulZero(double a, double b) => a == 0 || b == 0 ? 0.0 : a * b;

    /// <summary>Largest double ≤ a + b (exact when a + b is a double; −∞ for ∞ + (−∞), whose operands stand for values beyond the range).</summary>
    public static double AddDown(double a, double b)
    {
        double s = a + b;
        if (!double.IsFinite(s)) return double.IsPositiveInfinity(s) && double.IsFinite(a) && double.IsFinite(b) ? double.MaxValue
            : double.IsNaN(s) && !double.IsNaN(a) && !double.IsNaN(b) ? double.NegativeInfinity : s; // ∞ − ∞: no finite lower bound
        double e = TwoSumError(a, b, s);
        return e < 0 ? Math.BitDecrement(s) : s;
    }

    /// <summary>Smallest double ≥ a + b (exact when a + b is a double; +∞ for ∞ + (−∞), whose operands stand for values beyond the range).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double AddUp(double a, double b)
    {
        double s = a + b;
        if (!double.IsFinite(s)) return double.IsNegativeInfinity(s) && double.IsFinite(a) && double.IsFinite(b) ? -double.MaxValue
            : double.IsNaN(s) && !double.IsNaN(a) && !double.IsNaN(b) ? double.PositiveInfinity : s; // ∞ − ∞: no finite upper bound
        double e = TwoSumError(a, b, s);
        return e > 0 ? Math.BitIncrement(s) : s;
    }

    /// <summary>Largest double ≤ a − b.</summary>
    public static double SubDown(double a, double b) => AddDown(a, -b);

    /// <summary>Smallest double ≥ a − b.</summary>
    public static double SubUp(double a, double b) => AddUp(a, -b);

    /// <summary>Whether a − b is exactly a double: then <paramref name="difference"/> = fl(a − b) is it (TwoSum's error
    /// term is 0); false when the difference overflows.</summary>
    public static bool SubIsExact(double a, double b, out double difference)
    {
        difference = a - b;
        return double.IsFinite(difference) && TwoSumError(a, -b, difference) == 0;
    }

    /// <summary>Largest double ≤ a·b, with 0·∞ = 0 (exact when a·b is a double, in particular when a or b is 0 or a power of two without underflow).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double MulDown(double a, double b) => Mul(a, b, up: false);

    /// <summary>Smallest double ≥ a·b, with 0·∞ = 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double MulUp(double a, double b) => Mul(a, b, up: true);

    /// <summary>Largest double ≤ min [a1, a2]·[b1, b2] (the smallest corner product, rounded down: rounding is
    /// monotone, so this is the tightest; exact when that product is a double).</summary>
    public static double ProductDown(double a1, double a2, double b1, double b2) =>
        Math.Min(Math.Min(MulDown(a1, b1), MulDown(a1, b2)), Math.Min(MulDown(a2, b1), MulDown(a2, b2)));

    /// <summary>Smallest double ≥ max [a1, a2]·[b1, b2].</summary>
    public static double ProductUp(double a1, double a2, double b1, double b2) =>
        Math.Max(Math.Max(MulUp(a1, b1), MulUp(a1, b2)), Math.Max(MulUp(a2, b1), MulUp(a2, b2)));

    /// <summary>Largest double ≤ a/b for b ≠ 0, with x/±∞ = 0. Throws for b = 0, NaN or ∞/∞.</summary>
    public static double DivDown(double a, double b) => Div(a, b, up: false);

    /// <summary>Smallest double ≥ a/b for b ≠ 0, with x/±∞ = 0. Throws for b = 0, NaN or ∞/∞.</summary>
    public static double DivUp(double a, double b) => Div(a, b, up: true);

    /// <summary>Largest double ≤ √x for x ≥ 0.</summary>
    public static double SqrtDown(double x) => Sqrt(x, up: false);

    /// <summary>Smallest double ≥ √x for x ≥ 0.</summary>
    public static double SqrtUp(double x) => Sqrt(x, up: true);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double Mul(double a, double b, bool up)
    {
        // Fast path, inlined into the bounders' hot loops: a finite product of normal size has finite non-zero
        // operands, so the general path below would take exactly this branch.
        double f = a * b;
        if (Math.Abs(f) >= ResidualExactThreshold && Math.Abs(f) <= double.MaxValue)
            return Directed(f, Math.FusedMultiplyAdd(a, b, -f), up);
        return MulGeneral(a, b, up);
    }

    private static double MulGeneral(double a, double b, bool up)
    {
        if (a == 0 || b == 0) return 0.0;
        double p = a * b;
        if (double.IsNaN(p)) throw new ArgumentException("NaN operand in a directed product.");
        if (!double.IsFinite(a) || !double.IsFinite(b)) return p; // ±∞ exactly
        if (double.IsInfinity(p)) return Overflowed(p, up);
        if (Math.Abs(p) >= ResidualExactThreshold)
            return Directed(p, Math.FusedMultiplyAdd(a, b, -p), up); // residual a·b − p is exact here
        // Near underflow the residual itself may underflow: redo the product on significands in [1, 2)
        // and scale back with one directed rounding.
        int ea = Math.ILogB(a), eb = Math.ILogB(b);
        double ma = Math.ScaleB(a, -ea), mb = Math.ScaleB(b, -eb);
        double q = ma * mb;
        return ScaleDirected(Directed(q, Math.FusedMultiplyAdd(ma, mb, -q), up), ea + eb, up);
    }

    private static double Div(double a, double b, bool up)
    {
        if (b == 0 || double.IsNaN(a) || double.IsNaN(b)) throw new ArgumentException("Division by zero or NaN in a directed division.");
        if (double.IsInfinity(a) && double.IsInfinity(b)) throw new ArgumentException("∞/∞ has no value.");
        if (a == 0 || double.IsInfinity(b)) return 0.0;  // exact (x/±∞ = 0 as a limit)
        double q = a / b;
        if (double.IsInfinity(a)) return q;              // ±∞ exactly
        if (double.IsInfinity(q)) return Overflowed(q, up);
        if (Math.Abs(a) >= ResidualExactThreshold && Math.Abs(q) >= MinNormal)
        {
            double r = Math.FusedMultiplyAdd(-q, b, a); // a − q·b, exact here; sign(a/b − q) = sign(r)·sign(b)
            return Directed(q, b > 0 ? r : -r, up);
        }
        int ea = Math.ILogB(a), eb = Math.ILogB(b);
        double ma = Math.ScaleB(a, -ea), mb = Math.ScaleB(b, -eb);
        double qm = ma / mb;
        double rm = Math.FusedMultiplyAdd(-qm, mb, ma);
        return ScaleDirected(Directed(qm, mb > 0 ? rm : -rm, up), ea - eb, up);
    }

    private static double Sqrt(double x, bool up)
    {
        if (!(x >= 0)) throw new ArgumentException("Square root of a negative number or NaN.");
        if (x == 0 || double.IsPositiveInfinity(x)) return Math.Sqrt(x) + 0.0;
        double s = Math.Sqrt(x);
        if (x >= ResidualExactThreshold)
            return Math.Max(0.0, Directed(s, -Math.FusedMultiplyAdd(s, s, -x), up)); // x − s², exact here
        int e = Math.ILogB(x) & ~1; // even, so that √(2^e) = 2^(e/2)
        double m = Math.ScaleB(x, -e);
        double sm = Math.Sqrt(m);
        return ScaleDirected(Directed(sm, -Math.FusedMultiplyAdd(sm, sm, -m), up), e / 2, up);
    }

    /// <summary>The directed rounding of exact = v + residual, given the RN value v and the sign of the residual.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double Directed(double v, double residual, bool up)
    {
        if (up) return residual > 0 ? Math.BitIncrement(v) : v;
        return residual < 0 ? Math.BitDecrement(v) : v;
    }

    /// <summary>The directed rounding of d·2^k (d finite, non-zero, of moderate magnitude).</summary>
    private static double ScaleDirected(double d, int k, bool up)
    {
        double z = Math.ScaleB(d, k);
        if (double.IsInfinity(z)) return Overflowed(z, up);
        // Scaling back is exact (z is at least as precise as the grid at d's magnitude), so the comparison
        // tells on which side of d·2^k the (round-to-nearest) z fell.
        double back = Math.ScaleB(z, -k);
        if (up) return back < d ? Math.BitIncrement(z) : z + 0.0;
        return back > d ? Math.BitDecrement(z) : z + 0.0;
    }

    /// <summary>The directed bound for an exact value beyond ±MaxValue whose RN image is <paramref name="inf"/>.</summary>
    private static double Overflowed(double inf, bool up) =>
        inf > 0 ? (up ? inf : double.MaxValue) : (up ? -double.MaxValue : inf);

    /// <summary>The exact rounding error (a + b) − s of s = fl(a + b), finite (Dekker's FastTwoSum after ordering by magnitude; error-free in binary).</summary>
    private static double TwoSumError(double a, double b, double s)
    {
        if (Math.Abs(a) < Math.Abs(b)) (a, b) = (b, a);
        return b - (s - a);
    }

    private const double MinNormal = 2.2250738585072014E-308;

    /// <summary>
    /// Whether the exact real <paramref name="x"/> − <paramref name="origin"/> lies in [lo, hi], decided without
    /// rounding error (TwoSum gives the difference as an unevaluated sum). Infinite or NaN <paramref name="x"/> is never within.
    /// </summary>
    public static bool DifferenceWithin(double origin, double x, double lo, double hi)
    {
        if (x == origin) return lo <= 0 && 0 <= hi;
        if (!double.IsFinite(x) || !double.IsFinite(origin)) return false;
        double s = x - origin;
        if (!double.IsFinite(s)) return false; // |x − origin| > MaxValue: beyond any finite bound
        double e = TwoSumError(x, -origin, s);
        bool belowHi = s < hi || (s == hi && e <= 0);
        bool aboveLo = s > lo || (s == lo && e >= 0);
        return belowHi && aboveLo;
    }

    /// <summary>
    /// The double closest to <paramref name="candidate"/> on the way from <paramref name="origin"/> to it whose exact
    /// difference to <paramref name="origin"/> lies in [lo, hi] (lo ≤ 0 ≤ hi, so <paramref name="origin"/> itself
    /// always qualifies). This is how a perturbed parameter computed in floating point is pulled back into its
    /// admissible set: rounding θ + δ may step outside by an ulp, and the result must lie inside exactly.
    /// A NaN candidate gives <paramref name="origin"/>.
    /// </summary>
    public static double ClosestWithDifferenceIn(double origin, double candidate, double lo, double hi)
    {
        if (!(lo <= 0 && 0 <= hi)) throw new ArgumentException("the admissible differences must contain 0");
        if (double.IsNaN(candidate) || !double.IsFinite(origin)) return origin;
        if (DifferenceWithin(origin, candidate, lo, hi)) return candidate;
        // The admissible doubles between origin and candidate form a prefix of that path (x − origin is monotone
        // along it), so bisect over the doubles in between, ordered by their bit patterns.
        long good = OrderedBits(origin), bad = OrderedBits(candidate);
        while (Int128.Abs((Int128)bad - good) > 1) // the span of two signs overflows a long
        {
            long mid = (long)(((Int128)good + bad) / 2);
            if (DifferenceWithin(origin, FromOrderedBits(mid), lo, hi)) good = mid; else bad = mid;
        }
        return FromOrderedBits(good);
    }

    /// <summary>A monotone map of doubles (not NaN) to integers: x &lt; y ⇔ OrderedBits(x) &lt; OrderedBits(y); ±0 both map to 0.</summary>
    private static long OrderedBits(double x)
    {
        long b = BitConverter.DoubleToInt64Bits(x);
        return b < 0 ? -(b & long.MaxValue) : b;
    }

    private static double FromOrderedBits(long o) =>
        o < 0 ? BitConverter.Int64BitsToDouble(-o | long.MinValue) : BitConverter.Int64BitsToDouble(o);
}
