namespace Verify.Sensitivity;

/// <summary>Largest singular value of a dense row-major m×n matrix by power iteration on GᵀG (an estimate from below).</summary>
public static class PowerIteration
{
    public static double SpectralNorm(double[] g, int m, int n, double[]? v = null, double[]? u = null)
    {
        v ??= new double[n]; u ??= new double[m];
        for (int j = 0; j < n; j++) v[j] = 1.0 + 0.01 * j;
        double prev = 0, sigma = 0;
        for (int it = 0; it < 500; it++)
        {
            double vv = 0;
            foreach (var a in v) vv += a * a;
            double vn = Math.Sqrt(vv);
            if (vn == 0) return 0;
            for (int j = 0; j < n; j++) v[j] /= vn;
            double uu = 0;
            for (int i = 0; i < m; i++)
            {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += g[i * n + j] * v[j];
                u[i] = acc; uu += acc * acc;
            }
            sigma = Math.Sqrt(uu);
            if (it > 2 && Math.Abs(sigma - prev) <= 1e-12 * sigma) break;
            prev = sigma;
            Array.Clear(v);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) v[j] += g[i * n + j] * u[i];
        }
        return sigma;
    }
}
