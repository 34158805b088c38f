namespace Verify.Sensitivity;

/// <summary>Operator norms of dense row-major matrices (floating point estimates, not certified).</summary>
public static class OperatorNorms
{
    /// <summary>‖M‖_∞ = max row sum of |m_ij|.</summary>
    public static double Inf(double[] m, int rows, int cols)
    {
        double best = 0;
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.Abs(m[i * cols + j]);
            best = Math.Max(best, s);
        }
        return best;
    }

    /// <summary>‖M‖₂ = √λ_max of the smaller Gram matrix (M·Mᵀ or Mᵀ·M).</summary>
    public static double Two(double[] m, int rows, int cols)
    {
        bool byRows = rows <= cols;
        int d = byRows ? rows : cols;
        var g = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
            {
                double s = 0;
                if (byRows) for (int j = 0; j < cols; j++) s += m[a * cols + j] * m[b * cols + j];
                else for (int i = 0; i < rows; i++) s += m[i * cols + a] * m[i * cols + b];
                g[a * d + b] = g[b * d + a] = s;
            }
        return Math.Sqrt(Math.Max(0, LargestEigenvalue(g, d)));
    }

    /// <summary>Largest eigenvalue of a symmetric matrix by cyclic Jacobi rotations (robust for small d).</summary>
    public static double LargestEigenvalue(double[] sym, int d)
    {
        var a = (double[])sym.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < d; p++)
            {
                diag += a[p * d + p] * a[p * d + p];
                for (int q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
            }
            if (off <= 1e-30 * Math.Max(diag, double.Epsilon)) break;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[p * d + q];
                    if (apq == 0) continue;
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double akp = a[k * d + p], akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double apk = a[p * d + k], aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }
                }
        }
        double best = double.NegativeInfinity;
        for (int p = 0; p < d; p++) best = Math.Max(best, a[p * d + p]);
        return best;
    }
}
