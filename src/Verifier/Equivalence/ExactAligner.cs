using System.Numerics;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Recognises a network B that is an exact symmetric copy of A: hidden neurons permuted, and each hidden neuron's
/// incoming weights and bias multiplied by a power of two c &gt; 0 with its outgoing weights divided by c. ReLU,
/// leaky ReLU and identity are positively homogeneous, so such a B computes exactly A's function. Exact-only and
/// deliberately small: it matches rows by their canonical form (row divided by the power of two of its first nonzero
/// entry) and then proves the claimed correspondence in rational arithmetic; anything it cannot prove is "no".
/// </summary>
public static class ExactAligner
{
    /// <summary>The correspondence of hidden layer l: A's neuron i is B's neuron Permutation[l][i], scaled by 2^ScaleExponent[l][i].</summary>
    public sealed record Alignment(int[][] Permutation, int[][] ScaleExponent)
    {
        public bool IsIdentity => Permutation.All(p => p.Select((v, i) => v == i).All(b => b)) && ScaleExponent.All(s => s.All(e => e == 0));
    }

    public static bool SameArchitecture(Network a, Network b) =>
        a.Widths.SequenceEqual(b.Widths) && a.Layers.Select(l => l.Activation).SequenceEqual(b.Layers.Select(l => l.Activation));

    /// <summary>The proven alignment of B onto A, or null when B is not (recognisably) an exact symmetric copy.</summary>
    public static Alignment? Align(Network a, Network b)
    {
        if (!SameArchitecture(a, b)) return null;
        int hidden = a.Depth - 1;
        var perms = new int[hidden][];
        var scales = new int[hidden][];
        int[] prevPerm = Enumerable.Range(0, a.InputSize).ToArray();
        int[] prevScale = new int[a.InputSize];
        for (int l = 0; l < hidden; l++)
        {
            var match = MatchLayer(a.Layers[l], b.Layers[l], prevPerm, prevScale);
            if (match is null) return null;
            (perms[l], scales[l]) = match.Value;
            prevPerm = perms[l]; prevScale = scales[l];
        }
        var alignment = new Alignment(perms, scales);
        return Proves(a, b, alignment) ? alignment : null;
    }

    private static (int[] Perm, int[] Scale)? MatchLayer(DenseLayer la, DenseLayer lb, int[] prevPerm, int[] prevScale)
    {
        // B's rows expressed in A's input coordinates: column j of A is column prevPerm[j] of B times 2^prevScale[j].
        var byKey = new Dictionary<string, Queue<(int Row, int Exponent)>>();
        for (int r = 0; r < lb.Outputs; r++)
        {
            var v = new double[la.Inputs + 1];
            for (int j = 0; j < la.Inputs; j++) v[j] = Math.ScaleB(lb.W(r, prevPerm[j]), prevScale[j]);
            v[^1] = lb.B(r);
            var (key, e) = Canonical(v);
            if (!byKey.TryGetValue(key, out var q)) byKey[key] = q = new Queue<(int, int)>();
            q.Enqueue((r, e));
        }
        var perm = new int[la.Outputs];
        var scale = new int[la.Outputs];
        for (int i = 0; i < la.Outputs; i++)
        {
            var u = new double[la.Inputs + 1];
            la.Row(i).CopyTo(u);
            u[^1] = la.B(i);
            var (key, e) = Canonical(u);
            if (!byKey.TryGetValue(key, out var q) || q.Count == 0) return null;
            var (row, eb) = q.Dequeue();
            perm[i] = row;
            scale[i] = eb - e;
        }
        return (perm, scale);
    }

    /// <summary>The row divided by 2^k, k the exponent of its first nonzero entry, as an exact bit-pattern key.</summary>
    private static (string Key, int Exponent) Canonical(double[] v)
    {
        int first = Array.FindIndex(v, x => x != 0);
        int k = first < 0 ? 0 : Math.ILogB(v[first]);
        var bits = new long[v.Length];
        for (int j = 0; j < v.Length; j++) bits[j] = BitConverter.DoubleToInt64Bits(Math.ScaleB(v[j], -k) + 0.0);
        return (string.Join(',', bits), k);
    }

    /// <summary>Checks W_B[π(i), π'(j)] = 2^(c_i − s_j)·W_A[i, j] and b_B[π(i)] = 2^c_i·b_A[i] exactly, output layer unscaled.</summary>
    private static bool Proves(Network a, Network b, Alignment al)
    {
        int[] prevPerm = Enumerable.Range(0, a.InputSize).ToArray();
        int[] prevScale = new int[a.InputSize];
        for (int l = 0; l < a.Depth; l++)
        {
            var la = a.Layers[l]; var lb = b.Layers[l];
            bool last = l == a.Depth - 1;
            int[] perm = last ? Enumerable.Range(0, la.Outputs).ToArray() : al.Permutation[l];
            int[] scale = last ? new int[la.Outputs] : al.ScaleExponent[l];
            if (perm.Distinct().Count() != perm.Length) return false;
            for (int i = 0; i < la.Outputs; i++)
            {
                if (Rational.FromDouble(lb.B(perm[i])) != PowerOfTwo(scale[i]) * Rational.FromDouble(la.B(i))) return false;
                for (int j = 0; j < la.Inputs; j++)
                {
                    double wa = la.W(i, j), wb = lb.W(perm[i], prevPerm[j]);
                    if ((wa == 0) != (wb == 0)) return false;
                    if (wa != 0 && Rational.FromDouble(wb) != PowerOfTwo(scale[i] - prevScale[j]) * Rational.FromDouble(wa)) return false;
                }
            }
            prevPerm = perm; prevScale = scale;
        }
        return true;
    }

    private static Rational PowerOfTwo(int e) =>
        e >= 0 ? new Rational(BigInteger.One << e, BigInteger.One) : new Rational(BigInteger.One, BigInteger.One << -e);
}
