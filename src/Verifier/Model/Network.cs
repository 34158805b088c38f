using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// An immutable fully connected feed-forward network f(x) = W_L σ(… σ(W_1 x + b_1) …) + b_L.
/// The last layer's activation is normally identity; every layer's activation is explicit.
/// </summary>
public sealed class Network
{
    public IReadOnlyList<DenseLayer> Layers { get; }
    public int InputSize => Layers[0].Inputs;
    public int OutputSize => Layers[^1].Outputs;
    public int Depth => Layers.Count;

    /// <summary>Normalisation data from a .nnet file, if any (not applied by default).</summary>
    public Normalization? Normalization { get; }

    /// <summary>Extra top-level JSON fields (such as "name") kept for round trips.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Extras { get; }

    public Network(IReadOnlyList<DenseLayer> layers, Normalization? normalization = null,
                   IReadOnlyDictionary<string, JsonNode?>? extras = null)
    {
        if (layers.Count == 0) throw new ModelException("network has no layers");
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].Inputs != layers[l - 1].Outputs)
                throw new ModelException(
                    $"layer {l + 1} expects {layers[l].Inputs} inputs but layer {l} has {layers[l - 1].Outputs} outputs");
        if (normalization is not null)
        {
            int n = layers[0].Inputs;
            if (normalization.InputMin.Length != n || normalization.InputMax.Length != n ||
                normalization.InputMean.Length != n || normalization.InputRange.Length != n)
                throw new ModelException($"normalisation data must have {n} input entries");
        }
        Layers = layers.ToArray();
        Normalization = normalization;
        Extras = extras ?? new Dictionary<string, JsonNode?>();
    }

    /// <summary>Widths d_0 (input), d_1, …, d_L (output).</summary>
    public int[] Widths
    {
        get
        {
            var w = new int[Layers.Count + 1];
            w[0] = InputSize;
            for (int l = 0; l < Layers.Count; l++) w[l + 1] = Layers[l].Outputs;
            return w;
        }
    }

    public int ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Hidden neurons: the outputs of every layer but the last.</summary>
    public int NeuronCount => Layers.Take(Layers.Count - 1).Sum(l => l.Outputs);

    public string? Name => Extras.TryGetValue("name", out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Evaluates the raw network in double arithmetic.</summary>
    public double[] Evaluate(ReadOnlySpan<double> x)
    {
        if (x.Length != InputSize) throw new ModelException($"input has {x.Length} entries, network expects {InputSize}");
        double[] h = x.ToArray();
        foreach (var layer in Layers)
        {
            var z = new double[layer.Outputs];
            layer.PreActivation(h, z);
            var op = layer.Activation.Operator;
            for (int i = 0; i < z.Length; i++) z[i] = op.Apply(z[i]);
            h = z;
        }
        return h;
    }

    /// <summary>Evaluates the raw network in exact rational arithmetic: the oracle for every witness.</summary>
    public Rational[] EvaluateExact(IReadOnlyList<Rational> x) => ForwardExact(x, null);

    /// <summary>The exact forward pass (<see cref="ExactPasses.Forward"/>) with the input size checked.</summary>
    public Rational[] ForwardExact(IReadOnlyList<Rational> x, Action<int, Rational[]>? preActivations)
    {
        if (x.Count != InputSize) throw new ModelException($"input has {x.Count} entries, network expects {InputSize}");
        return ExactPasses.Forward(Layers, x, preActivations);
    }

    /// <summary>θ in the documented order: layer by layer, W row-major, then b.</summary>
    public double[] Flatten()
    {
        var theta = new double[ParameterCount];
        int k = 0;
        foreach (var layer in Layers)
        {
            layer.Weights.CopyTo(theta.AsSpan(k)); k += layer.Weights.Length;
            layer.Bias.CopyTo(theta.AsSpan(k)); k += layer.Bias.Length;
        }
        return theta;
    }

    /// <summary>A network of this architecture with parameters θ (same order as <see cref="Flatten"/>).</summary>
    public Network WithParameters(ReadOnlySpan<double> theta)
    {
        if (theta.Length != ParameterCount)
            throw new ModelException($"parameter vector has {theta.Length} entries, expected {ParameterCount}");
        var layers = new DenseLayer[Layers.Count];
        int k = 0;
        for (int l = 0; l < Layers.Count; l++)
        {
            var L = Layers[l];
            var w = theta.Slice(k, L.Weights.Length).ToArray(); k += w.Length;
            var b = theta.Slice(k, L.Bias.Length).ToArray(); k += b.Length;
            layers[l] = new DenseLayer(L.Outputs, L.Inputs, w, b, L.Activation);
        }
        return new Network(layers, Normalization, Extras);
    }

    public Network WithLayers(IReadOnlyList<DenseLayer> layers) => new(layers, Normalization, Extras);
}
