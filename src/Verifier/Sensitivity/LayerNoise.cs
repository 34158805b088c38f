namespace Verify.Sensitivity;

/// <summary>
/// Random noise η on one layer's parameters, applied to a batch: for each column s of h (the layer's input for
/// sample s), adds Δz_s = η_s·h_s (+ η_b,s) to column s of the pre-activation z. Matrices are [row, sample] with
/// stride <c>batch</c>. Only the product η·h is ever needed, which lets isotropic noise models draw it without
/// drawing the whole matrix. Instances are shared between threads, so they hold no mutable state.
/// </summary>
public abstract class LayerNoise(int layer, int outputs, int inputs)
{
    /// <summary>0-based layer index.</summary>
    public int Layer { get; } = layer;
    public int Outputs { get; } = outputs;
    public int Inputs { get; } = inputs;

    public abstract void Add(double[] h, double[] z, int batch, int count, ref Rng rng);

    /// <summary>
    /// Per-entry variances of η (weights row-major, then biases; null biases = biases fixed) when η has uncorrelated
    /// zero-mean entries, else null. Used for the closed-form first-order bound E‖Jη‖₂ ≤ √trace(JΣJᵀ).
    /// </summary>
    public virtual (double[] Weights, double[]? Biases)? EntryVariances => null;

    /// <summary>
    /// A bound on the operator 2-norm of every η this model can draw (null when unbounded, i.e. Gaussian), and on
    /// ‖η_b‖₂. Feeds the a-priori deviation bound of the distribution-free confidence interval.
    /// </summary>
    public abstract (double Weights, double Biases)? SupportNorm2 { get; }

    protected static void ColumnNorms(double[] h, int rows, int batch, int count, Span<double> norms)
    {
        norms[..count].Clear();
        for (int k = 0; k < rows; k++)
        {
            var row = h.AsSpan(k * batch, count);
            for (int s = 0; s < count; s++) norms[s] += row[s] * row[s];
        }
        for (int s = 0; s < count; s++) norms[s] = Math.Sqrt(norms[s]);
    }
}

/// <summary>
/// η with iid N(0, σ²) entries on the weights. Then η·h ~ N(0, σ²‖h‖₂² I), drawn with <c>Outputs</c> normals.
/// </summary>
public sealed class GaussianLayerNoise(int layer, int outputs, int inputs, double sigma) : LayerNoise(layer, outputs, inputs)
{
    public double Sigma { get; } = sigma;

    public override void Add(double[] h, double[] z, int batch, int count, ref Rng rng)
    {
        Span<double> norms = stackalloc double[count];
        ColumnNorms(h, Inputs, batch, count, norms);
        for (int s = 0; s < count; s++)
        {
            double c = Sigma * norms[s];
            for (int i = 0; i < Outputs; i++) z[i * batch + s] += c * rng.NextNormal();
        }
    }

    public override (double[] Weights, double[]? Biases)? EntryVariances
    {
        get { var v = new double[Outputs * Inputs]; Array.Fill(v, Sigma * Sigma); return (v, null); }
    }

    public override (double Weights, double Biases)? SupportNorm2 => null;
}

/// <summary>
/// η uniform on the Frobenius sphere ‖η‖_F = r: η = r·G/‖G‖_F with G iid N(0,1). Rotating so that h is the first
/// basis vector, G·ĥ ~ N(0, I_m) and ‖G‖_F² = ‖G·ĥ‖² + χ²_{m(n−1)} with the χ² independent, so
/// η·h = r‖h‖·g/√(‖g‖² + χ²): m normals and one χ² per sample, exactly the same distribution.
/// </summary>
public sealed class FrobeniusSphereLayerNoise(int layer, int outputs, int inputs, double radius) : LayerNoise(layer, outputs, inputs)
{
    public double Radius { get; } = radius;

    public override void Add(double[] h, double[] z, int batch, int count, ref Rng rng)
    {
        Span<double> norms = stackalloc double[count];
        Span<double> g = stackalloc double[Outputs];
        ColumnNorms(h, Inputs, batch, count, norms);
        long dof = (long)Outputs * (Inputs - 1);
        for (int s = 0; s < count; s++)
        {
            double q = 0;
            for (int i = 0; i < Outputs; i++) { g[i] = rng.NextNormal(); q += g[i] * g[i]; }
            double c = Radius * norms[s] / Math.Sqrt(q + rng.NextChiSquare(dof));
            for (int i = 0; i < Outputs; i++) z[i * batch + s] += c * g[i];
        }
    }

