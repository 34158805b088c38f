using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Turns a δ found in double arithmetic into a perturbed network θ' = fl(θ + δ) whose exact difference θ' − θ is
/// admissible. δ may come from the enclosing box, and rounding θ + δ can step outside by an ulp; such entries are
/// pulled back towards θ until the exact difference lies in the parameter box's inner (certainly admissible) box.
/// For a norm ball, δ is shrunk until the exact rational test passes.
/// </summary>
internal static class AdmissibleNetwork
{
    public static Network Build(DeviationProblem p, double[][] dw, double[][] db)
    {
        var layers = new DenseLayer[p.Depth];
        for (int l = 0; l < p.Depth; l++)
        {
            var nominal = p.Nominal.Layers[l];
            if (!p.Moves[l]) { layers[l] = nominal; continue; }
            var inner = p.Delta.Inner[l];
            var w = Perturb(p.W[l], dw[l], inner.WeightLo, inner.WeightHi);
            var b = Perturb(p.B[l], db[l], inner.BiasLo, inner.BiasHi);
            layers[l] = nominal.With(w, b);
        }
        var net = p.Nominal.WithLayers(layers);
        if (p.BallLayer < 0) return net;
        // Inside the ball by a relative 1e-9 already; shrink in the unlikely case rounding still leaves it.
        double shrink = 1.0;
        for (int attempt = 0; attempt < 60 && !p.Delta.Admits(p.Nominal, net); attempt++)
        {
            shrink *= 0.5;
            var scaled = dw[p.BallLayer].Select(v => v * shrink).ToArray();
            layers[p.BallLayer] = p.Nominal.Layers[p.BallLayer].With(
                Perturb(p.W[p.BallLayer], scaled, p.Delta.Inner[p.BallLayer].WeightLo, p.Delta.Inner[p.BallLayer].WeightHi), p.B[p.BallLayer]);
            net = p.Nominal.WithLayers(layers);
        }
        return p.Delta.Admits(p.Nominal, net) ? net : p.Nominal;
    }

    private static double[] Perturb(double[] theta, double[] delta, double[] lo, double[] hi)
    {
        var r = new double[theta.Length];
        for (int k = 0; k < r.Length; k++)
            r[k] = Rounding.ClosestWithDifferenceIn(theta[k], theta[k] + delta[k], lo[k], hi[k]);
        return r;
    }
}
