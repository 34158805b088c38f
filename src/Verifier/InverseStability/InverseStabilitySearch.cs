using System.Diagnostics;
using Verify.Intervals;

namespace Verify.InverseStability;

public enum SearchSpace { All, Balanced, Restricted }

public sealed record SearchOptions(int Inputs, int Width, int Outputs, SearchSpace Space)
{
    public double Alpha { get; init; } = 0.5;
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(30);
    public int Seed { get; init; } = 1;
    public RealizationNorm Norm { get; init; } = RealizationNorm.Semi;
    public FiberOptions Fiber { get; init; } = new() { Points = 10, CheckTimeout = TimeSpan.FromSeconds(2), MaxChecks = 8 };
    /// <summary>How many best pairs to keep.</summary>
    public int Keep { get; init; } = 5;
}

/// <summary>
/// One scored pair. Ratio is a certified lower bound of d(Γ, fiber(Θ)) / ‖R(Γ) − R(Θ)‖^α: the numerator is a certified
/// lower bound (Z3 or a named analytic lemma, whichever is larger), the denominator a certified upper bound, and the
/// quotient is rounded down.
/// </summary>
public sealed record SearchPair(string Origin, ExactNet Gamma, ExactNet Theta, FiberDomain Domain, FiberReport Fiber,
                                Rational FiberLower, string LowerArgument, RealizationUpper Realization, double Ratio, bool BiasFree);

public sealed record SearchResult(IReadOnlyList<SearchPair> Best, IReadOnlyList<SearchPair> Evaluated, int Rejected, TimeSpan Elapsed);

/// <summary>
/// Counterexample search for inverse stability: pairs (Γ, Θ) that maximise fiber distance / realization distance^α.
/// Seeds: the degeneracy families 2.1–2.5 (on `all`; embedded as x ↦ family(x₁) and padded with zero neurons when the
/// architecture is larger than the family's) for k = 1, 2, 4, 8, …, then
/// random pairs (Θ = Γ with one neuron moved) and local perturbations of the best pair so far. The space filter keeps
/// pairs whose Γ and Θ are both in the space: all, balanced (C.1, bias-free), restricted (N*: C.1, C.2, last two
/// input weights positive; bias-free; d ≥ 2).
/// </summary>
public static class InverseStabilitySearch
{
    public static SearchResult Run(SearchOptions o, CancellationToken cancel = default)
    {
        if (o.Space == SearchSpace.Restricted && o.Inputs < 2) throw new ArgumentException("the restricted space N* needs at least two inputs");
        if (o.Space != SearchSpace.All && o.Inputs > 3) throw new ArgumentException("balanced random networks are generated for d ≤ 3");
        var clock = Stopwatch.StartNew();
        var rng = new Random(o.Seed);
        var evaluated = new List<SearchPair>();
        int rejected = 0;
        bool TimeLeft() => clock.Elapsed < o.Budget && !cancel.IsCancellationRequested;

        void Consider(string origin, ExactNet g, ExactNet t, FiberDomain u, IReadOnlyList<(string, ExactNet)> explicitPhi, (Rational, string)? analytic)
        {
            if (!InSpace(g, o.Space) || !InSpace(t, o.Space)) { rejected++; return; }
            SearchPair? pair;
            try { pair = Evaluate(origin, g, t, u, explicitPhi, analytic, o); }
            catch (NotSupportedException) { pair = null; } // no certified realization bound for this pair
            if (pair is null) rejected++; else evaluated.Add(pair);
        }

        if (o.Space == SearchSpace.All)
            // Families get at most half of the budget, so random restarts always run too.
            for (int k = 1; TimeLeft() && clock.Elapsed < o.Budget / 2 && k <= 1 << 12; k *= 2)
                foreach (var id in ExampleFamilies.Ids)
                {
                    if (!TimeLeft()) break;
                    var e = ExampleFamilies.Build(id, k);
                    if (e.Gamma.Width > o.Width) continue;
                    bool native = e.Gamma.Width == o.Width && o.Inputs == 1 && o.Outputs == 1;
                    var u = new FiberDomain(Enumerable.Range(0, o.Inputs).Select(i => i == 0 ? e.Lo : -Rational.One).ToArray(),
                                            Enumerable.Range(0, o.Inputs).Select(i => i == 0 ? e.Hi : Rational.One).ToArray());
                    // Embedded (x ↦ family(x₁), padded with dead neurons and zero outputs): the analytic lemmas are stated for the
                    // native family only, so embedded pairs are scored with the Z3 bound alone.
                    Consider(native ? $"family {id}, k = {k}" : $"family {id}, k = {k} (embedded)",
                             Embed(e.Gamma, o, k), Embed(e.Theta, o, k), u,
                             [("family explicit re-parametrisation", Embed(e.Reparametrized, o, k))], native ? (e.ParameterLower, e.Argument) : null);
                }

        var unit = new FiberDomain(Enumerable.Repeat(-Rational.One, o.Inputs).ToArray(), Enumerable.Repeat(Rational.One, o.Inputs).ToArray());
        bool biasFree = o.Space != SearchSpace.All;
        for (int restart = 0; TimeLeft() && restart < 10_000; restart++)
        {
            var best = evaluated.Where(p => p.Origin.StartsWith("random", StringComparison.Ordinal) || p.Origin.StartsWith("perturbed", StringComparison.Ordinal))
                                .MaxBy(p => p.Ratio);
            bool local = best is not null && restart % 2 == 1;
            var g = local ? best!.Gamma : RandomNets.Network(rng, o.Inputs, o.Width, o.Outputs, o.Space);
            var t = RandomNets.MoveOneNeuron(rng, local ? best!.Theta : g, o.Space);
            Consider(local ? $"perturbed (restart {restart})" : $"random (restart {restart})", g, t, unit, [], null);
        }
        var top = evaluated.OrderByDescending(p => p.Ratio).Take(o.Keep).ToList();
        return new SearchResult(top, evaluated, rejected, clock.Elapsed);
    }

