using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Verify.Model;

namespace Verify.Sensitivity;

/// <summary>
/// Dense layers applied to a batch of columns at once: Z = W·H + b with H stored row-major as [neuron, sample]
/// (stride <c>batch</c>), so the inner loop runs along samples and vectorises. The batch width must be a multiple
/// of 8. A 4-row × 8-column register block keeps one row group of W and one column block of H in L1.
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
            for (; i + 4 <= m; i += 4)
            {
                var a00 = Vector256.Create(bias[i]); var a01 = a00;
                var a10 = Vector256.Create(bias[i + 1]); var a11 = a10;
                var a20 = Vector256.Create(bias[i + 2]); var a21 = a20;
                var a30 = Vector256.Create(bias[i + 3]); var a31 = a30;
                int w0 = i * n;
                for (int k = 0; k < n; k++)
                {
                    var h0 = Vector256.LoadUnsafe(ref H, (nuint)(k * batch + c));
                    var h1 = Vector256.LoadUnsafe(ref H, (nuint)(k * batch + c + 4));
                    var b0 = Vector256.Create(Unsafe.Add(ref W, w0 + k));
                    var b1 = Vector256.Create(Unsafe.Add(ref W, w0 + n + k));
                    var b2 = Vector256.Create(Unsafe.Add(ref W, w0 + 2 * n + k));
                    var b3 = Vector256.Create(Unsafe.Add(ref W, w0 + 3 * n + k));
                    a00 = Vector256.FusedMultiplyAdd(b0, h0, a00); a01 = Vector256.FusedMultiplyAdd(b0, h1, a01);
                    a10 = Vector256.FusedMultiplyAdd(b1, h0, a10); a11 = Vector256.FusedMultiplyAdd(b1, h1, a11);
                    a20 = Vector256.FusedMultiplyAdd(b2, h0, a20); a21 = Vector256.FusedMultiplyAdd(b2, h1, a21);
                    a30 = Vector256.FusedMultiplyAdd(b3, h0, a30); a31 = Vector256.FusedMultiplyAdd(b3, h1, a31);
                }
                a00.StoreUnsafe(ref Z, (nuint)(i * batch + c)); a01.StoreUnsafe(ref Z, (nuint)(i * batch + c + 4));
                a10.StoreUnsafe(ref Z, (nuint)((i + 1) * batch + c)); a11.StoreUnsafe(ref Z, (nuint)((i + 1) * batch + c + 4));
                a20.StoreUnsafe(ref Z, (nuint)((i + 2) * batch + c)); a21.StoreUnsafe(ref Z, (nuint)((i + 2) * batch + c + 4));
                a30.StoreUnsafe(ref Z, (nuint)((i + 3) * batch + c)); a31.StoreUnsafe(ref Z, (nuint)((i + 3) * batch + c + 4));
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
        if (act.Kind == ActivationKind.Identity) return;
        int s = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<double>.Zero;
            var slope = Vector256.Create(act.Kind == ActivationKind.Relu ? 0.0 : act.Slope);
            for (; s + 4 <= count; s += 4)
            {
                var v = Vector256.Create(z.AsSpan(s, 4));
                var r = Vector256.ConditionalSelect(Vector256.GreaterThan(v, zero), v, v * slope);
                r.CopyTo(z.AsSpan(s, 4));
            }
        }
        for (; s < count; s++) z[s] = act.Apply(z[s]);
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
