using Verify.Intervals;
using Verify.Specs;
using Verify.Results;
using Verify.Smt;

namespace Verify.InverseStability;

/// <summary>The fiber-distance question: Γ, Θ, the domain U and the parameter space (with or without biases).</summary>
public sealed record FiberProblem(ExactNet Gamma, ExactNet Theta, FiberDomain Domain, bool BiasFree = false)
{
    /// <summary>Explicit re-parametrisations of R(Θ) to try as upper bounds (each is verified before use).</summary>
    public IReadOnlyList<(string Source, ExactNet Phi)> Explicit { get; init; } = [];

    public void Validate()
    {
        if (Gamma.InputSize != Domain.Dimension || Theta.InputSize != Domain.Dimension)
            throw new ArgumentException($"the domain has {Domain.Dimension} dimensions, the networks take {Gamma.InputSize} and {Theta.InputSize} inputs");
        if (Gamma.OutputSize != Theta.OutputSize) throw new ArgumentException("Γ and Θ have different numbers of outputs");
        for (int i = 0; i < Domain.Dimension; i++)
            if (!(Domain.Lo[i] < Domain.Hi[i])) throw new ArgumentException($"empty domain in input {i}");
        if (BiasFree && !Gamma.BiasFree) throw new ArgumentException("the bias-free space needs a bias-free Γ");
    }
}

public sealed record FiberOptions
{
    public int Points { get; init; } = 16;
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxChecks { get; init; } = 12;
    /// <summary>Stop bisecting once (upper − lower) ≤ Tolerance · upper.</summary>
    public Rational Tolerance { get; init; } = new(1, 100);
    public int Seed { get; init; } = 1;
}

/// <summary>One solver call: is some Φ with ‖Φ − Γ‖∞ ≤ S consistent with R(Θ) at the points?</summary>
public sealed record FiberCheck(Rational S, SmtStatus Status, string Detail, double Seconds, ExactNet? Model)
{
    public bool IsSatModel => Status == SmtStatus.Sat && Model is not null;
}

public sealed record FiberLowerResult(Rational Lower, IReadOnlyList<FiberPoint> Points, IReadOnlyList<FiberCheck> Checks);

/// <summary>
/// Certified lower bound of d(Γ, fiber(Θ)) = min{‖Φ − Γ‖∞ : R(Φ) = R(Θ) on U}. Every Φ in the fiber agrees with Θ at
/// every point of U (value and one-sided directional derivatives into U), so "no Φ within s agrees at the points"
/// (UNSAT) proves d &gt; s. Bisection on s between the largest UNSAT and the smallest SAT/unknown level; the certified
/// lower bound is the largest s proven UNSAT (0 when none). SAT models only match at the points: candidates, not proofs.
/// </summary>
public static class FiberLowerBound
{
    public static FiberLowerResult Compute(FiberProblem problem, FiberOptions options, Rational? knownUpper,
                                           IReadOnlyList<FiberPoint>? points = null, CancellationToken cancel = default)
    {
        problem.Validate();
        points ??= FiberPoints.Choose(problem.Theta, problem.Domain, options.Points, options.Seed);
        var targets = points.Select(p => (p.X, Value: problem.Theta.Evaluate(p.X),
            Derivatives: p.Directions.Select(v => (v, problem.Theta.RightDerivative(p.X, v))).ToArray())).ToArray();
        var checks = new List<FiberCheck>();
        FiberCheck Check(Rational s)
        {
            var c = Run(problem, targets, s, options.CheckTimeout, cancel);
            checks.Add(c);
            return c;
        }

        Rational lower = Rational.Zero;
        if (knownUpper is { } u0 && u0.IsZero) return new(lower, points, checks);
        Rational high;
        if (knownUpper is { } u) high = u;
        else
        {
            // No upper bound: double s until the points can be matched (or the solver gives up).
            var scale = problem.Gamma.Parameters().Aggregate(Rational.One, (m, p) => Rational.Max(m, Rational.Abs(p)));
            Rational s = new(1, 4);
            while (true)
            {
                if (checks.Count >= options.MaxChecks || cancel.IsCancellationRequested) return new(lower, points, checks);
                var c = Check(s);
                if (!c.Status.Equals(SmtStatus.Unsat)) { high = s; break; }
                lower = s;
                if (s > 64 * scale) return new(lower, points, checks);
                s *= 2;
            }
        }
        while (checks.Count < options.MaxChecks && !cancel.IsCancellationRequested && high - lower > options.Tolerance * high)
        {
            var mid = Dyadic(lower, high);
            var c = Check(mid);
            if (c.Status == SmtStatus.Unsat) lower = mid; else high = mid;
        }
        return new(lower, points, checks);
    }

    /// <summary>A short dyadic rational near the middle of (lo, hi), so the levels stay readable ("5/16", not 341/1024·…).</summary>
    private static Rational Dyadic(Rational lo, Rational hi)
    {
        var mid = (lo + hi) / 2;
        for (int bits = 0; bits < 60; bits++)
        {
            var den = System.Numerics.BigInteger.One << bits;
            var q = new Rational(System.Numerics.BigInteger.Divide(mid.Numerator * den, mid.Denominator), den);
            if (q > lo + (hi - lo) / 4 && q < hi - (hi - lo) / 4) return q;
        }
        return mid;
    }

    private static FiberCheck Run(FiberProblem problem, (Rational[] X, Rational[] Value, (Rational[] v, Rational[] d)[] Derivatives)[] targets,
                                  Rational s, TimeSpan timeout, CancellationToken cancel)
    {
        using var session = new SolverSession(timeout, cancel, logic: "QF_NRA");
        var enc = new FiberEncoding(session.Context, problem.Gamma, s, problem.BiasFree);
        foreach (var t in targets) enc.Agree(t.X, t.Value, t.Derivatives);
        session.Assert(enc.Facts.ToArray());
        var outcome = session.Check();
        var model = outcome.IsSat && outcome.Model is not null ? enc.ReadModel(outcome.Model) : null;
        return new FiberCheck(s, outcome.Status, outcome.IsUnknown ? outcome.ToString() : "", outcome.Elapsed.TotalSeconds, model);
    }
}
