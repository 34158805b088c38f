using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Certificates of `--execution` answers (docs/execution.md, docs/certificates.md): the claim covers every evaluation of
/// the perturbed network in a floating-point format, because each is the exact evaluation of a network whose parameters
/// lie in the user's box widened per layer. The checker recomputes that widening itself, exactly, from the format's
/// constants (its own table) and each layer's fan-in n: γ_{n+1} = (n+1)u/(1 − (n+1)u), ι (u for the rounded input, after
/// a leaky ReLU (1 + u + a/α)(1 + u) − 1, else 0), g_W = (1+u)(1+γ)(1+ι) − 1, g_b = (1+u)(1+γ) − 1, the absolute terms
/// a(1+γ)(1+ι), a(1+γ) and k·a(1+γ) (k = n+1, or 2n+1 with flush-to-zero). Every recorded constant must be at least the
/// exact one, else the certificate is invalid; the box is then built from the recorded constants (a superset of the
/// exact widening, with short dyadic numbers), and the nodes are checked against it. Overflow, which the widening does
/// not cover, is excluded here too, from the checked enclosures.
/// </summary>
internal static class ExactWidening
{
    /// <summary>u, the smallest subnormal, the smallest normal, the largest finite value.</summary>
    private static (Rational U, Rational Subnormal, Rational Normal, Rational Max)? Format(string name) => name switch
    {
        "float32" => (Pow2(-24), Pow2(-149), Pow2(-126), (Rational.FromDouble(2) - Pow2(-23)) * Pow2(127)),
        "float16" => (Pow2(-11), Pow2(-24), Pow2(-14), Rational.FromDouble(65504)),
        "bfloat16" => (Pow2(-8), Pow2(-133), Pow2(-126), (Rational.FromDouble(2) - Pow2(-7)) * Pow2(127)),
        _ => null,
    };

    private static Rational Pow2(int e) => e >= 0 ? new Rational(BigInteger.Pow(2, e), BigInteger.One) : new Rational(BigInteger.One, BigInteger.Pow(2, -e));

    private static readonly string[] Names = ["gamma", "iota", "weightRelative", "biasRelative", "weightAbsolute", "biasAbsolute", "operationUnderflow"];

