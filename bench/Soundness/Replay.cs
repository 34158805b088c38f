using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Soundness;

/// <summary>A certified bound contradicted by an exactly replayed point: the campaign's only failure.</summary>
public sealed record Violation(Instance Instance, string Check, string Detail, double[]? X = null, Network? Perturbed = null);

/// <summary>Replays (x, θ') in rational arithmetic against every method's certified per-output bounds.</summary>
public static class Replay
{
    public static Rational[] Exact(Network net, double[] x) => net.EvaluateExact(x.Select(Rational.FromDouble).ToArray());

    /// <summary>|Δf_j| ≤ U_j for every method and output, and DeltaLower_j ≤ Δf_j ≤ DeltaUpper_j where a method gives them.</summary>
    public static Violation? Check(Instance inst, IReadOnlyList<(string Method, DeviationBound Bound)> bounds,
                                   Sample sample, Rational[] nominal)
    {
        var perturbed = Exact(sample.Perturbed, sample.X);
        for (int j = 0; j < nominal.Length; j++)
        {
            var dev = perturbed[j] - nominal[j];
            foreach (var (method, b) in bounds)
            {
                string? broken =
                    Rational.Abs(dev) > Upper(b.Upper[j]) ? $"|Δf_{j}| = {Rational.Abs(dev).ToDouble():R} > U = {b.Upper[j]:R}" :
                    b.DeltaLower is { } dl && Lower(dl[j]) > dev ? $"Δf_{j} = {dev.ToDouble():R} < certified lower {dl[j]:R}" :
                    b.DeltaUpper is { } du && dev > Upper(du[j]) ? $"Δf_{j} = {dev.ToDouble():R} > certified upper {du[j]:R}" : null;
                if (broken is not null)
                    return new Violation(inst, $"{method} bound ({sample.Kind} sample)", broken, sample.X, sample.Perturbed);
            }
        }
        return null;
    }

    // An infinite bound holds trivially; NaN never does.
    private static Rational Upper(double u) => double.IsPositiveInfinity(u) ? Rational.FromDouble(double.MaxValue) * 4 : Rational.FromDouble(u);
    private static Rational Lower(double l) => double.IsNegativeInfinity(l) ? Rational.FromDouble(double.MinValue) * 4 : Rational.FromDouble(l);
}
