using Verify.Intervals;
using Verify.Results;
using Verify.Symmetry;

namespace Verify.InverseStability;

/// <summary>A Φ with R(Φ) = R(Θ) on U (verified as stated) and its exact distance ‖Φ − Γ‖∞: an upper bound of the fiber distance.</summary>
public sealed record FiberCandidate(string Source, ExactNet Phi, Rational Distance, string Verification);

/// <summary>
/// Upper bounds of d(Γ, fiber(Θ)) from explicit members of the fiber: Θ itself, Θ moved by the permutation-and-scaling
/// symmetry that `verify distance` finds closest to Γ (applied exactly), the rewrites of <see cref="FiberRewrites"/>
/// (merges, opposite pairs, parked free neurons), explicit re-parametrisations given by the caller, and
/// SAT models of the lower-bound checks. A candidate counts only after its realization is verified: exactly on U for
/// one-hidden-layer scalar networks (<see cref="RealizationDistance"/>), on every joint activation region for one hidden
/// layer and d ≥ 2 (<see cref="RealizationUpperBound.EqualOnDomain"/>), otherwise by construction (symmetries and merges
/// are identities of ReLU networks, ρ(λz) = λρ(z) for λ &gt; 0); unverifiable candidates are dropped.
/// </summary>
public static class FiberUpperBound
{
    public static IReadOnlyList<FiberCandidate> Candidates(FiberProblem p)
    {
        var found = new List<FiberCandidate>();
        void Structural(string source, ExactNet phi)
        {
            if (!InSpace(p, phi)) return;
            // Even a construction is checked where an exact check exists: a failure here is our bug, not a candidate.
            var check = ExactCheck(p, phi);
            if (check is false) throw new InvalidOperationException($"{source}: the construction does not realise R(Θ) on U");
            found.Add(new(source, phi, p.Gamma.Distance(phi), Describe(check, phi)));
        }

        if (p.Theta.SameArchitecture(p.Gamma))
        {
            Structural("Θ itself", p.Theta);
            if (p.Theta.Depth >= 2) Structural("Θ under the closest permutation + scaling (verify distance)", AlignClosest(p.Gamma, p.Theta));
            if (p.Theta.Depth == 2)
                foreach (var (source, phi) in FiberRewrites.All(p.Gamma, p.Theta, p.Domain, p.BiasFree).Skip(1))
                    Structural(source, AlignClosest(p.Gamma, phi));
        }
        found.AddRange(Verified(p, p.Explicit));
        return found.OrderBy(c => c.Distance).ToList();
    }

    /// <summary>The given Φs (explicit re-parametrisations, SAT models) that verify exactly, each also moved by its closest symmetry.</summary>
    public static IReadOnlyList<FiberCandidate> Verified(FiberProblem p, IEnumerable<(string Source, ExactNet Phi)> list)
    {
        var found = new List<FiberCandidate>();
        foreach (var (source, phi) in list)
        {
            if (!phi.SameArchitecture(p.Gamma) || !InSpace(p, phi)) continue;
            var check = ExactCheck(p, phi);
            if (check is true)
            {
                found.Add(new(source, phi, p.Gamma.Distance(phi), Describe(check, phi)));
                var aligned = AlignClosest(p.Gamma, phi);
                found.Add(new(source + ", closest permutation + scaling", aligned, p.Gamma.Distance(aligned), Describe(check, phi) + " + symmetry"));
            }
        }
        return found.OrderBy(c => c.Distance).ToList();
    }

    private static bool InSpace(FiberProblem p, ExactNet phi) => !p.BiasFree || phi.BiasFree;

    /// <summary>true/false: R(Φ) = R(Θ) on U decided exactly; null: no exact check for this architecture (or undecided).</summary>
    public static bool? ExactCheck(FiberProblem p, ExactNet phi)
    {
        var a = phi.ToShallow1D(); var b = p.Theta.ToShallow1D();
        if (a is not null && b is not null)
            return RealizationDistance.Compute(a, b, p.Domain.Lo[0], p.Domain.Hi[0]).Sup.IsZero;
        return RealizationUpperBound.EqualOnDomain(phi, p.Theta, p.Domain, RegionCheckTimeout);
    }

    private static readonly TimeSpan RegionCheckTimeout = TimeSpan.FromSeconds(2);

    private static string Describe(bool? check, ExactNet phi) =>
        check is not true ? "by construction (symmetry/merge identity)"
        : phi.ToShallow1D() is not null ? "exact 1-D check on U" : "exact check on every activation region of U";

    /// <summary>Φ moved by the symmetry closest to Γ. The search runs on doubles; the result is built exactly.</summary>
    public static ExactNet AlignClosest(ExactNet gamma, ExactNet phi)
    {
        var r = ParameterDistance.Compute(gamma.ToNetwork("Γ"), phi.ToNetwork("Φ"), DistanceModulo.PermScale, timeLimit: TimeSpan.FromSeconds(5));
        var aligned = phi.Apply(r.Alignment);
        var plain = phi.Apply(Alignment.Identity(phi.ToNetwork("Φ")));
        return gamma.Distance(aligned) <= gamma.Distance(plain) ? aligned : plain;
    }
}
