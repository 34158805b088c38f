using Verify.Intervals;
using Verify.Results;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// Theorems 3.1 and 3.3 of Berner, Elbrächter, Grohs on a pair (Γ, Θ) of bias-free shallow networks with scalar output:
/// both sides computed, the fiber distance from below in the bias-free parameter space N_N (which contains the theorems'
/// Φ, also Theorem 3.3's Φ ∈ N* ⊂ N_N, so a lower bound over N_N bounds theirs from below).
/// </summary>
public static class TheoremCheck
{
    public static TheoremReport Run(ExactNet gamma, ExactNet theta, FiberDomain u, FiberOptions? z3, CancellationToken cancel = default)
    {
        var realization = RealizationUpperBound.Compute(gamma, theta, u, RealizationNorm.Semi, z3?.CheckTimeout ?? TimeSpan.FromSeconds(5));
        var conditions = PaperConditions.Check(gamma, theta, realization.Value);
        var thetaOwn = PaperConditions.Check(theta, null, null);
        var root = realization.Value.ToInterval().Sqrt();
        double? g31 = conditions.Theorem31Applies ? (conditions.Beta!.Value.ToInterval() + 2 * root).Hi : null;
        double? g33 = conditions.InNStar && thetaOwn.InNStar ? (4 * root).Hi : null;
        var lemma = FiberLemmas.LowerBound(gamma, theta);
        FiberResult? fiber = z3 is null ? null : FiberDistance.Report(new FiberProblem(gamma, theta, u, BiasFree: true), z3, cancel);
        var lower = Rational.Max(lemma.Value, fiber?.Lower ?? Rational.Zero);
        var bounds = new[] { g31, g33 }.OfType<double>().ToArray();
        var (outcome, reason) = Decide(bounds.Length > 0, lower, bounds.Length == 0 ? double.PositiveInfinity : bounds.Min());
        return new TheoremReport(u, realization, conditions, g31, g33, lemma, fiber, lower, outcome, reason);
    }

    /// <summary>Most joint activation regions (Σ_{i ≤ d} C(n, i) for n hyperplanes in d dimensions) the semi-norm may enumerate.</summary>
    public const double MaxRegions = 20_000;

    /// <summary>Why the check would not finish on these networks, or null when it is small enough to run.</summary>
    public static string? TooLarge(ExactNet gamma, ExactNet theta)
    {
        long parameters = gamma.Parameters().LongCount();
        if (parameters > FiberDistance.MaxParameters) return $"Γ has {parameters} parameters (the Z3 fiber bound takes at most {FiberDistance.MaxParameters})";
        int n = gamma.Layers[0].Outputs + theta.Layers[0].Outputs, d = gamma.InputSize;
        double regions = 0, binom = 1;
        for (int i = 0; i <= Math.Min(d, n); i++) { regions += binom; binom = binom * (n - i) / (i + 1); }
        return regions > MaxRegions ? $"{n} hidden neurons in {d} inputs allow up to {regions:G3} activation regions (at most {MaxRegions:G3} are enumerated)" : null;
    }

    /// <summary>A violation needs an applicable theorem and a certified fiber lower bound strictly above the (rounded-up) bound.</summary>
    public static (TheoremOutcome, string) Decide(bool applies, Rational fiberLower, double bound) =>
        !applies ? (TheoremOutcome.NotApplicable, "C.2 or C.3 fails and the pair is not in N*: neither theorem applies")
        : fiberLower > Rational.FromDouble(bound) ? (TheoremOutcome.Violated, $"certified fiber distance ≥ {fiberLower} exceeds the guarantee {bound:R}")
        : (TheoremOutcome.Consistent, "the certified fiber lower bound is within the guarantee");
}
