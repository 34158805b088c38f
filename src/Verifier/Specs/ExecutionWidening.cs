using Verify.Intervals;
using Verify.Model;

namespace Verify.Specs;

/// <summary>
/// Widens the parameter box of a perturbation model so that it also covers every floating-point evaluation of the
/// perturbed network in an <see cref="ExecutionFormat"/>: any summation order, with or without FMA, parameters and
/// inputs rounded to the format. The derivation is docs/execution.md; in short, for layer l with n inputs:
/// <list type="bullet">
/// <item>the stored parameter is fl(θ′) = θ′(1+η) + ζ, |η| ≤ u, |ζ| ≤ a (a = <see cref="ExecutionFormat.UnderflowError"/>);</item>
/// <item>the float dot product plus bias, in any order, with or without FMA, is Σ wᵢhᵢ(1+θᵢ) + b(1+θ_b) + Σ ηₖ
/// with |θ| ≤ γ_{n+1} and at most n+1 underflow errors ηₖ (2n+1 when additions may flush), each ≤ a and
/// magnified by at most 1+γ_{n+1};</item>
/// <item>the layer's input arrives as h(1+ι) + ζ′: ι = u for the rounded network input (layer 1), about (1+u)²−1 after
/// a leaky ReLU (its slope and product are rounded; see <see cref="InputRelativeError"/>), 0 after ReLU or identity
/// (exact);</item>
/// </list>
/// so the float layer is the exact layer with every weight moved by at most g_W·|θ′| + a(1+γ)(1+ι), every bias by
/// g_b·|θ′| + a(1+γ), and the bias additionally by the absolute underflow terms, where
/// g_W = (1+u)(1+γ)(1+ι) − 1, g_b = (1+u)(1+γ) − 1 and |θ′| ≤ |θ| + r_user. Every constant is rounded upward.
/// </summary>
/// <summary>One layer's widening constants (<see cref="ExecutionWidening.Of"/>), each an upper bound of the exact value.</summary>
public sealed record LayerWidening(double Gamma, double Iota, double WeightRelative, double BiasRelative, double WeightAbsolute,
                                   double BiasAbsolute, double OperationUnderflow);

public static class ExecutionWidening
{
    public static ParameterBox Widen(Network net, ParameterBox user, ExecutionFormat f)
    {
        double u = f.UnitRoundoff, a = f.UnderflowError;
        var layers = new ParameterBox.LayerBox[net.Depth];
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l]; var box = user.Layers[l];
            int n = L.Inputs;
            var c = Of(net, l, f);
            double gW = c.WeightRelative, gB = c.BiasRelative, cW = c.WeightAbsolute;
            double cB = c.BiasAbsolute, operationUnderflow = c.OperationUnderflow;
            // An input that underflows when rounded (or a leaky product that does) is h(1+ι) + ζ′ with |ζ′| ≤ a: the
            // term w·ζ′ reaches the sum as |fl(w)|·a·(1+γ) at most.
            bool inputUnderflows = c.Iota > 0;
            double inputUnderflow = Rounding.MulUp(a, Rounding.AddUp(1, c.Gamma));

