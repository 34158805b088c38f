using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Symmetry;

namespace Verify.InverseStability;

/// <summary>
/// A feed-forward ReLU network (ReLU on every hidden layer, identity output) in exact rational parameters, for the
/// fiber-distance computations: the example families need values such as 1/3 that no double holds, and every
/// re-parametrisation must be built without rounding so that it realises exactly the same function. Its layers are
/// the model's <see cref="ExactLayer"/>s with their activations set here, and it is evaluated by the model's exact
/// passes (<see cref="ExactPasses"/>) through the activation operators.
/// </summary>
public sealed class ExactNet
{
    public IReadOnlyList<ExactLayer> Layers { get; }
    public int InputSize => Layers[0].Inputs;
    public int OutputSize => Layers[^1].Outputs;
    public int Depth => Layers.Count;

    public ExactNet(IReadOnlyList<ExactLayer> layers)
    {
        if (layers.Count == 0) throw new ArgumentException("a network needs at least one layer");
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].Inputs != layers[l - 1].Outputs) throw new ArgumentException($"layer {l} does not fit layer {l - 1}");
        Layers = layers.Select((l, i) => l with { Activation = i == layers.Count - 1 ? Activation.Identity : Activation.Relu }).ToArray();
    }

    /// <summary>The exact rationals of the stored doubles; only ReLU hidden layers and an identity output are supported.</summary>
    public static ExactNet FromNetwork(Network n, string? file = null)
    {
        if (n.Normalization is not null) throw new BadInputException(file, "fiber distance needs a network without input normalization");
        for (int l = 0; l < n.Depth; l++)
        {
            var want = l == n.Depth - 1 ? ActivationKind.Identity : ActivationKind.Relu;
            if (n.Layers[l].Activation.Kind != want)
                throw new BadInputException(file, $"layer {l} must be {(want == ActivationKind.Relu ? "ReLU" : "identity (output)")} for the fiber distance");
        }
        return new ExactNet(n.Layers.Select(layer => new ExactLayer(
            Enumerable.Range(0, layer.Outputs).Select(i => layer.Row(i).ToArray().Select(Rational.FromDouble).ToArray()).ToArray(),
            layer.Bias.ToArray().Select(Rational.FromDouble).ToArray())).ToArray());
    }

    public static ExactNet FromShallow(ShallowNet1D s) => new(
    [
        new ExactLayer(s.Neurons.Select(n => new[] { n.A }).ToArray(), s.Neurons.Select(n => n.B).ToArray()),
        new ExactLayer([s.Neurons.Select(n => n.C).ToArray()], [s.D]),
    ]);

    /// <summary>The 1-D shallow view (one hidden layer, scalar input and output), or null.</summary>
    public ShallowNet1D? ToShallow1D()
    {
        if (Depth != 2 || InputSize != 1 || OutputSize != 1) return null;
        var h = Layers[0]; var o = Layers[1];
        return new ShallowNet1D(Enumerable.Range(0, h.Outputs).Select(i => new Neuron1D(h.W[i][0], h.B[i], o.W[0][i])).ToArray(), o.B[0]);
    }

    public Network ToNetwork(string name) => new(
        Layers.Select((l, i) => new DenseLayer(l.Outputs, l.Inputs,
            l.W.SelectMany(r => r.Select(v => v.ToDouble())).ToArray(), l.B.Select(v => v.ToDouble()).ToArray(),
            l.Activation)).ToArray(),
        null, new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["name"] = name });

    /// <summary>True when every parameter is a double exactly (so <see cref="ToNetwork"/> loses nothing).</summary>
    public bool IsDyadicExact => Parameters().All(p => Rational.FromDouble(p.ToDouble()) == p);

    public bool SameArchitecture(ExactNet other) =>
        other.Depth == Depth && Layers.Zip(other.Layers).All(p => p.First.Outputs == p.Second.Outputs && p.First.Inputs == p.Second.Inputs);

    /// <summary>All weights and biases: layer by layer, W row-major, then b (the order of Network.Flatten).</summary>
    public IEnumerable<Rational> Parameters()
    {
        foreach (var l in Layers)
        {
            foreach (var row in l.W) foreach (var w in row) yield return w;
            foreach (var b in l.B) yield return b;
        }
    }

    /// <summary>True when every bias is zero: x ↦ C ρ(A x) style networks.</summary>
    public bool BiasFree => Layers.All(l => l.B.All(b => b.IsZero));

    /// <summary>‖this − other‖∞ over all weights and biases, in this neuron order.</summary>
    public Rational Distance(ExactNet other)
    {
        if (!SameArchitecture(other)) throw new ArgumentException("architectures differ");
        return Parameters().Zip(other.Parameters(), (a, b) => Rational.Abs(a - b)).Aggregate(Rational.Zero, Rational.Max);
    }

    public Rational[] Evaluate(IReadOnlyList<Rational> x) => ExactPasses.Forward(Layers, x);

    /// <summary>The one-sided directional derivative lim_{t↓0} (f(x + t v) − f(x)) / t, exact (<see cref="ExactPasses.RightDerivative"/>).</summary>
    public Rational[] RightDerivative(IReadOnlyList<Rational> x, IReadOnlyList<Rational> v) => ExactPasses.RightDerivative(Layers, x, v);

    /// <summary>
    /// The aligned copy of this network under a permutation-and-positive-scaling symmetry (as found by `verify
    /// distance`), computed exactly: the double scale factors are used as the rationals they denote, and a positive
    /// rescaling or a permutation of hidden ReLU neurons never changes the realization.
    /// </summary>
    public ExactNet Apply(Alignment alignment)
    {
        var w = Layers.Select(l => l.W.Select(r => r.ToArray()).ToArray()).ToArray();
        var b = Layers.Select(l => l.B.ToArray()).ToArray();
        for (int l = 0; l < alignment.Permutations.Count; l++)
        {
            var order = alignment.Permutations[l];
            w[l] = order.Select(o => w[l][o]).ToArray();
            b[l] = order.Select(o => b[l][o]).ToArray();
            for (int r = 0; r < w[l + 1].Length; r++) w[l + 1][r] = order.Select(o => w[l + 1][r][o]).ToArray();
        }
        for (int l = 0; l < alignment.Scales.Count; l++)
            for (int i = 0; i < alignment.Scales[l].Length; i++)
            {
                var c = Rational.FromDouble(alignment.Scales[l][i]);
                if (c == Rational.One) continue;
                if (c.Sign <= 0) throw new InvalidOperationException("a symmetry scale must be positive");
                for (int k = 0; k < w[l][i].Length; k++) w[l][i][k] *= c;
                b[l][i] *= c;
                foreach (var next in w[l + 1]) next[i] /= c;
            }
        return new ExactNet(w.Zip(b, (ww, bb) => new ExactLayer(ww, bb)).ToArray());
    }

    /// <summary>A copy with layer l, neuron i's incoming row, bias and outgoing column replaced.</summary>
    public ExactNet WithNeuron(int l, int i, Rational[] incoming, Rational bias, Rational[] outgoing)
    {
        var layers = Layers.Select(x => new ExactLayer(x.W.Select(r => r.ToArray()).ToArray(), x.B.ToArray())).ToArray();
        layers[l].W[i] = incoming.ToArray();
        layers[l].B[i] = bias;
        for (int r = 0; r < layers[l + 1].Outputs; r++) layers[l + 1].W[r][i] = outgoing[r];
        return new ExactNet(layers);
    }

    /// <summary>Outgoing column of neuron i in hidden layer l.</summary>
    public Rational[] Outgoing(int l, int i) => Layers[l + 1].W.Select(r => r[i]).ToArray();
}
