using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Verify.Model;

namespace Verify.Sensitivity;

/// <summary>
/// Dense layers applied to a batch of columns at once: Z = W·H + b with H stored row-major as [neuron, sample]
/// (stride <c>batch</c>), so the inner loop runs along samples and vectorises. The batch width must be a multiple
/// of 8. A 6-row × 8-column register block (12 accumulators) keeps one row group of W and one column block of H in L1.
/// </summary>
public static class BatchKernel
{
    public const int Lanes = 8;

    public static void Affine(DenseLayer layer, double[] weights, double[] h, double[] z, int batch)
    {
        int m = layer.Outputs, n = layer.Inputs;
        var bias = layer.Bias;
        if (!Vector256.IsHardwareAccelerated) { AffineScalar(m, n, weights, bias, h, z, batch); return; }
        ref double W = ref weights[0];
        ref double H = ref h[0];
        ref double Z = ref z[0];
        for (int c = 0; c < batch; c += Lanes)
        {
            int i = 0;
            for (; i + 6 <= m; i += 6)
            {
                var a00 = Vector256.Create(bias[i]); var a01 = a00;
                var a10 = Vector256.Create(bias[i + 1]); var a11 = a10;
                var a20 = Vector256.Create(bias[i + 2]); var a21 = a20;
                var a30 = Vector256.Create(bias[i + 3]); var a31 = a30;
                var a40 = Vector256.Create(bias[i + 4]); var a41 = a40;
                var a50 = Vector256.Create(bias[i + 5]); var a51 = a50;
                ref double w0 = ref Unsafe.Add(ref W, i * n);
                ref double hc = ref Unsafe.Add(ref H, c);
                for (int k = 0; k < n; k++)
                {
                    var h0 = Vector256.LoadUnsafe(ref hc, (nuint)(k * batch));
                    var h1 = Vector256.LoadUnsafe(ref hc, (nuint)(k * batch + 4));
                    ref double wk = ref Unsafe.Add(ref w0, k);
                    var b = Vector256.Create(wk);
                    a00 = Vector256.FusedMultiplyAdd(b, h0, a00); a01 = Vector256.FusedMultiplyAdd(b, h1, a01);
                    b = Vector256.Create(Unsafe.Add(ref wk, n));
                    a10 = Vector256.FusedMultiplyAdd(b, h0, a10); a11 = Vector256.FusedMultiplyAdd(b, h1, a11);
                    b = Vector256.Create(Unsafe.Add(ref wk, 2 * n));
                    a20 = Vector256.FusedMultiplyAdd(b, h0, a20); a21 = Vector256.FusedMultiplyAdd(b, h1, a21);
                    b = Vector256.Create(Unsafe.Add(ref wk, 3 * n));
                    a30 = Vector256.FusedMultiplyAdd(b, h0, a30); a31 = Vector256.FusedMultiplyAdd(b, h1, a31);
                    b = Vector256.Create(Unsafe.Add(ref wk, 4 * n));
                    a40 = Vector256.FusedMultiplyAdd(b, h0, a40); a41 = Vector256.FusedMultiplyAdd(b, h1, a41);
                    b = Vector256.Create(Unsafe.Add(ref wk, 5 * n));
                    a50 = Vector256.FusedMultiplyAdd(b, h0, a50); a51 = Vector256.FusedMultiplyAdd(b, h1, a51);
                }
                ref double zc = ref Unsafe.Add(ref Z, i * batch + c);
                a00.StoreUnsafe(ref zc, 0); a01.StoreUnsafe(ref zc, 4);
                a10.StoreUnsafe(ref zc, (nuint)batch); a11.StoreUnsafe(ref zc, (nuint)(batch + 4));
                a20.StoreUnsafe(ref zc, (nuint)(2 * batch)); a21.StoreUnsafe(ref zc, (nuint)(2 * batch + 4));
                a30.StoreUnsafe(ref zc, (nuint)(3 * batch)); a31.StoreUnsafe(ref zc, (nuint)(3 * batch + 4));
                a40.StoreUnsafe(ref zc, (nuint)(4 * batch)); a41.StoreUnsafe(ref zc, (nuint)(4 * batch + 4));
                a50.StoreUnsafe(ref zc, (nuint)(5 * batch)); a51.StoreUnsafe(ref zc, (nuint)(5 * batch + 4));
            }
            for (; i < m; i++)
            {
                var a0 = Vector256.Create(bias[i]); var a1 = a0;
                int w0 = i * n;
                for (int k = 0; k < n; k++)
                {
                    var b0 = Vector256.Create(Unsafe.Add(ref W, w0 + k));
                    a0 = Vector256.FusedMultiplyAdd(b0, Vector256.LoadUnsafe(ref H, (nuint)(k * batch + c)), a0);
                    a1 = Vector256.FusedMultiplyAdd(b0, Vector256.LoadUnsafe(ref H, (nuint)(k * batch + c + 4)), a1);
                }
                a0.StoreUnsafe(ref Z, (nuint)(i * batch + c)); a1.StoreUnsafe(ref Z, (nuint)(i * batch + c + 4));
            }
        }
    }

    private static void AffineScalar(int m, int n, double[] w, ReadOnlySpan<double> bias, double[] h, double[] z, int batch)
    {
        for (int i = 0; i < m; i++)
        {
            var zi = z.AsSpan(i * batch, batch);
            zi.Fill(bias[i]);
            for (int k = 0; k < n; k++)
            {
                double wik = w[i * n + k];
                if (wik == 0) continue;
                var hk = h.AsSpan(k * batch, batch);
                for (int s = 0; s < batch; s++) zi[s] += wik * hk[s];
            }
        }
    }

    /// <summary>Applies the activation in place to the first <paramref name="count"/> entries.</summary>
    public static void Activate(Activation act, double[] z, int count)
    {
        var op = act.Operator;
        if (op.IsIdentity) return;
        int s = 0;
        // The vector path is the kink shape with P = 1 (every kinked activation today), N the slope below 0.
        if (Vector256.IsHardwareAccelerated && op.Kink.P == 1)
        {
            var zero = Vector256<double>.Zero;
            var slope = Vector256.Create(op.Kink.N);
            for (; s + 4 <= count; s += 4)
            {
                var v = Vector256.Create(z.AsSpan(s, 4));
                var r = Vector256.ConditionalSelect(Vector256.GreaterThan(v, zero), v, v * slope);
                r.CopyTo(z.AsSpan(s, 4));
            }
        }
        for (; s < count; s++) z[s] = op.Apply(z[s]);
    }

    /// <summary>Copies the column vector <paramref name="v"/> into every column of an [v.Length, batch] matrix.</summary>
    public static void Broadcast(ReadOnlySpan<double> v, double[] m, int batch)
    {
        for (int i = 0; i < v.Length; i++) m.AsSpan(i * batch, batch).Fill(v[i]);
    }

    /// <summary>Per column: ‖Y[:,s] − y0‖∞ and ‖Y[:,s] − y0‖₂ for s &lt; count.</summary>
    public static void Deviations(double[] y, ReadOnlySpan<double> y0, int batch, int count, Span<double> inf, Span<double> l2)
    {
        inf[..count].Clear(); l2[..count].Clear();
        for (int j = 0; j < y0.Length; j++)
        {
            var row = y.AsSpan(j * batch, count);
            double c = y0[j];
            for (int s = 0; s < count; s++)
            {
                double d = row[s] - c;
                double a = Math.Abs(d);
                if (a > inf[s]) inf[s] = a;
                l2[s] += d * d;
            }
        }
        for (int s = 0; s < count; s++) l2[s] = Math.Sqrt(l2[s]);
    }
}
