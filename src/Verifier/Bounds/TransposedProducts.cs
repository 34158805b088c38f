using System.Numerics;
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