    /// <summary>By symmetry E[η_ij η_kl] = r²/(mn)·[ij = kl].</summary>
    public override (double[] Weights, double[]? Biases)? EntryVariances
    {
        get { var v = new double[Outputs * Inputs]; Array.Fill(v, Radius * Radius / ((double)Outputs * Inputs)); return (v, null); }
    }

    public override (double Weights, double Biases)? SupportNorm2 => (Radius, 0);
}

/// <summary>
/// η uniform on the spectral sphere ‖η‖₂ = r: η = r·G/‖G‖₂ with G iid N(0,1) and ‖G‖₂ by power iteration on GᵀG
/// (to relative change 1e-12, at most 500 steps). There is no shortcut, so this draws all m·n entries per sample.
/// </summary>
public sealed class SpectralSphereLayerNoise(int layer, int outputs, int inputs, double radius) : LayerNoise(layer, outputs, inputs)
{
    public double Radius { get; } = radius;

    public override void Add(double[] h, double[] z, int batch, int count, ref Rng rng)
    {
        int m = Outputs, n = Inputs;
        var g = new double[m * n];
        var v = new double[n]; var u = new double[m]; var gh = new double[m];
        for (int s = 0; s < count; s++)
        {
            for (int k = 0; k < g.Length; k++) g[k] = rng.NextNormal();
            double norm = PowerIteration.SpectralNorm(g, m, n, v, u);
            for (int i = 0; i < m; i++)
            {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += g[i * n + j] * h[j * batch + s];
                gh[i] = acc;
            }
            double c = norm > 0 ? Radius / norm : 0;
            for (int i = 0; i < m; i++) z[i * batch + s] += c * gh[i];
        }
    }

    // Power iteration estimates ‖G‖₂ from below, so ‖η‖₂ may exceed r by its tolerance; the slack covers that.
    public override (double Weights, double Biases)? SupportNorm2 => (Radius * (1 + 1e-6), 0);
}

/// <summary>
/// Independent uniform noise in a box: η_ij ~ U[−a_ij, a_ij] on the weights and η_b,i ~ U[−c_i, c_i] on the biases
/// (absolute ε: a = ε; relative ε: a = ε·|w|). Draws every entry per sample.
/// </summary>
public sealed class BoxLayerNoise(int layer, int outputs, int inputs, double[] weightHalfWidths, double[] biasHalfWidths)
    : LayerNoise(layer, outputs, inputs)
{
    public override void Add(double[] h, double[] z, int batch, int count, ref Rng rng)
    {
        int m = Outputs, n = Inputs;
        Span<double> col = stackalloc double[n];
        for (int s = 0; s < count; s++)
        {
            for (int j = 0; j < n; j++) col[j] = h[j * batch + s];
            for (int i = 0; i < m; i++)
            {
                double acc = biasHalfWidths[i] * rng.NextSigned();
                var a = weightHalfWidths.AsSpan(i * n, n);
                for (int j = 0; j < n; j++) acc += a[j] * rng.NextSigned() * col[j];
                z[i * batch + s] += acc;
            }
        }
    }

    public override (double[] Weights, double[]? Biases)? EntryVariances =>
        (weightHalfWidths.Select(a => a * a / 3).ToArray(), biasHalfWidths.Select(a => a * a / 3).ToArray());

    /// <summary>‖η‖₂ ≤ ‖η‖_F ≤ ‖a‖_F, outward rounded.</summary>
    public override (double Weights, double Biases)? SupportNorm2 => (SoundNorm2(weightHalfWidths), SoundNorm2(biasHalfWidths));

    private static double SoundNorm2(double[] v)
    {
        double s = 0;
        foreach (var a in v) s = Verify.Intervals.Rounding.AddUp(s, Verify.Intervals.Rounding.MulUp(a, a));
        return Verify.Intervals.Rounding.Up(Math.Sqrt(s));
    }
}
