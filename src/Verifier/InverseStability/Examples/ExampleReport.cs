using Verify.Intervals;
using Verify.Specs;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>One table row: the realization distance (exact: lower = upper) and the parameter-distance bounds.</summary>
public sealed record ExampleRow(PaperExample Example, ExampleNorm Norm, RealizationUpper Realization, FiberLemmaBound ParameterLower,
                                Rational ParameterUpper);

public static class ExampleReport
{
    /// <summary>Rows for every norm of the example, after checking exactly that Φ realises g_k = R(Θ).</summary>
    public static IReadOnlyList<ExampleRow> Evaluate(PaperExample e, TimeSpan checkTimeout)
    {
        if (!SameRealization(e.Phi, e.Theta, e.Domain, checkTimeout))
            throw new InvalidOperationException($"example {e.Id}: the explicit parametrization does not realise g_k");
        var lower = FiberLemmas.LowerBound(e.Gamma, e.Theta);
        var upper = ShallowNeurons.PermutationDistance(e.Gamma, e.Phi);
        if (upper < lower.Value)
            throw new InvalidOperationException($"example {e.Id}: lower bound {lower.Value} exceeds upper bound {upper}");
        return e.Norms.Select(n =>
        {
            var r = RealizationUpperBound.Compute(e.Gamma, e.Theta, e.Domain, n.Norm == "sup" ? RealizationNorm.Sup : RealizationNorm.Semi, checkTimeout);
            if (!r.Exact) throw new InvalidOperationException($"example {e.Id}: the realization distance was not decided exactly");
            return new ExampleRow(e, n, r, lower, upper);
        }).ToArray();
    }

    /// <summary>Bias-free networks agree at 0, so they realise the same function iff the semi-norm of the difference is 0.</summary>
    public static bool SameRealization(ExactNet a, ExactNet b, FiberDomain u, TimeSpan checkTimeout)
    {
        var r = RealizationUpperBound.Compute(a, b, u, RealizationNorm.Semi, checkTimeout);
        return r.Exact && r.Value.IsZero;
    }
}
