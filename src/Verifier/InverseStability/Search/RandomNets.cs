using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// Random bias-free shallow networks with scalar output and dyadic parameters (exact as doubles), in the search
/// spaces: N_N (all), N′ (balanced |c_i| = ‖a_i‖∞ and C.2) and N* (N′ with the last two coordinates of every a_i
/// positive), and the moves of the local search.
/// </summary>
internal static class RandomNets
{
    private static Rational Dyadic(Random rng, int range, int den) => new(rng.Next(-range * den, range * den + 1), den);

    public static ExactNet Network(Random rng, int d, int m, SearchSpace space)
    {
        for (int attempt = 0; ; attempt++)
        {
            var rows = Enumerable.Range(0, m).Select(_ => Direction(rng, d, space)).ToArray();
            var c = rows.Select(a => space == SearchSpace.All ? Dyadic(rng, 2, 4) : Balanced(a, rng.Next(2) == 0 ? 1 : -1)).ToArray();
            var net = ShallowNeurons.Net(rows, c);
            if (space == SearchSpace.All || InverseStabilitySearch.InSpace(net, space) || attempt > 50) return net;
        }
    }

    private static Rational[] Direction(Random rng, int d, SearchSpace space)
    {
        while (true)
        {
            var a = Enumerable.Range(0, d).Select(k => space == SearchSpace.Restricted && k >= d - 2
                ? new Rational(rng.Next(1, 9), 4) : Dyadic(rng, 2, 4)).ToArray();
            if (a.Any(x => !x.IsZero)) return a;
        }
    }

    /// <summary>c = sign·‖a‖∞: the balanced outgoing weight of N′.</summary>
    public static Rational Balanced(Rational[] a, int sign) => sign * ShallowNeurons.MaxAbs(a);

    /// <summary>Γ with neuron i replaced by a fresh random neuron of the space: a nearby Θ to start from.</summary>
    public static ExactNet ReplaceOne(Random rng, ExactNet net, SearchSpace space)
    {
        int i = rng.Next(net.Layers[0].Outputs);
        var a = Direction(rng, net.InputSize, space);
        var c = space == SearchSpace.All ? Dyadic(rng, 2, 4) : Balanced(a, rng.Next(2) == 0 ? 1 : -1);
        return net.WithNeuron(0, i, a, Rational.Zero, [c]);
    }

    /// <summary>
    /// One local move of the pair (Γ, Θ). Most moves bring R(Θ) toward R(Γ) — a neuron of Θ halfway to Γ's neuron of the
    /// same index, or an outgoing weight halved (the whole neuron halved in the balanced spaces, which keeps |c| = ‖a‖∞)
    /// — and keep the kink lines, so the fiber bound stays while the realization distance shrinks; the others nudge one
    /// parameter, or (in N_N only) rescale a neuron of Γ as (2a, c/2) or (a/2, 2c), which keeps R(Γ).
    /// </summary>
    public static (ExactNet Gamma, ExactNet Theta, string Move) Move(Random rng, ExactNet gamma, ExactNet theta, SearchSpace space)
    {
        int m = gamma.Layers[0].Outputs, i = rng.Next(m);
        bool balanced = space != SearchSpace.All;
        var g = ShallowNeurons.Of(gamma)[i];
        var t = ShallowNeurons.Of(theta)[i];
        Rational half = new(1, 2);
        switch (rng.Next(balanced ? 5 : 6))
        {
            case 0:
            {
                var a = t.A.Zip(g.A, (x, y) => (x + y) * half).ToArray();
                var c = balanced ? Balanced(a, (t.C[0] + g.C[0]).Sign >= 0 ? 1 : -1) : (t.C[0] + g.C[0]) * half;
                return (gamma, theta.WithNeuron(0, i, a, Rational.Zero, [c]), "Θ neuron halfway to Γ's");
            }
            case 1:
                return (gamma, Halve(theta, i, balanced), "Θ neuron halved");
            case 2:
                return (Halve(gamma, i, balanced), theta, "Γ neuron halved");
            case 3:
                return (gamma, Nudge(rng, theta, i, balanced), "Θ parameter nudged");
            case 4:
                return (Nudge(rng, gamma, i, balanced), theta, "Γ parameter nudged");
            default:
            {
                Rational s = rng.Next(2) == 0 ? 2 : half;
                return (gamma.WithNeuron(0, i, g.A.Select(x => x * s).ToArray(), Rational.Zero, [g.C[0] / s]), theta, "Γ neuron rescaled");
            }
        }
    }

    private static ExactNet Halve(ExactNet net, int i, bool balanced)
    {
        var n = ShallowNeurons.Of(net)[i];
        Rational half = new(1, 2);
        var a = balanced ? n.A.Select(x => x * half).ToArray() : n.A;
        return net.WithNeuron(0, i, a, Rational.Zero, [n.C[0] * half]);
    }

    private static ExactNet Nudge(Random rng, ExactNet net, int i, bool balanced)
    {
        var n = ShallowNeurons.Of(net)[i];
        Rational step = new(rng.Next(2) == 0 ? 1 : -1, 1 << rng.Next(1, 7));
        var a = n.A.ToArray();
        var c = n.C[0];
        int which = rng.Next(balanced ? a.Length : a.Length + 1);
        if (which < a.Length) a[which] += step; else c += step;
        if (balanced) c = Balanced(a, c.Sign >= 0 ? 1 : -1);
        return net.WithNeuron(0, i, a, Rational.Zero, [c]);
    }
}
