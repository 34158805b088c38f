using System.Diagnostics;
using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Smt;

public enum MaximizeMethod
{
    /// <summary>Bisection on a threshold t: UNSAT of c·y ≥ t certifies max &lt; t; SAT gives a witness.</summary>
    Bisection,
    /// <summary>Z3's optimizer proposes the optimum; it is then certified like a bisection step.</summary>
    OptimizeThenCertify,
}

public enum MaximizeStatus
{
    /// <summary>Lower = Upper = the maximum, attained by the witness.</summary>
    Exact,
    /// <summary>Upper is the exact maximum (a model attains it), but the best witness that can be replayed with
    /// double inputs and parameters stays below it (by rounding): Lower &lt; Upper.</summary>
    UpperExact,
    /// <summary>Upper − Lower ≤ tolerance (for witnesses that need rounding: Upper − (a SAT threshold) ≤ tolerance).</summary>
    WithinTolerance,
    /// <summary>Stopped early (time, cancellation, check budget, solver gave up): an honest interval.</summary>
    Unknown,
}

public sealed record MaximizeOptions
{
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Stop once Upper − Lower ≤ Tolerance (an exactness check is still tried). Zero: exact or nothing.</summary>
    public Rational Tolerance { get; init; } = Rational.Zero;
    public int MaxChecks { get; init; } = 100;
    public MaximizeMethod Method { get; init; } = MaximizeMethod.Bisection;
    public ReluEncoding Encoding { get; init; } = ReluEncoding.BoundedSplit;
    /// <summary>Sound pre-activation bounds for the box; interval propagation when null.</summary>
    public NeuronBounds? Bounds { get; init; }
}

/// <summary>
/// max c·f(x) over x in Box lies in [Lower, Upper]. Lower is c·f(Witness) computed exactly; Upper is
/// certified (interval arithmetic or an UNSAT answer of an exact encoding).
/// </summary>
public sealed record MaximizeResult(
    Rational Lower, Rational Upper, IReadOnlyList<Rational> Witness, MaximizeStatus Status,
    UnknownReason Reason, int Checks, TimeSpan Elapsed, int UnstableNeurons);

/// <summary>
/// The exact maximum of a linear combination of network outputs over a box. Every SAT model is replayed
/// with <see cref="Network.EvaluateExact"/> before it counts; every upper bound is either outward-rounded
/// interval arithmetic or an UNSAT answer for the exact encoding.
/// </summary>
public static class OutputMaximizer
{
    public static MaximizeResult MaximizeOutput(Network net, Box box, int output, MaximizeOptions options, CancellationToken cancel = default)
    {
        var c = new Rational[net.OutputSize];
        for (int j = 0; j < c.Length; j++) c[j] = j == output ? Rational.One : Rational.Zero;
        return Maximize(net, box, c, options, cancel);
    }

