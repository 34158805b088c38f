using Verify.Intervals;
using Verify.Specs;
using Verify.Results;
using Verify.Smt;

namespace Verify.InverseStability;

/// <summary>
/// Lower ≤ d(Γ, fiber(Θ)) ≤ Upper.Distance. Lower is certified (largest UNSAT level, or 0); Upper is the best verified
/// member of the fiber (null when none was found). Points are the sample points every UNSAT check used.
/// </summary>
public sealed record FiberReport(Rational Lower, FiberCandidate? Upper, IReadOnlyList<FiberPoint> Points,
                                 IReadOnlyList<FiberCheck> Checks, IReadOnlyList<FiberCandidate> Candidates)
{
    /// <summary>SAT models that match at the points but are not verified members of the fiber (reported, never used).</summary>
    public IEnumerable<FiberCheck> UnverifiedModels => Checks.Where(c => c.IsSatModel && !Candidates.Any(k => k.Source.StartsWith($"SAT model at s = {c.S}", StringComparison.Ordinal)));

    /// <summary>The answer as a result record: networks as their exact parameter lists.</summary>
    public FiberResult ToResult(FiberDomain u, bool biasFree) => new(u, biasFree, Lower, Upper is null ? null : Member(Upper), Points,
        Checks.Select(c => new FiberSolverCheck(c.S, Status(c.Status), c.Detail, c.Seconds, c.Model?.Parameters().ToArray())).ToArray(),
        Candidates.Select(Member).ToArray(), UnverifiedModels.Select(c => c.S).ToArray());

    private static FiberMember Member(FiberCandidate c) => new(c.Source, c.Distance, c.Verification, c.Phi.Parameters().ToArray());

    private static string Status(SmtStatus s) => s.ToString().ToLowerInvariant();
}

public static class FiberDistance
{
    /// <summary>Most parameters of Γ worth a Z3 bound: every parameter is a variable at every sample point, and beyond
    /// small networks each check only times out.</summary>
    public const int MaxParameters = 400;

    /// <summary>The entry point of `verify inverse-stability fiber`: <see cref="Compute"/> as a result record.</summary>
    public static FiberResult Report(FiberProblem problem, FiberOptions options, CancellationToken cancel = default) =>
        Compute(problem, options, cancel).ToResult(problem.Domain, problem.BiasFree);

    public static FiberReport Compute(FiberProblem problem, FiberOptions options, CancellationToken cancel = default)
    {
        problem.Validate();
        var structural = FiberUpperBound.Candidates(problem);
        var best = structural.FirstOrDefault();
        var lower = FiberLowerBound.Compute(problem, options, best?.Distance, cancel: cancel);
        // SAT models match only at the points; those that verify exactly are members of the fiber and may improve the upper bound.
        var models = lower.Checks.Where(c => c.Model is not null).Select(c => ($"SAT model at s = {c.S}", c.Model!));
        var all = structural.Concat(FiberUpperBound.Verified(problem, models)).OrderBy(c => c.Distance).ToList();
        best = all.FirstOrDefault();
        if (best is not null && best.Distance < lower.Lower)
            throw new InvalidOperationException($"certified lower bound {lower.Lower} exceeds a verified member of the fiber at {best.Distance}: a soundness bug");
        return new FiberReport(lower.Lower, best, lower.Points, lower.Checks, all);
    }
}