    /// <summary>The widened admissible set, or why the certificate's widening is not enough.</summary>
    public static (ExactParameters? Widened, Rational? MaxFinite, string? Invalid) Apply(string path, JsonObject model, JsonObject? recorded,
                                                                                        Network net, ExactParameters user)
    {
        BadInputException Bad(string p) => new(path, "certificate: execution: " + p);
        string name = model["execution"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad("perturbation.execution must be a format name");
        bool ftz = name.EndsWith("-ftz", StringComparison.Ordinal);
        if (Format(ftz ? name[..^4] : name) is not { } f) return (null, null, $"execution: unknown format '{name}'");
        if (recorded is null) return (null, null, "execution: the certificate does not record its widening (\"execution\")");
        if (recorded["format"]?.GetValue<string>() != name)
            return (null, null, $"execution: the recorded widening is for '{recorded["format"]}', the perturbation for '{name}'");
        if (recorded["layers"] is not JsonArray layers || layers.Count != net.Depth) throw Bad($"\"layers\" must list {net.Depth} layers");
        var one = Rational.One;
        var a = ftz ? f.Normal : f.Subnormal / Rational.FromDouble(2);
        var ex = new ExactNetwork(net);
        var wlo = new Rational[net.Depth][]; var whi = new Rational[net.Depth][]; var blo = new Rational[net.Depth][]; var bhi = new Rational[net.Depth][];
        for (int l = 0; l < net.Depth; l++)
        {
            int n = net.Layers[l].Inputs;
            var nu = Rational.FromDouble(n + 1) * f.U;
            if (nu * Rational.FromDouble(2) >= one) return (null, null, $"execution: layer {l + 1}: (n+1)u ≥ 1/2 for n = {n}: no widening is defined");
            var gamma = nu / (one - nu);
            Rational iota = l == 0 ? f.U
                : ex.N[l - 1].IsZero || ex.N[l - 1] == ex.P[l - 1] ? Rational.Zero
                : (one + f.U + a / Rational.Abs(ex.N[l - 1])) * (one + f.U) - one;
            var exact = new[]
            {
                gamma, iota, (one + f.U) * (one + gamma) * (one + iota) - one, (one + f.U) * (one + gamma) - one,
                a * (one + gamma) * (one + iota), a * (one + gamma), Rational.FromDouble(ftz ? 2.0 * n + 1 : n + 1) * a * (one + gamma),
            };
            var layer = layers[l] as JsonObject ?? throw Bad($"layers[{l}] is not an object");
            var rec = new Rational[Names.Length];
            for (int q = 0; q < Names.Length; q++)
            {
                double d = layer[Names[q]] is JsonValue x && x.TryGetValue<double>(out var dv) && double.IsFinite(dv) ? dv : throw Bad($"layers[{l}].{Names[q]} must be a finite number");
                rec[q] = Rational.FromDouble(d);
                if (rec[q] < exact[q])
                    return (null, null, string.Create(CultureInfo.InvariantCulture,
                        $"execution: layer {l + 1}: the recorded {Names[q]} = {d:R} is below the checker's exact {exact[q].ToDouble():R} ({name}, n = {n}): the widening is too small"));
            }
            var (gW, gB, cW, cB, opU) = (rec[2], rec[3], rec[4], rec[5], rec[6]);
            var w = net.Layers[l].Weights;
            wlo[l] = new Rational[w.Length]; whi[l] = new Rational[w.Length];
            for (int k = 0; k < w.Length; k++)
            {
                var extra = gW * Moved(w[k], user.WLo[l][k], user.WHi[l][k]) + cW;
                wlo[l][k] = user.WLo[l][k] - extra; whi[l][k] = user.WHi[l][k] + extra;
            }
            var b = net.Layers[l].Bias;
            blo[l] = new Rational[b.Length]; bhi[l] = new Rational[b.Length];
            for (int i = 0; i < b.Length; i++)
            {
                var extra = gB * Moved(b[i], user.BLo[l][i], user.BHi[l][i]) + cB + opU;
                if (!rec[1].IsZero) // an input that underflows: |fl(w)|·a·(1+γ) per input
                    for (int j = 0; j < n; j++)
                        extra += (Moved(w[i * n + j], user.WLo[l][i * n + j], user.WHi[l][i * n + j]) * (one + f.U) + a) * a * (one + rec[0]);
                blo[l][i] = user.BLo[l][i] - extra; bhi[l][i] = user.BHi[l][i] + extra;
            }
        }
        return (user.With(wlo, whi, blo, bhi), f.Max, null);
    }

    /// <summary>|θ| + max(−lo, hi): a bound of |θ + δ| over the user's box.</summary>
    private static Rational Moved(double theta, Rational lo, Rational hi) => Rational.Abs(Rational.FromDouble(theta)) + Rational.Max(-lo, hi);

    /// <summary>
    /// Null when no float evaluation on the node's box can overflow: every input, parameter and Σ_j |w″_ij|·|h″_j| + |b″_i|
    /// (a bound of every partial sum in any order) at most the format's largest finite value, with |h″| from the node's
    /// checked enclosures of z′ (the float values are the exact values of the widened network). Outward-rounded doubles.
    /// </summary>
    public static string? Overflow(ExactNetwork net, ExactParameters widened, NodeInput node, Rational maxFinite)
    {
        double max = maxFinite.ToInterval().Lo;
        var h = node.Lower.Zip(node.Upper, (lo, hi) => Math.Max(Math.Abs(lo), Math.Abs(hi))).ToArray();
        if (h.Any(v => v > max)) return "an input exceeds the format's largest finite value";
        for (int k = 0; k < net.Depth; k++)
        {
            int n = net.Inputs[k];
            var next = new double[net.Outputs[k]];
            for (int i = 0; i < next.Length; i++)
            {
                double sum = Magnitude(net.B[k][i], widened.BLo[k][i], widened.BHi[k][i]);
                for (int j = 0; j < n; j++)
                {
                    double w = Magnitude(net.W[k][i * n + j], widened.WLo[k][i * n + j], widened.WHi[k][i * n + j]);
                    if (w > max) return $"layer {k + 1}: a widened weight exceeds the format's largest finite value";
                    sum = Rounding.AddUp(sum, Rounding.MulUp(w, h[j]));
                }
                if (!(sum <= max)) return string.Create(CultureInfo.InvariantCulture, $"layer {k + 1} neuron {i}: a sum may reach {sum:G6}, beyond the format's largest finite value");
                var e = node.Layers[k];
                double p = Math.Max(Math.Abs(e.PLo[i]), Math.Abs(e.PHi[i]));
                next[i] = Math.Max(Rounding.MulUp(p, Math.Max(net.P[k].ToInterval().Hi, Math.Abs(net.N[k].ToInterval().Lo))), 0);
            }
            h = next;
        }
        return null;
    }

    private static double Magnitude(Rational theta, Rational lo, Rational hi) =>
        Math.Max(Math.Abs((theta + lo).ToInterval().Lo), Math.Abs((theta + hi).ToInterval().Hi));
}
