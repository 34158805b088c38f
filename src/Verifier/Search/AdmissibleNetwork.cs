using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Turns a δ found in double arithmetic into a perturbed network θ' = fl(θ + δ) whose exact difference θ' − θ is
/// admissible. Rounding θ + δ can step outside the box by one ulp; such entries are pulled back towards θ until the
/// exact difference (computed error-free with TwoSum) lies inside. For a norm ball, δ is shrunk until the exact
/// rational test passes.
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
            var w = Perturb(p.W[l], dw[l], p.WLo[l], p.WHi[l]);
            var b = Perturb(p.B[l], db[l], p.BLo[l], p.BHi[l]);
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
                Perturb(p.W[p.BallLayer], scaled, p.WLo[p.BallLayer], p.WHi[p.BallLayer]), p.B[p.BallLayer]);
            net = p.Nominal.WithLayers(layers);
        }
        return p.Delta.Admits(p.Nominal, net) ? net : p.Nominal;
    }

    private static double[] Perturb(double[] theta, double[] delta, double[] lo, double[] hi)
    {
        var r = new double[theta.Length];
        for (int k = 0; k < r.Length; k++)
        {
            double t = theta[k], tp = t + delta[k];
            while (!DifferenceWithin(t, tp, lo[k], hi[k])) tp = tp > t ? Math.BitDecrement(tp) : Math.BitIncrement(tp);
            r[k] = tp;
        }
        return r;
    }

    /// <summary>Whether the exact real tp − t lies in [lo, hi] (lo ≤ 0 ≤ hi), decided without rounding error.</summary>
    internal static bool DifferenceWithin(double t, double tp, double lo, double hi)
    {
        if (tp == t) return lo <= 0 && 0 <= hi;
        // TwoSum: s + e == tp − t exactly.
        double s = tp - t;
        double bv = s - tp;
        double e = (tp - (s - bv)) + (-t - bv);
        bool belowHi = s < hi || (s == hi && e <= 0);
        bool aboveLo = s > lo || (s == lo && e >= 0);
        return belowHi && aboveLo;
    }
}
