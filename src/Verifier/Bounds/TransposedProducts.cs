using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Verify.Bounds;

/// <summary>
/// The products of one backward affine step, fused: ch = Σ_i c_i W_i, cd = Σ_i d_i W_i, pos = Σ_i d_i·(d_i &gt; 0 ?
/// Hi_i : Lo_i) and neg = Σ_i d_i·(d_i &gt; 0 ? Lo_i : Hi_i) over the rows i of row-major matrices (W, δW's upper Hi
/// and lower Lo corners), the sums running over the rows with a non-zero coefficient.
/// BIT-IDENTICAL to clearing the outputs and adding a·x row by row (y += a·x in round-to-nearest, no fused multiply-add): every output entry gets
/// the same round-to-nearest products added in the same row order (separate multiply and add, no fused multiply-add),
/// only the partial sums stay in registers across the rows instead of being stored and reloaded per row. The rounding
/// error of these sums is accounted for by the callers' γ·Σ|c||W| terms, which do not depend on how the sum is stored.
/// </summary>
public static class TransposedProducts
{
    /// <summary>Rows with a non-zero coefficient, in order (into <paramref name="rows"/>; returns their count).</summary>
    public static int NonZeroRows(ReadOnlySpan<double> coef, Span<int> rows)
    {
        int n = 0;
        for (int i = 0; i < coef.Length; i++)
            if (coef[i] != 0) rows[n++] = i;
        return n;
    }

