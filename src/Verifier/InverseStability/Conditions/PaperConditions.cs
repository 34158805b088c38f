using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>One violated condition, naming the neurons involved (0-based hidden-neuron indices).</summary>
public sealed record ConditionViolation(string Condition, string Detail);

/// <summary>
/// The conditions of Section 3 for Γ (and a parametrization Θ of g): C.1 with its β (only when g is given), C.2, C.3(a)
/// and (b), balancedness |c_i| = ‖a_i‖∞ of N′ (36) and membership in N* (37). Beta is the least β for which C.1 holds:
/// the largest max(‖c_i‖∞, ‖a_i‖∞) over the neurons with ‖c_i a_iᵀ‖∞ ≤ 2|g − R(Γ)|_{W^{1,∞}}; C.1 "holds at the
/// balanced β" when Beta² ≤ 2|g − R(Γ)| (the β that the paper notes every balanced Γ has).
/// </summary>
public sealed record PaperConditionsReport(IReadOnlyList<ConditionViolation> Violations, bool Balanced, bool C2, bool C3aGamma,
                                           bool C3aTheta, bool C3b, bool LastTwoPositive, Rational? SemiNorm, Rational? Beta)
{
    public bool InNStar => Balanced && C2 && LastTwoPositive;
    public bool C1AtBalancedBeta => SemiNorm is not { } r || Beta is not { } b || b * b <= 2 * r;
    public bool C3 => C3aGamma && C3aTheta && C3b;
    /// <summary>C.2 and C.3 hold (C.1 holds with <see cref="Beta"/>): Theorem 3.1 applies with that β.</summary>
    public bool Theorem31Applies => C2 && C3;
    public bool AllHold => Violations.Count == 0;
}

/// <summary>
/// Checks of Section 3 of Berner, Elbrächter, Grohs on bias-free shallow networks with exact rationals. C.2 is read as
/// "no two nonzero a_i with a_j/‖a_j‖∞ = a_i/‖a_i‖∞" (the printed "a_j/‖a_i‖∞" normalises both by the same neuron,
/// an evident typo: the text calls C.2 "no redundant directions"), C.3(a) likewise with −, within Γ and within Θ, and
/// C.3(b) across. The theorem asks for SOME Θ with R(Θ) = g satisfying C.3; only the given Θ is checked.
/// </summary>
public static class PaperConditions
{
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