    public static MaximizeResult Maximize(Network net, Box box, IReadOnlyList<Rational> c, MaximizeOptions options, CancellationToken cancel = default)
    {
        if (c.Count != net.OutputSize) throw new ArgumentException($"objective has {c.Count} coefficients, network has {net.OutputSize} outputs");
        if (options.Tolerance.Sign < 0) throw new ArgumentException("tolerance must be ≥ 0");
        var clock = Stopwatch.StartNew();
        var bounds = options.Bounds ?? IntervalPropagation.Compute(net, box);

        // Certified start: U from interval arithmetic, L from the exact value at the box centre.
        var objective = ObjectiveEnclosure(IntervalPropagation.Outputs(net, box), c);
        if (!double.IsFinite(objective.Hi))
            throw new ArgumentException("interval bound of the objective overflows; the box or weights are too large");
        var upper = Rational.FromDouble(objective.Hi);
        var lower = Value(net, c, box.Center.Select(Rational.FromDouble).ToArray());

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(options.TotalTimeout);
        using var session = new SolverSession(options.CheckTimeout, deadline.Token, logic: "QF_LRA");
        var ctx = session.Context;
        var encoded = ReluNetworkEncoder.Encode(ctx, net, box, bounds, options.Encoding);
        session.Assert(encoded.Facts.ToArray());
        var obj = ExactTerms.Affine(ctx, c, encoded.Outputs, Rational.Zero);

        var witness = box.Center.Select(Rational.FromDouble).ToArray();
        var best = lower;
        var search = new ThresholdBisection(session,
            (t, strict) => strict ? ctx.MkGt(obj, ExactTerms.Real(ctx, t)) : ctx.MkGe(obj, ExactTerms.Real(ctx, t)),
            Replay, exactReplay: true, lower, upper)
        {
            Polish = Polish,
        };
        MaximizeResult Done(MaximizeStatus status, UnknownReason reason)
        {
            if (reason == UnknownReason.Cancelled && !cancel.IsCancellationRequested) reason = UnknownReason.Timeout; // our deadline
            return new(search.Lower, search.Upper, witness, status, reason, search.Checks, clock.Elapsed, encoded.UnstableNeurons);
        }

        // The model's input is the witness; returns its exact value, keeping the best witness.
        Rational? Replay(Microsoft.Z3.Model model)
        {
            var x = encoded.Inputs.Select(v => ExactTerms.Evaluate(model, v)?.Value
                                               ?? throw new InvalidOperationException("Z3 returned no value for an input")).ToArray();
            if (!box.Contains(x)) throw new InvalidOperationException("Z3 model lies outside the input box (encoding bug)");
            var v = Value(net, c, x);
            if (v > best) { best = v; witness = x; }
            return v;
        }

        // Maximizes over the linear region of a model (its split neurons' signs fixed): a linear program,
        // which Z3's optimizer solves exactly, so the result is the region's best vertex. Strict checks alone
        // would climb through regions (finitely many) while bisection steps shrink U meanwhile; polishing
        // jumps to each region's best vertex. A failure here only loses the improvement.
        Optimize Polish(Microsoft.Z3.Model model)
        {
            var opt = RegionProgram(ctx, model, encoded.Facts, encoded.CaseSplits, encoded.SplitPreActivations);
            opt.MkMaximize(obj);
            return opt;
        }

        if (options.Method == MaximizeMethod.OptimizeThenCertify && lower < upper)
        {
            using var opt = ctx.MkOptimize();
            opt.Assert(encoded.Facts.ToArray());
            opt.MkMaximize(obj);
            var r = session.Check(opt);
            search.CountCheck();
            if (r.IsSat) search.Accept(r.Model!, threshold: null, strict: false);
            else if (r.IsUnknown) return Done(MaximizeStatus.Unknown, r.Reason);
            else throw new InvalidOperationException("the encoding is unsatisfiable although the box is not empty");
        }

        var (status, reason) = search.Run(options.Tolerance, options.MaxChecks, deadline.Token);
        return Done(status, reason);
    }

    /// <summary>The sign conditions of the split neurons at a model: the linear region the model lies in.</summary>
    public static IEnumerable<BoolExpr> RegionOf(Context ctx, Microsoft.Z3.Model model, IEnumerable<ArithExpr> splitPreActivations)
    {
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        foreach (var z in splitPreActivations)
        {
            if (ExactTerms.Evaluate(model, z) is not { IsExact: true } v) continue;
            yield return v.Value.Sign >= 0 ? ctx.MkGe(z, zero) : ctx.MkLe(z, zero);
        }
    }

    /// <summary>
    /// A linear program over the linear region of a model: with bounded case splits the disjunctions are replaced by
    /// the model's phases (a pure LP; Z3 4.8.12's optimiser returned non-optimal points with the disjunctions in);
    /// with plain ite only the sign conditions are added (the optimiser's answer is then a weaker hint).
    /// </summary>
    internal static Optimize RegionProgram(Context ctx, Microsoft.Z3.Model model, IReadOnlyList<BoolExpr> facts,
                                           IReadOnlyList<CaseSplit> caseSplits, IReadOnlyList<ArithExpr> splitPreActivations)
    {
        var opt = ctx.MkOptimize();
        if (caseSplits.Count == splitPreActivations.Count)
            opt.Assert(ReluNetworkEncoder.LinearRegion(ctx, model, facts, caseSplits).ToArray());
        else
        {
            opt.Assert(facts.ToArray());
            opt.Assert(RegionOf(ctx, model, splitPreActivations).ToArray());
        }
        return opt;
    }

    private static Rational Value(Network net, IReadOnlyList<Rational> c, IReadOnlyList<Rational> x)
    {
        var y = net.EvaluateExact(x);
        var s = Rational.Zero;
        for (int j = 0; j < y.Length; j++) if (!c[j].IsZero) s += c[j] * y[j];
        return s;
    }

    private static Interval ObjectiveEnclosure(Interval[] outputs, IReadOnlyList<Rational> c)
    {
        var s = Interval.Zero;
        for (int j = 0; j < outputs.Length; j++)
        {
            if (c[j].IsZero) continue;
            s += outputs[j] * c[j].ToInterval();
        }
        return s;
    }
}