    /// <summary>out = Σ_{i in rows} coef_i · M_i (row-major M with <paramref name="nIn"/> columns).</summary>
    public static void Combine(ReadOnlySpan<double> coef, ReadOnlySpan<int> rows, ReadOnlySpan<double> m, int nIn, Span<double> output)
    {
        ref double mr = ref MemoryMarshal.GetReference(m);
        int w = Vector<double>.Count, j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 2 * w <= nIn; j += 2 * w)
            {
                var a0 = Vector<double>.Zero; var a1 = Vector<double>.Zero;
                foreach (int i in rows)
                {
                    var c = new Vector<double>(coef[i]);
                    nuint o = (nuint)(i * nIn + j);
                    a0 += c * Vector.LoadUnsafe(ref mr, o);
                    a1 += c * Vector.LoadUnsafe(ref mr, o + (nuint)w);
                }
                a0.CopyTo(output.Slice(j, w)); a1.CopyTo(output.Slice(j + w, w));
            }
            for (; j + w <= nIn; j += w)
            {
                var a0 = Vector<double>.Zero;
                foreach (int i in rows) a0 += new Vector<double>(coef[i]) * Vector.LoadUnsafe(ref mr, (nuint)(i * nIn + j));
                a0.CopyTo(output.Slice(j, w));
            }
        }
        for (; j < nIn; j++)
        {
            double a = 0;
            foreach (int i in rows) a += coef[i] * Unsafe.Add(ref mr, i * nIn + j);
            output[j] = a;
        }
    }

    /// <summary>Rows where either coefficient vector is non-zero, in order (into <paramref name="rows"/>; returns their count).</summary>
    public static int NonZeroRows(ReadOnlySpan<double> c, ReadOnlySpan<double> d, Span<int> rows)
    {
        int n = 0;
        for (int i = 0; i < c.Length; i++)
            if (c[i] != 0 || d[i] != 0) rows[n++] = i;
        return n;
    }

    /// <summary>
    /// <see cref="Combine"/> of c and of d with M, and pos = Σ d_i·(d_i &gt; 0 ? Hi_i : Lo_i), in one sweep over the rows
    /// (each row of M loaded once for both sums). The rows are the union of both non-zero sets: a zero coefficient adds
    /// an exact zero, so every output is the same number the separate sums give.
    /// </summary>
    public static void CombineBoth(ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<int> rows, ReadOnlySpan<double> m,
                                   ReadOnlySpan<double> hi, ReadOnlySpan<double> lo, int nIn, Span<double> ch, Span<double> cd, Span<double> pos)
    {
        ref double mr = ref MemoryMarshal.GetReference(m);
        ref double hr = ref MemoryMarshal.GetReference(hi);
        ref double lr = ref MemoryMarshal.GetReference(lo);
        int w = Vector<double>.Count, j = 0;
        if (Vector512.IsHardwareAccelerated && w < Vector512<double>.Count)
        {
            // Vector<T> stays 256 bits wide unless DOTNET_MaxVectorTBitWidth says otherwise; where the processor has
            // 512-bit registers the columns go eight at a time (measured ~14 % faster leaves; every output is the same
            // sum in the same row order, whatever the width).
            const int v = 8;
            for (; j + 2 * v <= nIn; j += 2 * v)
            {
                var c0 = Vector512<double>.Zero; var c1 = c0; var d0 = c0; var d1 = c0; var p0 = c0; var p1 = c0;
                foreach (int i in rows)
                {
                    double di = d[i];
                    var cv = Vector512.Create(c[i]); var dv = Vector512.Create(di);
                    nuint o = (nuint)(i * nIn + j);
                    var m0 = Vector512.LoadUnsafe(ref mr, o); var m1 = Vector512.LoadUnsafe(ref mr, o + v);
                    c0 += cv * m0; c1 += cv * m1;
                    d0 += dv * m0; d1 += dv * m1;
                    ref double r = ref di > 0 ? ref hr : ref lr;
                    p0 += dv * Vector512.LoadUnsafe(ref r, o); p1 += dv * Vector512.LoadUnsafe(ref r, o + v);
                }
                c0.CopyTo(ch.Slice(j, v)); c1.CopyTo(ch.Slice(j + v, v));
                d0.CopyTo(cd.Slice(j, v)); d1.CopyTo(cd.Slice(j + v, v));
                p0.CopyTo(pos.Slice(j, v)); p1.CopyTo(pos.Slice(j + v, v));
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 2 * w <= nIn; j += 2 * w)
            {
                var c0 = Vector<double>.Zero; var c1 = c0; var d0 = c0; var d1 = c0; var p0 = c0; var p1 = c0;
                foreach (int i in rows)
                {
                    double ci = c[i], di = d[i];
                    var cv = new Vector<double>(ci); var dv = new Vector<double>(di);
                    nuint o = (nuint)(i * nIn + j);
                    var m0 = Vector.LoadUnsafe(ref mr, o); var m1 = Vector.LoadUnsafe(ref mr, o + (nuint)w);
                    c0 += cv * m0; c1 += cv * m1;
                    d0 += dv * m0; d1 += dv * m1;
                    ref double r = ref di > 0 ? ref hr : ref lr;
                    p0 += dv * Vector.LoadUnsafe(ref r, o); p1 += dv * Vector.LoadUnsafe(ref r, o + (nuint)w);
                }
                c0.CopyTo(ch.Slice(j, w)); c1.CopyTo(ch.Slice(j + w, w));
                d0.CopyTo(cd.Slice(j, w)); d1.CopyTo(cd.Slice(j + w, w));
                p0.CopyTo(pos.Slice(j, w)); p1.CopyTo(pos.Slice(j + w, w));
            }
        }
        for (; j < nIn; j++)
        {
            double a = 0, b = 0, p = 0;
            foreach (int i in rows)
            {
                double di = d[i];
                int o = i * nIn + j;
                double mv = Unsafe.Add(ref mr, o);
                a += c[i] * mv; b += di * mv;
                p += di * (di > 0 ? Unsafe.Add(ref hr, o) : Unsafe.Add(ref lr, o));
            }
            ch[j] = a; cd[j] = b; pos[j] = p;
        }
    }

    /// <summary>pos = Σ_{i in rows} d_i·(d_i &gt; 0 ? Hi_i : Lo_i), and with <paramref name="withNeg"/> also
    /// neg = Σ d_i·(d_i &gt; 0 ? Lo_i : Hi_i).</summary>
    public static void Corners(ReadOnlySpan<double> d, ReadOnlySpan<int> rows, ReadOnlySpan<double> hi, ReadOnlySpan<double> lo,
                               int nIn, Span<double> pos, Span<double> neg, bool withNeg)
    {
        ref double hr = ref MemoryMarshal.GetReference(hi);
        ref double lr = ref MemoryMarshal.GetReference(lo);
        int w = Vector<double>.Count, j = 0;
        if (Vector.IsHardwareAccelerated && !withNeg)
        {
            for (; j + 2 * w <= nIn; j += 2 * w)
            {
                var a0 = Vector<double>.Zero; var a1 = Vector<double>.Zero;
                foreach (int i in rows)
                {
                    double di = d[i];
                    var c = new Vector<double>(di);
                    nuint o = (nuint)(i * nIn + j);
                    ref double r = ref di > 0 ? ref hr : ref lr;
                    a0 += c * Vector.LoadUnsafe(ref r, o);
                    a1 += c * Vector.LoadUnsafe(ref r, o + (nuint)w);
                }
                a0.CopyTo(pos.Slice(j, w)); a1.CopyTo(pos.Slice(j + w, w));
            }
            for (; j + w <= nIn; j += w)
            {
                var a0 = Vector<double>.Zero;
                foreach (int i in rows)
                {
                    double di = d[i];
                    a0 += new Vector<double>(di) * Vector.LoadUnsafe(ref di > 0 ? ref hr : ref lr, (nuint)(i * nIn + j));
                }
                a0.CopyTo(pos.Slice(j, w));
            }
        }
        for (; j < nIn; j++)
        {
            double p = 0, q = 0;
            foreach (int i in rows)
            {
                double di = d[i];
                int o = i * nIn + j;
                double h = Unsafe.Add(ref hr, o), l = Unsafe.Add(ref lr, o);
                p += di * (di > 0 ? h : l);
                q += di * (di > 0 ? l : h);
            }
            pos[j] = p;
            if (withNeg) neg[j] = q;
        }
    }
}
