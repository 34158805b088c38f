using Verify.Errors;
using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// An immutable dense layer z = W·h + b followed by an activation. W is stored row-major with shape
/// [Outputs, Inputs], like PyTorch's Linear.weight.
/// </summary>
public sealed class DenseLayer : IExactLayer
{
    private readonly double[] _w;
    private readonly double[] _b;

    public int Inputs { get; }
    public int Outputs { get; }
    public Activation Activation { get; }

    public DenseLayer(int outputs, int inputs, double[] weightsRowMajor, double[] bias, Activation activation)
    {
        if (outputs <= 0 || inputs <= 0)
            throw new ModelException($"layer shape {outputs}x{inputs} must be positive");
        if (weightsRowMajor.Length != outputs * inputs)
            throw new ModelException($"weights have {weightsRowMajor.Length} entries, expected {outputs}x{inputs}");
        if (bias.Length != outputs)
            throw new ModelException($"bias has {bias.Length} entries, expected {outputs}");
        for (int i = 0; i < weightsRowMajor.Length; i++)
            if (!double.IsFinite(weightsRowMajor[i]))
                throw new ModelException($"weight W[{i / inputs}][{i % inputs}] is {weightsRowMajor[i]} (not a finite number)");
        for (int i = 0; i < bias.Length; i++)
            if (!double.IsFinite(bias[i]))
                throw new ModelException($"bias b[{i}] is {bias[i]} (not a finite number)");
        if (activation.Kind == ActivationKind.LeakyRelu && !(activation.Slope >= 0 && double.IsFinite(activation.Slope)))
            throw new ModelException($"leaky ReLU slope {activation.Slope} must be a finite number ≥ 0");
        Outputs = outputs;
        Inputs = inputs;
        _w = (double[])weightsRowMajor.Clone();
        _b = (double[])bias.Clone();
        Activation = activation;
    }

    public static DenseLayer FromRows(double[][] rows, double[] bias, Activation activation)
    {
        if (rows.Length == 0) throw new ModelException("layer has no rows");
        int inputs = rows[0].Length;
        var w = new double[rows.Length * inputs];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != inputs)
                throw new ModelException($"row {i} of W has {rows[i].Length} entries, row 0 has {inputs}");
            rows[i].CopyTo(w, i * inputs);
        }
        return new DenseLayer(rows.Length, inputs, w, bias, activation);
    }

    public double W(int row, int col) => _w[row * Inputs + col];
    public double B(int row) => _b[row];
    public ReadOnlySpan<double> Row(int row) => _w.AsSpan(row * Inputs, Inputs);
    public ReadOnlySpan<double> Weights => _w;
    public ReadOnlySpan<double> Bias => _b;
    public int ParameterCount => _w.Length + _b.Length;

    public DenseLayer With(double[]? weights = null, double[]? bias = null, Activation? activation = null) =>
        new(Outputs, Inputs, weights ?? _w, bias ?? _b, activation ?? Activation);

    // The affine operator W·h + b: double, exact and interval images, and the transpose for gradients. The activation's
    // rules are Activation.Operator's; a layer is the two operators in sequence.

    /// <summary>Pre-activation W·h + b in double arithmetic.</summary>
    public void PreActivation(ReadOnlySpan<double> h, Span<double> z) => AffineKernels.Forward(_w, _b, Inputs, h, z.Slice(0, Outputs));

    /// <summary>Pre-activation W·h + b in exact rational arithmetic.</summary>
    public Rational[] PreActivationExact(IReadOnlyList<Rational> h)
    {
        var z = new Rational[Outputs];
        for (int i = 0; i < Outputs; i++)
        {
            var row = Row(i);
            Rational s = Rational.FromDouble(_b[i]);
            for (int j = 0; j < row.Length; j++)
                if (row[j] != 0 && !h[j].IsZero) s += Rational.FromDouble(row[j]) * h[j];
            z[i] = s;
        }
        return z;
    }

    /// <summary>W·v in exact rational arithmetic (the linear part, for exact derivatives).</summary>
    public Rational[] LinearExact(IReadOnlyList<Rational> v)
    {
        var z = new Rational[Outputs];
        for (int i = 0; i < Outputs; i++)
        {
            var row = Row(i);
            Rational s = Rational.Zero;
            for (int j = 0; j < row.Length; j++)
                if (row[j] != 0 && !v[j].IsZero) s += Rational.FromDouble(row[j]) * v[j];
            z[i] = s;
        }
        return z;
    }

    /// <summary>Enclosures of W·h + b for h in the given intervals (every operation rounds outward).</summary>
    public Interval[] PreActivation(ReadOnlySpan<Interval> h)
    {
        var z = new Interval[Outputs];
        for (int i = 0; i < Outputs; i++)
        {
            var row = Row(i);
            var s = Interval.Point(_b[i]);
            for (int j = 0; j < row.Length; j++)
                if (row[j] != 0) s += h[j] * row[j];
            z[i] = s;
        }
        return z;
    }

    /// <summary>Wᵀ·g (the backward step of a gradient) into <paramref name="into"/>, which has <see cref="Inputs"/> entries.</summary>
    public void Transpose(ReadOnlySpan<double> g, Span<double> into) => AffineKernels.Transpose(_w, Inputs, g, into);
}