            var wlo = new double[box.WeightLo.Length]; var whi = new double[box.WeightHi.Length];
            var blo = new double[box.BiasLo.Length]; var bhi = new double[box.BiasHi.Length];
            var w = L.Weights;
            for (int k = 0; k < w.Length; k++)
            {
                double extra = Rounding.AddUp(Rounding.MulUp(gW, Moved(w[k], box.WeightLo[k], box.WeightHi[k])), cW);
                wlo[k] = Rounding.SubDown(box.WeightLo[k], extra);
                whi[k] = Rounding.AddUp(box.WeightHi[k], extra);
            }
            var b = L.Bias;
            for (int i = 0; i < b.Length; i++)
            {
                double extra = Rounding.AddUp(Rounding.AddUp(Rounding.MulUp(gB, Moved(b[i], box.BiasLo[i], box.BiasHi[i])), cB), operationUnderflow);
                if (inputUnderflows)
                    for (int j = 0; j < n; j++)
                    {
                        int k = i * n + j;
                        double stored = Rounding.AddUp(Rounding.MulUp(Moved(w[k], box.WeightLo[k], box.WeightHi[k]), Rounding.AddUp(1, u)), a);
                        extra = Rounding.AddUp(extra, Rounding.MulUp(stored, inputUnderflow));
                    }
                blo[i] = Rounding.SubDown(box.BiasLo[i], extra);
                bhi[i] = Rounding.AddUp(box.BiasHi[i], extra);
            }
            layers[l] = new ParameterBox.LayerBox(wlo, whi, blo, bhi);
        }
        // Witnesses are the user's perturbations: the inner box stays the user's.
        return new ParameterBox(layers, user.Ball, user.Inner) { RealArithmetic = user, Execution = f };
    }

    /// <summary>
    /// The constants of layer <paramref name="l"/>'s widening, each rounded upward (recorded in certificates of
    /// `--execution` answers, where the checker recomputes them exactly): γ_{n+1}, ι, g_W = (1+u)(1+γ)(1+ι) − 1,
    /// g_b = (1+u)(1+γ) − 1, the weights' absolute term a(1+γ)(1+ι), the bias's a(1+γ) and k·a(1+γ) (k the operations
    /// that may underflow); the bias's data-dependent term for underflowing inputs is not among them.
    /// </summary>
    public static LayerWidening Of(Network net, int l, ExecutionFormat f)
    {
        double u = f.UnitRoundoff, a = f.UnderflowError;
        int n = net.Layers[l].Inputs;
        double gamma = f.Gamma(n + 1);
        double onePlusGamma = Rounding.AddUp(1, gamma);
        double iota = InputRelativeError(net, l, u, a);
        double onePlusIota = Rounding.AddUp(1, iota);
        double storedAndSummed = Rounding.MulUp(Rounding.AddUp(1, u), onePlusGamma);
        double gW = Rounding.SubUp(Rounding.MulUp(storedAndSummed, onePlusIota), 1);
        double gB = Rounding.SubUp(storedAndSummed, 1);
        double cW = Rounding.MulUp(Rounding.MulUp(a, onePlusGamma), onePlusIota);
        double cB = Rounding.MulUp(a, onePlusGamma);
        long operations = f.FlushToZero ? 2L * n + 1 : n + 1L;
        double operationUnderflow = Rounding.MulUp(Rounding.MulUp(operations, a), onePlusGamma);
        return new LayerWidening(gamma, iota, gW, gB, cW, cB, operationUnderflow);
    }

    /// <summary>
    /// The relative error ι of the values entering layer <paramref name="layer"/> (see the class comment). After a leaky
    /// ReLU with slope α the output is fl(fl(α)·z): the stored slope is off by at most u·|α| + a (a tiny α may round to a
    /// subnormal), a relative ρ = u + a/|α|, and the product adds one more rounding: ι = (1 + ρ)(1 + u) − 1.
    /// </summary>
    private static double InputRelativeError(Network net, int layer, double u, double a)
    {
        if (layer == 0) return u;
        var previous = net.Layers[layer - 1].Activation;
        if (previous.Kind != ActivationKind.LeakyRelu || previous.Slope == 0) return 0;
        double rho = Rounding.AddUp(u, Rounding.DivUp(a, Math.Abs(previous.Slope)));
        return Rounding.SubUp(Rounding.MulUp(Rounding.AddUp(1, rho), Rounding.AddUp(1, u)), 1);
    }

    /// <summary>An upper bound of |θ + δ| over the box: |θ| + max(|lo|, |hi|).</summary>
    private static double Moved(double theta, double lo, double hi) => Rounding.AddUp(Math.Abs(theta), Math.Max(-lo, hi));
}
