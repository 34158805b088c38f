using Verify.Results;

namespace Verify.Sensitivity;

/// <summary>The <see cref="FirstOrderPrediction"/> at x: Δf ≈ J·η drawn with the run's own noise.</summary>
public static class FirstOrderAnalysis
{
    public static FirstOrderPrediction At(LocalLinearization lin, LayerNoise?[] noise, int samples, ulong seed)
    {
        var net = lin.Network;
        int p = net.OutputSize, batch = DeviationSampler.Batch;
        var rng = new Rng(seed, 0xF1F1UL, 0);
        var df = new double[p * batch];
        double sumInf = 0, sumL2 = 0;
        int done = 0;
        var hb = new double[net.Depth][];
        var dz = new double[net.Depth][];
        for (int l = 0; l < net.Depth; l++)
        {
            if (noise[l] is null) continue;
            hb[l] = new double[lin.Inputs[l].Length * batch];
            BatchKernel.Broadcast(lin.Inputs[l], hb[l], batch);
            dz[l] = new double[net.Layers[l].Outputs * batch];
        }
        var inf = new double[batch]; var l2 = new double[batch];
        var zeros = new double[p];
        while (done < samples)
        {
            int count = Math.Min(batch, samples - done);
            Array.Clear(df);
            for (int l = 0; l < net.Depth; l++)
            {
                if (noise[l] is null) continue;
                Array.Clear(dz[l]);
                noise[l]!.Add(hb[l], dz[l], batch, count, ref rng);
                int m = net.Layers[l].Outputs;
                var a = lin.A[l];
                for (int k = 0; k < p; k++)
                    for (int i = 0; i < m; i++)
                    {
                        double c = a[k * m + i];
                        if (c == 0) continue;
                        for (int s = 0; s < count; s++) df[k * batch + s] += c * dz[l][i * batch + s];
                    }
            }
            BatchKernel.Deviations(df, zeros, batch, count, inf, l2);
            for (int s = 0; s < count; s++) { sumInf += inf[s]; sumL2 += l2[s]; }
            done += count;
        }
        return new FirstOrderPrediction(sumInf / samples, sumL2 / samples, ClosedForm(lin, noise));
    }

    /// <summary>E‖Jη‖₂² = Σ_k Σ_i A_l[k,i]² (Σ_j v_ij h_j² + v_b,i), summed over the noisy layers.</summary>
    private static double? ClosedForm(LocalLinearization lin, LayerNoise?[] noise)
    {
        double total = 0;
        int p = lin.Network.OutputSize;
        for (int l = 0; l < noise.Length; l++)
        {
            if (noise[l] is null) continue;
            if (noise[l]!.EntryVariances is not { } v) return null;
            var h = lin.Inputs[l];
            int m = noise[l]!.Outputs, n = noise[l]!.Inputs;
            for (int i = 0; i < m; i++)
            {
                double vi = v.Biases?[i] ?? 0;
                for (int j = 0; j < n; j++) vi += v.Weights[i * n + j] * h[j] * h[j];
                double col = 0;
                for (int k = 0; k < p; k++) col += lin.A[l][k * m + i] * lin.A[l][k * m + i];
                total += col * vi;
            }
        }
        return Math.Sqrt(total);
    }
}