    /// <summary>
    /// x ↦ (s(x₁), 0, …, 0), the width padded with dead neurons ρ(0·x − (4k + 4)) with outgoing weight 0: the same function
    /// on every architecture d → m → D. The padding bias keeps the degeneracy: a zero neuron could absorb the family's kink
    /// at no cost, while moving this one into service costs about 4k (its bias must reach the kink).
    /// </summary>
    private static ExactNet Embed(ShallowNet1D s, SearchOptions o, int k)
    {
        var pad = new Neuron1D(0, -(4 * (Rational)k + 4), 0);
        var neurons = s.Neurons.Concat(Enumerable.Repeat(pad, o.Width - s.Width)).ToArray();
        var rows = neurons.Select(n => Enumerable.Range(0, o.Inputs).Select(i => i == 0 ? n.A : Rational.Zero).ToArray()).ToArray();
        var outW = Enumerable.Range(0, o.Outputs).Select(r => neurons.Select(n => r == 0 ? n.C : Rational.Zero).ToArray()).ToArray();
        var outB = Enumerable.Range(0, o.Outputs).Select(r => r == 0 ? s.D : Rational.Zero).ToArray();
        return new ExactNet([new ExactLayer(rows, neurons.Select(n => n.B).ToArray()), new ExactLayer(outW, outB)]);
    }

    public static bool InSpace(ExactNet n, SearchSpace space)
    {
        if (space == SearchSpace.All) return true;
        if (n.Depth != 2 || !n.BiasFree || !n.IsDyadicExact) return false;
        var rep = ShallowConditions.Check(n.ToNetwork("net"), null);
        return space == SearchSpace.Balanced ? rep.Balanced : rep.InNStar;
    }

    public static SearchPair? Evaluate(string origin, ExactNet g, ExactNet t, FiberDomain u, IReadOnlyList<(string, ExactNet)> explicitPhi,
                                       (Rational Bound, string Argument)? analytic, SearchOptions o)
    {
        var realization = RealizationUpperBound.Compute(g, t, u, o.Norm, o.Fiber.CheckTimeout);
        if (realization.Value.IsZero) return null; // same realization: the ratio is undefined (and the fiber distance 0)
        var problem = new FiberProblem(g, t, u, BiasFree: o.Space != SearchSpace.All) { Explicit = explicitPhi };
        var fiber = FiberDistance.Compute(problem, o.Fiber);
        var (lower, argument) = (fiber.Lower, "Z3: no Φ within s agrees with Θ at the sample points");
        // The analytic lemmas are for the space with biases; they bound the bias-free fiber distance too (a smaller space).
        if (analytic is { } a && a.Bound > lower) (lower, argument) = (a.Bound, "analytic: " + a.Argument);
        return new SearchPair(origin, g, t, u, fiber, lower, argument, realization, RatioLowerBound(lower, realization.Value, o.Alpha), problem.BiasFree);
    }

    /// <summary>lower / upper^α rounded down (a relative margin of 1e-12 covers Math.Pow's last-place error).</summary>
    public static double RatioLowerBound(Rational lower, Rational upper, double alpha)
    {
        double num = lower.ToInterval().Lo, den = upper.ToInterval().Hi;
        if (num <= 0) return 0;
        return num / (Math.Pow(den, alpha) * (1 + 1e-12)) * (1 - 1e-12);
    }
}
