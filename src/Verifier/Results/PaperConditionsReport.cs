using Verify.Intervals;

namespace Verify.Results;

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
