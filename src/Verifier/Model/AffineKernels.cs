namespace Verify.Model;

/// <summary>
/// The dense affine map z = W·h + b and its transpose g ↦ Wᵀ·g on row-major weights, in plain double arithmetic (the
/// one forward and one backward kernel of every double-precision pass; they only steer heuristics or evaluate, never
/// certify). The summation order is fixed: bias first, then inputs in index order.
/// </summary>
public static class AffineKernels
{
    /// <summary>z_i = b_i + Σ_j W_ij·h_j.</summary>
    public static void Forward(ReadOnlySpan<double> w, ReadOnlySpan<double> b, int inputs, ReadOnlySpan<double> h, Span<double> z)
    {
        for (int i = 0; i < z.Length; i++)
        {
            var row = w.Slice(i * inputs, inputs);
            double s = b[i];
            for (int j = 0; j < row.Length; j++) s += row[j] * h[j];
            z[i] = s;
        }
    }

    /// <summary>into_j = Σ_i g_i·W_ij (rows with g_i = 0 skipped): the backward step of a gradient.</summary>
    public static void Transpose(ReadOnlySpan<double> w, int inputs, ReadOnlySpan<double> g, Span<double> into)
    {
        into.Clear();
        for (int i = 0; i < g.Length; i++)
        {
            double gi = g[i];
            if (gi == 0) continue;
            var row = w.Slice(i * inputs, inputs);
            for (int j = 0; j < inputs; j++) into[j] += gi * row[j];
        }
    }
}
