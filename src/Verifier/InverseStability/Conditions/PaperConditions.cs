using Verify.Intervals;
using Verify.Results;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// Checks of Section 3 of Berner, Elbrächter, Grohs on bias-free shallow networks with exact rationals. C.2 is read as
/// "no two nonzero a_i with a_j/‖a_j‖∞ = a_i/‖a_i‖∞" (the printed "a_j/‖a_i‖∞" normalises both by the same neuron,
/// an evident typo: the text calls C.2 "no redundant directions"), C.3(a) likewise with −, within Γ and within Θ, and
/// C.3(b) across. The theorem asks for SOME Θ with R(Θ) = g satisfying C.3; only the given Θ is checked.
/// </summary>
public static class PaperConditions
{
    /// <summary>
    /// The entry point of `verify inverse-stability conditions`: the conditions of Γ (with Θ when given) and, when
    /// <paramref name="theoremDomain"/> is given (it needs Θ), Theorems 3.1 and 3.3 on that domain — unless the networks
    /// are too large for the check, which is then skipped with the reason.
    /// </summary>
    public static ConditionsResult Report(ExactNet gamma, ExactNet? theta, FiberDomain? theoremDomain, FiberOptions options)
    {
        if (theta is null || theoremDomain is null) return new ConditionsResult(Check(gamma, theta, null), theta is not null, null, null);
        if (TheoremCheck.TooLarge(gamma, theta) is { } why) return new ConditionsResult(Check(gamma, theta, null), true, null, why);
        var theorem = TheoremCheck.Run(gamma, theta, theoremDomain, options);
        return new ConditionsResult(theorem.Conditions, true, theorem, null);
    }

    public static PaperConditionsReport Check(ExactNet gamma, ExactNet? theta, Rational? semiNorm)
    {
        var g = ShallowNeurons.Of(gamma);
        var v = new List<ConditionViolation>();
        bool balanced = true;
        for (int i = 0; i < g.Count; i++)
        {
            Rational na = ShallowNeurons.MaxAbs(g[i].A), nc = ShallowNeurons.MaxAbs(g[i].C);
            if (na != nc) { balanced = false; v.Add(new("balanced", $"neuron {i}: ‖c‖∞ = {nc} ≠ ‖a‖∞ = {na} (N′, (36))")); }
        }
        bool c2 = true, c3aGamma = Opposite(g, "Γ", v);
        for (int i = 0; i < g.Count; i++)
            for (int j = i + 1; j < g.Count; j++)
                if (ShallowNeurons.ParallelSign(g[i].A, g[j].A) > 0) { c2 = false; v.Add(new("C.2", $"Γ neurons {i} and {j}: same direction (redundant)")); }
        bool c3aTheta = true, c3b = true;
        if (theta is not null)
        {
            var t = ShallowNeurons.Of(theta);
            c3aTheta = Opposite(t, "Θ", v);
            for (int i = 0; i < g.Count; i++)
                for (int j = 0; j < t.Count; j++)
                    if (ShallowNeurons.ParallelSign(g[i].A, t[j].A) < 0) { c3b = false; v.Add(new("C.3(b)", $"Γ neuron {i} and Θ neuron {j}: opposite directions")); }
        }
        bool lastTwo = gamma.InputSize >= 2;
        if (!lastTwo) v.Add(new("N*", "N* needs at least two inputs (the last two coordinates of every a_i must be positive)"));
        else
            for (int i = 0; i < g.Count; i++)
                if (!(g[i].A[^1].Sign > 0 && g[i].A[^2].Sign > 0)) { lastTwo = false; v.Add(new("N*", $"neuron {i}: last two coordinates of a not both positive (37)")); }
        Rational? beta = null;
        if (semiNorm is { } r)
        {
            beta = Rational.Zero;
            foreach (var n in g)
            {
                var product = ShallowNeurons.MaxAbs(n.C.SelectMany(c => n.A.Select(a => c * a)));
                if (product <= 2 * r) beta = Rational.Max(beta.Value, Rational.Max(ShallowNeurons.MaxAbs(n.C), ShallowNeurons.MaxAbs(n.A)));
            }
            if (beta.Value * beta.Value > 2 * r)
                v.Add(new("C.1", $"the neurons with ‖c a‖∞ ≤ 2|g − R(Γ)| = {2 * r} need β ≥ {beta}, more than the balanced (2|g − R(Γ)|)^1/2"));
        }
        return new(v, balanced, c2, c3aGamma, c3aTheta, c3b, lastTwo, semiNorm, beta);
    }

    private static bool Opposite(IReadOnlyList<ShallowNeuron> n, string name, List<ConditionViolation> v)
    {
        bool ok = true;
        for (int i = 0; i < n.Count; i++)
            for (int j = i + 1; j < n.Count; j++)
                if (ShallowNeurons.ParallelSign(n[i].A, n[j].A) < 0) { ok = false; v.Add(new("C.3(a)", $"{name} neurons {i} and {j}: opposite directions")); }
        return ok;
    }
}
