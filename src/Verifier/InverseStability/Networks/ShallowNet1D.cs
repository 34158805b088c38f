using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>One neuron ρ(a·x + b) with outgoing weight c, in exact rationals.</summary>
public readonly record struct Neuron1D(Rational A, Rational B, Rational C)
{
    /// <summary>The kink −b/a, or null for a = 0 (a constant neuron has no kink).</summary>
    public Rational? Kink => A.IsZero ? null : -B / A;
}

/// <summary>
/// A one-hidden-layer ReLU network with scalar input and output, R(Φ)(x) = Σ c_i ρ(a_i x + b_i) + d, in exact
/// rational parameters. The inverse-stability examples need exact values such as 1/3 that no double holds, so they
/// live here; <see cref="ToNetwork"/> gives the nearest-double native network for files.
/// </summary>
public sealed record ShallowNet1D(IReadOnlyList<Neuron1D> Neurons, Rational D)
{
    public int Width => Neurons.Count;

    public Rational Evaluate(Rational x) => ExactNet.FromShallow(this).Evaluate([x])[0];

    /// <summary>Kinks strictly inside (lo, hi).</summary>
    public IEnumerable<Rational> KinksInside(Rational lo, Rational hi) =>
        Neurons.Select(n => n.Kink).Where(p => p is { } q && q > lo && q < hi).Select(p => p!.Value);

    /// <summary>ℓ∞ distance of the parameter vectors (a, b, c, d) for a fixed neuron order.</summary>
    public Rational ParameterDistanceInOrder(ShallowNet1D other, IReadOnlyList<int> perm)
    {
        var m = Rational.Abs(D - other.D);
        for (int i = 0; i < Width; i++)
        {
            var p = Neurons[i]; var q = other.Neurons[perm[i]];
            m = Rational.Max(m, Rational.Max(Rational.Abs(p.A - q.A), Rational.Max(Rational.Abs(p.B - q.B), Rational.Abs(p.C - q.C))));
        }
        return m;
    }

    /// <summary>ℓ∞ parameter distance minimised over neuron permutations (widths here are ≤ 3, so enumeration is fine).</summary>
    public Rational ParameterDistance(ShallowNet1D other)
    {
        if (other.Width != Width) throw new ArgumentException("architectures differ");
        Rational? best = null;
        foreach (var perm in Permutations(Width))
        {
            var d = ParameterDistanceInOrder(other, perm);
            if (best is null || d < best.Value) best = d;
        }
        return best!.Value;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var p in Permutations(n - 1))
            for (int pos = 0; pos <= p.Length; pos++)
            {
                var q = new int[n];
                for (int i = 0, j = 0; i < n; i++) q[i] = i == pos ? n - 1 : p[j++];
                yield return q;
            }
    }

    /// <summary>The native network (nearest doubles; exact whenever every parameter is dyadic).</summary>
    public Network ToNetwork(string name)
    {
        var w1 = Neurons.Select(n => n.A.ToDouble()).ToArray();
        var b1 = Neurons.Select(n => n.B.ToDouble()).ToArray();
        var w2 = Neurons.Select(n => n.C.ToDouble()).ToArray();
        var layers = new[]
        {
            new DenseLayer(Width, 1, w1, b1, Activation.Relu),
            new DenseLayer(1, Width, w2, [D.ToDouble()], Activation.Identity),
        };
        return new Network(layers, null, new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["name"] = name });
    }

    public static ShallowNet1D Of(Rational d, params Neuron1D[] neurons) => new(neurons, d);
}
