using Verify.Results;
namespace Verify.InverseStability;

/// <summary>
/// The pathologies of Section 2 that a pair exhibits, decided from the networks through the conditions of Section 3
/// (each condition excludes one pathology): unbalanced (C.1 needs a β above the balanced (2|g − R(Γ)|)^{1/2}),
/// redundant directions (C.2), opposite directions within Γ or Θ (C.3(a)) or across them (C.3(b)). A sup-norm pair on
/// which all of them hold can only be far in parameters through the gradient (Example 2.1): "exploding gradient".
/// </summary>
public static class Pathologies
{
    public static IReadOnlyList<string> Of(PaperConditionsReport c, RealizationNorm norm)
    {
        var list = new List<string>();
        if (!c.C1AtBalancedBeta) list.Add("unbalanced (C.1)");
        if (!c.C2) list.Add("redundant directions (C.2)");
        if (!c.C3aGamma || !c.C3aTheta) list.Add("opposite directions within a network (C.3a)");
        if (!c.C3b) list.Add("opposite directions across Γ and Θ (C.3b)");
        if (list.Count == 0)
            list.Add(norm == RealizationNorm.Sup ? "exploding gradient (C.1–C.3 hold; sup norm)" : "none: C.1–C.3 hold");
        return list;
    }
}
