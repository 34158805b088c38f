using Verify.Model;
using Verify.Results;

namespace Verify.Symmetry;

/// <summary>
/// Size measures of a network and a covering-number bound for the class of networks of its architecture with
/// parameters bounded by B = max|θ| on inputs of ∞-norm ≤ R:
///   log N(F, ε, ‖·‖∞) ≤ S·log( 4(L+1)(R+1)(2B)^(L+2) · ∏_{j=1}^{L−1} ρ_j · ∏_{j=0}^{L} d_j / ε )
/// and the same minus Σ_{l=1}^{L−1} log(d_l!), the discount for the d_l! permutations of each hidden layer that give
/// the same function (parametrisation redundancy). The form follows the covering-number bound for ReLU networks
/// with bounded parameters (cf. Berner, Grohs, Jentzen 2020, Prop. 2.8); constants are as stated here, see docs.
/// </summary>
public static class ComplexityAnalysis
{
    public static ComplexityReport Compute(Network net, double inputRadius, double epsilon)
    {
        if (!(inputRadius >= 0) || !double.IsFinite(inputRadius)) throw new ArgumentOutOfRangeException(nameof(inputRadius));
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon));
        int S = net.ParameterCount, L = net.Depth;
        var d = net.Widths;
        double B = net.Flatten().Select(Math.Abs).DefaultIfEmpty(0).Max();
        var rho = net.Layers.Take(L - 1).Select(l => ActivationLipschitz(l.Activation)).ToArray();
        var distinct = Enumerable.Range(0, L - 1).Select(l => CountDistinctNeurons(net.Layers[l])).ToArray();

        double logCover;
        if (B == 0) logCover = 0; // a single function: one ball covers it
        else
        {
            double inner = Math.Log(4) + Math.Log(L + 1) + Math.Log(inputRadius + 1) + (L + 2) * Math.Log(2 * B)
                           + rho.Sum(Math.Log) + d.Sum(x => Math.Log(x)) - Math.Log(epsilon);
            logCover = S * inner;
        }
        double discount = net.Layers.Take(L - 1).Sum(l => LogFactorial(l.Outputs));
        return new ComplexityReport(S, net.NeuronCount, L, d, d.Max(), distinct, B, rho, inputRadius, epsilon, logCover, discount);
    }

    /// <summary>Lipschitz constant of an activation: 1 for relu and identity, max(1, slope) for leaky relu.</summary>
    public static double ActivationLipschitz(Activation a) => a.Operator.Kink.Lipschitz;

    /// <summary>ln(n!) = ln Γ(n+1), by Lanczos' approximation for large n and exact summation for small n.</summary>
    public static double LogFactorial(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (n < 64)
        {
            double s = 0;
            for (int k = 2; k <= n; k++) s += Math.Log(k);
            return s;
        }
        return LogGamma(n + 1.0);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>
    /// Number of classes of neurons with the same incoming weights and bias up to a positive factor. Equality of
    /// directions is tested exactly: v ~ w iff v_k·w_p = w_k·v_p for all k at a pivot p, with both products
    /// compared exactly (product and its FMA rounding error).
    /// </summary>
    public static int CountDistinctNeurons(DenseLayer layer)
    {
        var buckets = new Dictionary<string, List<double[]>>();
        int classes = 0;
        for (int i = 0; i < layer.Outputs; i++)
        {
            var v = new double[layer.Inputs + 1];
            layer.Row(i).CopyTo(v);
            v[^1] = layer.B(i);
            var key = new string(v.Select(x => x > 0 ? '+' : x < 0 ? '-' : '0').ToArray());
            if (!buckets.TryGetValue(key, out var reps)) buckets[key] = reps = [];
            if (reps.Any(r => SameDirection(r, v))) continue;
            reps.Add(v);
            classes++;
        }
        return classes;
    }

    private static bool SameDirection(double[] v, double[] w)
    {
        int p = -1;
        for (int k = 0; k < v.Length; k++) if (v[k] != 0) { p = k; break; }
        if (p < 0) return w.All(x => x == 0);
        for (int k = 0; k < v.Length; k++)
            if (!ExactlyEqualProducts(v[k], w[p], w[k], v[p])) return false;
        return true;
    }

    private static bool ExactlyEqualProducts(double a, double b, double c, double d)
    {
        double p = a * b, q = c * d;
        if (p != q) return false;
        return Math.FusedMultiplyAdd(a, b, -p) == Math.FusedMultiplyAdd(c, d, -q);
    }
}
