using Verify.Results;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>The <see cref="ConditionNumbers"/> at x, from the local linear map of x's activation region.</summary>
public static class ConditionNumberAnalysis
{
    public static ConditionNumbers At(LocalLinearization lin, NoiseSpec noise, bool checkBoundary = true)
    {
        var net = lin.Network;
        int p = net.OutputSize, n = net.InputSize;
        var jx = lin.InputJacobian();
        var inputAbs = new NormPair(OperatorNorms.Inf(jx, p, n), OperatorNorms.Two(jx, p, n));
        double fInf = lin.Output.Max(Math.Abs), f2 = Norm2(lin.Output);
        double xInf = lin.X.Length == 0 ? 0 : lin.X.Max(Math.Abs), x2 = Norm2(lin.X);
        var inputRel = new NormPair(Ratio(inputAbs.Inf * xInf, fInf), Ratio(inputAbs.L2 * x2, f2));

        // ∂f/∂θ_P = [A_l ⊗ h_{l−1}ᵀ | A_l]_l, so J·Jᵀ = Σ_l A_l A_lᵀ (w_l‖h‖₂² + b_l) and
        // row k of |J| sums to Σ_l ‖row_k A_l‖₁ (w_l‖h‖₁ + b_l), with w_l, b_l = 1 when weights / biases move.
        var gram = new double[p * p];
        var rowSums = new double[p];
        double thetaInf = 0, thetaSq = 0;
        for (int l = 0; l < net.Depth; l++)
        {
            bool w = noise.WeightsMove(l), b = noise.BiasesMove(l);
            if (!w && !b) continue;
            var layer = net.Layers[l];
            var h = lin.Inputs[l];
            double c2 = (w ? h.Sum(v => v * v) : 0) + (b ? 1 : 0);
            double c1 = (w ? h.Sum(Math.Abs) : 0) + (b ? 1 : 0);
            int m = layer.Outputs;
            var a = lin.A[l];
            for (int k = 0; k < p; k++)
            {
                double rs = 0;
                for (int i = 0; i < m; i++) rs += Math.Abs(a[k * m + i]);
                rowSums[k] += rs * c1;
                for (int k2 = k; k2 < p; k2++)
                {
                    double s = 0;
                    for (int i = 0; i < m; i++) s += a[k * m + i] * a[k2 * m + i];
                    gram[k * p + k2] += s * c2;
                    if (k2 != k) gram[k2 * p + k] += s * c2;
                }
            }
            if (w) foreach (var v in layer.Weights) { thetaInf = Math.Max(thetaInf, Math.Abs(v)); thetaSq += v * v; }
            if (b) foreach (var v in layer.Bias) { thetaInf = Math.Max(thetaInf, Math.Abs(v)); thetaSq += v * v; }
        }
        var paramAbs = new NormPair(rowSums.Max(), Math.Sqrt(Math.Max(0, OperatorNorms.LargestEigenvalue(gram, p))));
        var paramRel = new NormPair(Ratio(paramAbs.Inf * thetaInf, fInf), Ratio(paramAbs.L2 * Math.Sqrt(thetaSq), f2));
        var boundary = checkBoundary ? lin.BoundaryNeurons() : [];
        return new ConditionNumbers(inputAbs, inputRel, paramAbs, paramRel, boundary);
    }

    private static double Norm2(double[] v) => Math.Sqrt(v.Sum(a => a * a));

    private static double Ratio(double num, double den) => den > 0 ? num / den : num == 0 ? 0 : double.PositiveInfinity;
}
