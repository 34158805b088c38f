using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Intervals;

/// <summary>
/// The vectorised round-to-nearest sums behind every fused dot product. They compute plain floating-point
/// sums in whatever order is fastest; soundness comes entirely from <see cref="DotErrorBound"/>, whose
/// a-priori bound holds for every summation order (see there). Callers guarantee equal span lengths.
/// </summary>
internal static class DotKernels
{
    /// <summary>c = Σ a_i b_i and s = Σ |a_i|·|b_i|, both in round-to-nearest.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, out double s)
    {
        int n = a.Length, w = Vector<double>.Count, i = 0;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        var c0 = Vector<double>.Zero; var c1 = Vector<double>.Zero;
        var s0 = Vector<double>.Zero; var s1 = Vector<double>.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            var x0 = Vector.LoadUnsafe(ref ra, (nuint)i); var y0 = Vector.LoadUnsafe(ref rb, (nuint)i);
            var x1 = Vector.LoadUnsafe(ref ra, (nuint)(i + w)); var y1 = Vector.LoadUnsafe(ref rb, (nuint)(i + w));
            c0 = Vector.FusedMultiplyAdd(x0, y0, c0); c1 = Vector.FusedMultiplyAdd(x1, y1, c1);
            s0 = Vector.FusedMultiplyAdd(Vector.Abs(x0), Vector.Abs(y0), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.Abs(x1), Vector.Abs(y1), s1);
        }
        double c = Vector.Sum(c0 + c1);
        s = Vector.Sum(s0 + s1);
        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref ra, i), y = Unsafe.Add(ref rb, i);
            c = Math.FusedMultiplyAdd(x, y, c);
            s = Math.FusedMultiplyAdd(Math.Abs(x), Math.Abs(y), s);
        }
        return c;
    }

    /// <summary>c = Σ w_i m_i, r = Σ |w_i|·rad_i, s = Σ |w_i|·|m_i| (point row times a midpoint-radius vector).</summary>
    public static double MidRad(ReadOnlySpan<double> row, ReadOnlySpan<double> mid, ReadOnlySpan<double> rad,
                                out double r, out double s)
    {
        int n = row.Length, w = Vector<double>.Count, i = 0;
        ref double rw = ref MemoryMarshal.GetReference(row);
        ref double rm = ref MemoryMarshal.GetReference(mid);
        ref double rr = ref MemoryMarshal.GetReference(rad);
        var c0 = Vector<double>.Zero; var c1 = Vector<double>.Zero;
        var r0 = Vector<double>.Zero; var r1 = Vector<double>.Zero;
        var s0 = Vector<double>.Zero; var s1 = Vector<double>.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            var w0 = Vector.LoadUnsafe(ref rw, (nuint)i); var w1 = Vector.LoadUnsafe(ref rw, (nuint)(i + w));
            var m0 = Vector.LoadUnsafe(ref rm, (nuint)i); var m1 = Vector.LoadUnsafe(ref rm, (nuint)(i + w));
            var a0 = Vector.Abs(w0); var a1 = Vector.Abs(w1);
            c0 = Vector.FusedMultiplyAdd(w0, m0, c0); c1 = Vector.FusedMultiplyAdd(w1, m1, c1);
            r0 = Vector.FusedMultiplyAdd(a0, Vector.LoadUnsafe(ref rr, (nuint)i), r0);
            r1 = Vector.FusedMultiplyAdd(a1, Vector.LoadUnsafe(ref rr, (nuint)(i + w)), r1);
            s0 = Vector.FusedMultiplyAdd(a0, Vector.Abs(m0), s0);
            s1 = Vector.FusedMultiplyAdd(a1, Vector.Abs(m1), s1);
        }
        double c = Vector.Sum(c0 + c1);
        r = Vector.Sum(r0 + r1);
        s = Vector.Sum(s0 + s1);
        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref rw, i), m = Unsafe.Add(ref rm, i), a = Math.Abs(x);
            c = Math.FusedMultiplyAdd(x, m, c);
            r = Math.FusedMultiplyAdd(a, Unsafe.Add(ref rr, i), r);
            s = Math.FusedMultiplyAdd(a, Math.Abs(m), s);
        }
        return c;
    }

    /// <summary>
    /// Rump's midpoint-radius product of an interval row [mA ± rA] and an interval vector [mx ± rx]:
    /// c = Σ mA_i mx_i, r = Σ (|mA_i|·rx_i + rA_i·ux_i) with ux ≥ |mx| + rx (2n terms), s = Σ |mA_i|·|mx_i|.
    /// </summary>
    public static double MidRadInterval(ReadOnlySpan<double> midA, ReadOnlySpan<double> radA,
                                        ReadOnlySpan<double> midX, ReadOnlySpan<double> radX, ReadOnlySpan<double> magX,
                                        out double r, out double s)
    {
        int n = midA.Length, w = Vector<double>.Count, i = 0;
        ref double rma = ref MemoryMarshal.GetReference(midA);
        ref double rra = ref MemoryMarshal.GetReference(radA);
        ref double rmx = ref MemoryMarshal.GetReference(midX);
        ref double rrx = ref MemoryMarshal.GetReference(radX);
        ref double rux = ref MemoryMarshal.GetReference(magX);
        var cv = Vector<double>.Zero; var rv = Vector<double>.Zero; var sv = Vector<double>.Zero;
        for (; i <= n - w; i += w)
        {
            var ma = Vector.LoadUnsafe(ref rma, (nuint)i); var mx = Vector.LoadUnsafe(ref rmx, (nuint)i);
            var am = Vector.Abs(ma);
            cv = Vector.FusedMultiplyAdd(ma, mx, cv);
            rv = Vector.FusedMultiplyAdd(am, Vector.LoadUnsafe(ref rrx, (nuint)i), rv);
            rv = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref rra, (nuint)i), Vector.LoadUnsafe(ref rux, (nuint)i), rv);
            sv = Vector.FusedMultiplyAdd(am, Vector.Abs(mx), sv);
        }
        double c = Vector.Sum(cv);
        r = Vector.Sum(rv);
        s = Vector.Sum(sv);
        for (; i < n; i++)
        {
            double ma = Unsafe.Add(ref rma, i), mx = Unsafe.Add(ref rmx, i), am = Math.Abs(ma);
            c = Math.FusedMultiplyAdd(ma, mx, c);
            r = Math.FusedMultiplyAdd(am, Unsafe.Add(ref rrx, i), r);
            r = Math.FusedMultiplyAdd(Unsafe.Add(ref rra, i), Unsafe.Add(ref rux, i), r);
            s = Math.FusedMultiplyAdd(am, Math.Abs(mx), s);
        }
        return c;
    }
}
