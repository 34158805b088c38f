using System.Numerics;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Equivalence certificates of an exact symmetric copy (outcome "symmetric"): the second network B is the first A with
/// the hidden neurons of layer l permuted (A's neuron i is B's neuron π_l(i)) and rescaled by 2^c (incoming weights
/// and bias times 2^c, outgoing weights divided by it). Checked exactly: W_B[π(i), π'(j)] = 2^(c_i − c'_j)·W_A[i, j] and
/// b_B[π(i)] = 2^c_i·b_A[i] for every entry, the output layer neither permuted nor scaled. Every activation here is
/// positively homogeneous (σ(2^c z) = 2^c σ(z)), so by induction over the layers B's hidden neuron π(i) carries 2^c_i
/// times A's neuron i and the outputs are equal: f_B = f_A on every input, and any claimed bound ≥ 0 holds.
/// </summary>
internal static class SymmetryCheck
{
    public static CheckReport Check(string certificatePath, CertificateInput cert, JsonObject symmetry, Network a, Network b)
    {
        if (cert.Upper is not { } claimed || claimed.Length != a.OutputSize)
            return CheckReport.Invalid($"\"upper\" must list one bound per output ({a.OutputSize})");
        if (claimed.Any(u => !(u >= 0))) return CheckReport.Invalid("a claimed bound is negative");
        int hidden = a.Depth - 1;
        int[][] perms = Table(certificatePath, symmetry, "permutation", a, hidden);
        int[][] scales = Table(certificatePath, symmetry, "scaleExponent", a, hidden);
        int[] prevPerm = Enumerable.Range(0, a.InputSize).ToArray();
        int[] prevScale = new int[a.InputSize];
        for (int l = 0; l < a.Depth; l++)
        {
            var la = a.Layers[l]; var lb = b.Layers[l];
            bool last = l == hidden;
            if (!last && !PositivelyHomogeneous(la.Activation.Kind))
                return CheckReport.Invalid($"layer {l + 1}: its activation is not positively homogeneous");
            int[] perm = last ? Enumerable.Range(0, la.Outputs).ToArray() : perms[l];
            int[] scale = last ? new int[la.Outputs] : scales[l];
            if (perm.Any(p => p < 0 || p >= la.Outputs) || perm.Distinct().Count() != perm.Length)
                return CheckReport.Invalid($"symmetry.permutation[{l}] is not a permutation of the layer's {la.Outputs} neurons");
            for (int i = 0; i < la.Outputs; i++)
            {
                if (Rational.FromDouble(lb.B(perm[i])) != Power(scale[i]) * Rational.FromDouble(la.B(i)))
                    return CheckReport.Invalid($"layer {l + 1}, neuron {i}: the second network's bias is not the scaled first one");
                for (int j = 0; j < la.Inputs; j++)
                    if (Rational.FromDouble(lb.W(perm[i], prevPerm[j])) != Power(scale[i] - prevScale[j]) * Rational.FromDouble(la.W(i, j)))
                        return CheckReport.Invalid($"layer {l + 1}, weight ({i}, {j}): the second network's weight is not the permuted, scaled first one");
            }
            prevPerm = perm; prevScale = scale;
        }
        return new CheckReport(true, "the second network is the first with its hidden neurons permuted and rescaled by powers of two, "
                                     + "proved entry by entry: the two compute the same function (sup ‖f2 − f1‖∞ = 0)", 0,
                               new double[a.OutputSize], claimed);
    }

    // No default arm: a new activation kind must say here whether it commutes with positive scaling.
#pragma warning disable CS8524
    private static bool PositivelyHomogeneous(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => true,
        ActivationKind.Identity => true,
        ActivationKind.LeakyRelu => true,
    };
#pragma warning restore CS8524

    private static Rational Power(int e) =>
        e >= 0 ? new Rational(BigInteger.One << e, BigInteger.One) : new Rational(BigInteger.One, BigInteger.One << -e);

    /// <summary>One row of integers per hidden layer, of the layer's width; anything else is a malformed certificate.</summary>
    private static int[][] Table(string path, JsonObject symmetry, string key, Network a, int hidden)
    {
        BadInputException Bad(string problem) => new(path, $"certificate: symmetry.{key}: {problem}");
        if (symmetry[key] is not JsonArray rows || rows.Count != hidden) throw Bad($"must hold one array per hidden layer ({hidden})");
        var table = new int[hidden][];
        for (int l = 0; l < hidden; l++)
        {
            if (rows[l] is not JsonArray row || row.Count != a.Layers[l].Outputs) throw Bad($"row {l} must hold {a.Layers[l].Outputs} integers");
            table[l] = new int[row.Count];
            for (int i = 0; i < row.Count; i++)
                table[l][i] = row[i] is JsonValue v && v.TryGetValue<int>(out int n) && Math.Abs((long)n) <= 10_000 ? n
                    : throw Bad($"row {l}, entry {i} must be an integer of magnitude at most 10000");
        }
        return table;
    }
}
