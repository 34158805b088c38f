using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>One table row: realization distance (exact, so lower = upper) and parameter-distance bounds.</summary>
public sealed record ExampleRow(InverseExample Example, string Norm, Rational RealizationLower, Rational RealizationUpper,
                                Rational ParameterLower, Rational ParameterUpper);

public static class ExampleReport
{
    /// <summary>Rows for the sup norm and the W^{1,∞} semi-norm ("sobolev"), after checking Φ realises R(Θ) exactly.</summary>
    public static IReadOnlyList<ExampleRow> Evaluate(InverseExample e)
    {
        var same = RealizationDistance.Compute(e.Reparametrized, e.Theta, e.Lo, e.Hi);
        if (!same.Sup.IsZero || !same.SobolevSemi.IsZero)
            throw new InvalidOperationException($"example {e.Id}: the explicit re-parametrisation does not realise R(Θ)");
        var gap = RealizationDistance.Compute(e.Gamma, e.Theta, e.Lo, e.Hi);
        var upper = e.Gamma.ParameterDistance(e.Reparametrized);
        if (upper < e.ParameterLower)
            throw new InvalidOperationException($"example {e.Id}: lower bound {e.ParameterLower} exceeds upper bound {upper}");
        return
        [
            new(e, "sup", gap.Sup, gap.Sup, e.ParameterLower, upper),
            new(e, "sobolev", gap.SobolevSemi, gap.SobolevSemi, e.ParameterLower, upper),
        ];
    }
}
