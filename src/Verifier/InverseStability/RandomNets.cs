using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// Random one-hidden-layer networks for the search, with dyadic parameters (exact as doubles). Balanced networks use
/// integer directions with an integer Euclidean norm (Pythagorean triples and quadruples), scaled by a power of two,
/// so that ‖a_i‖₂ = |c_i| holds exactly.
/// </summary>
internal static class RandomNets
{
    private static readonly int[][][] Directions =
    [
        [[1, 1]],
        [[3, 4, 5], [4, 3, 5], [5, 12, 13], [12, 5, 13], [8, 15, 17], [15, 8, 17], [7, 24, 25], [24, 7, 25], [20, 21, 29], [21, 20, 29]],
        [[1, 2, 2, 3], [2, 1, 2, 3], [2, 2, 1, 3], [2, 3, 6, 7], [6, 3, 2, 7], [3, 6, 2, 7], [1, 4, 8, 9], [8, 4, 1, 9], [4, 4, 7, 9], [7, 4, 4, 9]],
    ];

    private static Rational Dyadic(Random rng, int range, int den) => new(rng.Next(-range * den, range * den + 1), den);

    public static ExactNet Network(Random rng, int d, int m, int outputs, SearchSpace space)
    {
        if (space == SearchSpace.All)
            return new ExactNet(
            [
                new ExactLayer(Enumerable.Range(0, m).Select(_ => Enumerable.Range(0, d).Select(_ => Dyadic(rng, 2, 4)).ToArray()).ToArray(),
                               Enumerable.Range(0, m).Select(_ => Dyadic(rng, 1, 4)).ToArray()),
                new ExactLayer(Enumerable.Range(0, outputs).Select(_ => Enumerable.Range(0, m).Select(_ => Dyadic(rng, 2, 4)).ToArray()).ToArray(),
                               Enumerable.Range(0, outputs).Select(_ => Dyadic(rng, 1, 4)).ToArray()),
            ]);
        var rows = new Rational[m][];
        var cols = new Rational[m][];
        var used = new HashSet<int>();
        for (int i = 0; i < m; i++)
        {
            var (a, c) = BalancedNeuron(rng, d, outputs, space, used);
            rows[i] = a; cols[i] = c;
        }
        return Assemble(rows, cols, outputs);
    }

    private static ExactNet Assemble(Rational[][] rows, Rational[][] cols, int outputs) => new(
    [
        new ExactLayer(rows, rows.Select(_ => Rational.Zero).ToArray()),
        new ExactLayer(Enumerable.Range(0, outputs).Select(o => cols.Select(c => c[o]).ToArray()).ToArray(),
                       Enumerable.Repeat(Rational.Zero, outputs).ToArray()),
    ]);

    private static (Rational[] A, Rational[] C) BalancedNeuron(Random rng, int d, int outputs, SearchSpace space, HashSet<int> used)
    {
        var list = Directions[d - 1];
        int pick = rng.Next(list.Length);
        for (int tries = 0; tries < 20 && used.Contains(pick); tries++) pick = rng.Next(list.Length);
        used.Add(pick);
        var v = list[pick];
        Rational scale = new(1 << rng.Next(0, 4), 4);   // 1/4 … 2
        var a = v.Take(d).Select(x => scale * (space == SearchSpace.Restricted || rng.Next(2) == 0 ? x : -x)).ToArray();
        var c = new Rational[outputs];
        Array.Fill(c, Rational.Zero);
        c[rng.Next(outputs)] = scale * v[d] * (rng.Next(2) == 0 ? 1 : -1);
        return (a, c);
    }

    /// <summary>Θ = the given network with one neuron moved: one parameter nudged (all), or, keeping balance, one neuron
    /// replaced by another balanced neuron or rescaled jointly (a, c) → t(a, c).</summary>
    public static ExactNet MoveOneNeuron(Random rng, ExactNet net, SearchSpace space)
    {
        int m = net.Layers[0].Outputs, i = rng.Next(m);
        Rational step = new(1, 1 << rng.Next(1, 7));
        if (rng.Next(2) == 0) step = -step;
        var a = net.Layers[0].W[i].ToArray();
        var b = net.Layers[0].B[i];
        var c = net.Outgoing(0, i);
        if (space == SearchSpace.All)
        {
            int which = rng.Next(a.Length + 2);
            if (which < a.Length) a[which] += step;
            else if (which == a.Length) b += step;
            else c[rng.Next(c.Length)] += step;
            return net.WithNeuron(0, i, a, b, c);
        }
        if (rng.Next(2) == 0)
        {
            var t = Rational.One + step;
            if (t.Sign <= 0) t = Rational.One / 2;
            return net.WithNeuron(0, i, a.Select(x => x * t).ToArray(), b, c.Select(x => x * t).ToArray());
        }
        var (na, nc) = BalancedNeuron(rng, net.InputSize, net.OutputSize, space, []);
        return net.WithNeuron(0, i, na, Rational.Zero, nc);
    }
}
