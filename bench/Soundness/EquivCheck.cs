using Verify.Equivalence;
using Verify.Intervals;
using Verify.Results;

namespace Verify.Soundness;

/// <summary>
/// `equiv` on (θ, θ') with θ' a δ-box vertex: the verdict and bounds are checked against exact replays. Verified
/// means no sampled x may show |f'_j − f_j| > ε (or above Upper_j); falsified needs a witness x in the box whose
/// exact difference exceeds ε; always Lower_j ≤ Upper_j.
/// </summary>
public static class EquivCheck
{
    public static (Verdict Verdict, int Replays, Violation? Violation) Run(Instance inst, Sample pair, double eps, Random rng, int points)
    {
        var q = new EquivalenceQuery(inst.Network, pair.Perturbed, inst.Box, eps, TopOne: false)
        {
            Timeout = TimeSpan.FromSeconds(2), Seed = inst.Seed, Threads = 1,
        };
        var r = new EquivalenceChecker().Check(q);
        for (int j = 0; j < r.Upper.Length; j++)
            if (r.Lower[j] > r.Upper[j]) return (r.Verdict, 0, new(inst, "equiv bounds", $"output {j}: lower {r.Lower[j]:R} > upper {r.Upper[j]:R}"));
        int replays = 0;
        var epsExact = Rational.FromDouble(eps);
        if (r.Verdict == Verdict.Falsified)
        {
            if (r.Witness is not { } w || !inst.Box.Contains(w.X) || w.Output is not { } j)
                return (r.Verdict, 0, new(inst, "equiv witness", "falsified without a witness point in the box"));
            var d = Rational.Abs(Replay.Exact(pair.Perturbed, w.X)[j] - Replay.Exact(inst.Network, w.X)[j]);
            replays++;
            if (d <= epsExact) return (r.Verdict, replays, new(inst, "equiv witness", $"falsified, but |Δf_{j}| = {d.ToDouble():R} ≤ ε = {eps:R} at the witness", w.X, pair.Perturbed));
        }
        var box = inst.Box;
        for (int p = 0; p < points; p++)
        {
            var x = Enumerable.Range(0, box.Dimension).Select(i => p % 2 == 0 ? (rng.Next(2) == 0 ? box[i].Lo : box[i].Hi)
                                                                                : Math.Clamp(box[i].Lo + rng.NextDouble() * (box[i].Hi - box[i].Lo), box[i].Lo, box[i].Hi)).ToArray();
            var y0 = Replay.Exact(inst.Network, x); var y1 = Replay.Exact(pair.Perturbed, x);
            replays++;
            for (int j = 0; j < y0.Length; j++)
            {
                var d = Rational.Abs(y1[j] - y0[j]);
                if (!double.IsPositiveInfinity(r.Upper[j]) && d > Rational.FromDouble(r.Upper[j]))
                    return (r.Verdict, replays, new(inst, "equiv upper bound", $"|Δf_{j}| = {d.ToDouble():R} > Upper = {r.Upper[j]:R}", x, pair.Perturbed));
                if (r.Verdict == Verdict.Verified && d > epsExact)
                    return (r.Verdict, replays, new(inst, "equiv verified", $"|Δf_{j}| = {d.ToDouble():R} > ε = {eps:R}", x, pair.Perturbed));
            }
        }
        return (r.Verdict, replays, null);
    }
}
