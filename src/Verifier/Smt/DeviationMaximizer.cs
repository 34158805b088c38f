using System.Diagnostics;
using Microsoft.Z3;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Smt;

public sealed record DeviationMaximizeOptions
{
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Stop once Upper − (what a SAT answer proved) ≤ Tolerance. Zero: exact or nothing.</summary>
    public Rational Tolerance { get; init; } = Rational.Zero;
    public int MaxChecks { get; init; } = 200;
    /// <summary>Nonlinear real arithmetic is tried only up to this many products δW·h' of two variables …</summary>
    public int MaxNonlinearProducts { get; init; } = 48;
    /// <summary>… and this many unstable neurons (both copies together); beyond, z3 is skipped.</summary>
    /// <summary>Last-layer mode: input parts with more unstable neurons than this are bisected before Z3 sees them.</summary>
    public int MaxSplitUnstable { get; init; } = 6;
    public int MaxNonlinearUnstable { get; init; } = 16;
    /// <summary>Joint encodings are built only up to this many network parameters …</summary>
    public int MaxParameters { get; init; } = 50_000;
    /// <summary>… and solved only up to this many moving parameters (Z3 variables): beyond, Z3 4.8.12 was seen to
    /// ignore its time limit for minutes (5-50×6-5, fixed x, layer 4: 2 550 variables, a 10 s limit overrun by 60 s).</summary>
    public int MaxParameterVariables { get; init; } = 1_000;
    /// <summary>Bounded case splits (default) or, for comparison, the plain ite encoding.</summary>
    public ReluEncoding Encoding { get; init; } = ReluEncoding.BoundedSplit;
    /// <summary>A certified upper bound from another method (it only tightens the start), or null.</summary>
    public double? KnownUpper { get; init; }
    /// <summary>A replayed witness from another method (the start of the lower bound), or null.</summary>
    public LowerBound? KnownLower { get; init; }
}

/// <summary>
/// max over x ∈ X and δ ∈ Δ of |Δf_j| lies in [Lower, Upper]: Upper is certified (interval bounds or an UNSAT
/// answer of an exact encoding, rounded up when reported as a double), Lower is the exact replay of
/// <see cref="Witness"/>. <see cref="Mode"/> is one of <see cref="DeviationMaximizer.LastLayerLp"/>,
/// <see cref="DeviationMaximizer.FixedX"/>, <see cref="DeviationMaximizer.Linear"/>, <see cref="DeviationMaximizer.Nra"/>,
/// or <see cref="DeviationMaximizer.Skipped"/> with <see cref="SkipReason"/>.
/// </summary>
public sealed record DeviationMaximum(
    int Output, string Mode, Rational Lower, Rational Upper, LowerBound? Witness, MaximizeStatus Status,
    UnknownReason Reason, int Checks, TimeSpan Elapsed, int UnstableNeurons, string? SkipReason = null)
{
    /// <summary>Upper rounded up to a double.</summary>
    public double UpperDouble => Upper.ToInterval().Hi;
}

/// <summary>
/// Exact answers for the output deviation with Z3. Three encodings, the cheapest that applies:
/// only the last layer perturbed (and a nonnegative last hidden layer): max_δ Δf_j(x) = Σ_i hi(δW_ji)·h_i(x) + hi(δb_j)
/// is the output of ONE network (the nominal one with its last layer replaced), so the exact maximum of
/// <see cref="OutputMaximizer"/> answers it, and the min likewise with lo; otherwise the joint encoding of
/// <see cref="DeviationEncoder"/>, which is linear arithmetic when no product of two variables remains (a fixed x and
/// one perturbed layer, or biases only) and nonlinear arithmetic otherwise, tried only for small networks.
/// Every model becomes a witness replayed exactly; every solver call has a time limit and is cancellable.
/// </summary>
public static class DeviationMaximizer
{
    public const string LastLayerLp = "z3-last-layer-lp";
    public const string FixedX = "z3-fixed-x";
    public const string Linear = "z3-lra";
    public const string Nra = "z3-nra";
    public const string Skipped = "skipped";

    public static DeviationMaximum Maximize(Network net, Box box, ParameterBox delta, int output, DeviationMaximizeOptions options,
                                            CancellationToken cancel = default)
    {
        if (output < 0 || output >= net.OutputSize) throw new ArgumentOutOfRangeException(nameof(output));
        if (options.Tolerance.Sign < 0) throw new ArgumentException("tolerance must be ≥ 0");
        var clock = Stopwatch.StartNew();
        var start = StartBounds(net, box, delta, output, options);
        if (delta.Ball is not null)
            return Skip(start, output, clock, "norm-ball perturbations are not encoded for Z3 (their set is not a box)");
        if (!double.IsFinite(start.Upper)) return Skip(start, output, clock, "the interval bound is not finite");
        if (LastLayerNetworks(net, box, delta) is { } pm)
            return MaximizeLastLayer(net, box, delta, output, pm.Plus, pm.Minus, start, options, clock, cancel);
        if (net.ParameterCount > options.MaxParameters)
            return Skip(start, output, clock, $"the network has {net.ParameterCount} parameters (limit {options.MaxParameters})");
        try
        {
            return MaximizeJoint(net, box, delta, output, start, options, clock, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // While encoding, before any check.
            return Skip(start, output, clock, "cancelled before the encoding was built") with { Reason = UnknownReason.Cancelled };
        }
    }

    /// <summary>
    /// Every output in turn within one time budget (each output gets an equal share of what is left), started from
    /// another method's certified bounds and replayed witnesses.
    /// </summary>
    public static IReadOnlyList<DeviationMaximum> MaximizeAll(Network net, Box box, ParameterBox delta, IReadOnlyList<double> knownUpper,
                                                              IReadOnlyList<LowerBound?>? knownLower, TimeSpan timeout, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<DeviationMaximum>(net.OutputSize);
        for (int j = 0; j < net.OutputSize; j++)
        {
            var share = (timeout - clock.Elapsed) / (net.OutputSize - j);
            if (share < TimeSpan.FromMilliseconds(10)) share = TimeSpan.FromMilliseconds(10);
            var options = new DeviationMaximizeOptions
            {
                CheckTimeout = share, TotalTimeout = share, KnownUpper = knownUpper[j], KnownLower = knownLower?[j],
            };
            results.Add(Maximize(net, box, delta, j, options, cancel));
        }
        return results;
    }

    private sealed record Start(double Upper, LowerBound? Lower);

    /// <summary>The certified start: the tighter of interval propagation and the caller's bound; the caller's witness.</summary>
    private static Start StartBounds(Network net, Box box, ParameterBox delta, int output, DeviationMaximizeOptions o)
    {
        double u = new IntervalDifferenceBounder().Bound(net, box, delta).Upper[output];
        if (o.KnownUpper is { } k) u = Math.Min(u, k);
        return new Start(u, o.KnownLower is { } l && l.Output == output ? l : null);
    }

    private static DeviationMaximum Skip(Start s, int output, Stopwatch clock, string why) =>
        new(output, Skipped, s.Lower?.Exact ?? Rational.Zero, Rational.FromDouble(s.Upper), s.Lower, MaximizeStatus.Unknown,
            UnknownReason.Incomplete, 0, clock.Elapsed, 0, why);

    /// <summary>
    /// For a perturbation of the last layer only (identity output, hidden values h ≥ 0 on the box): N⁺ with last
    /// layer (hi(δW), hi(δb)) and N⁻ with (−lo(δW), −lo(δb)), so that max Δf_j = max N⁺_j and max −Δf_j = max N⁻_j.
    /// Null when the case does not apply.
    /// </summary>
    internal static (Network Plus, Network Minus)? LastLayerNetworks(Network net, Box box, ParameterBox delta)
    {
        if (delta.Ball is not null) return null;
        int last = net.Depth - 1;
        for (int l = 0; l < last; l++) if (!delta.Layers[l].IsZero) return null;
        var lb = delta.Layers[last];
        var layer = net.Layers[last];
        if (lb.IsZero || layer.Activation.Kind != ActivationKind.Identity) return null;
        // h ≥ 0 for every x in the box: after a ReLU, or shown by interval bounds.
        var hidden = last == 0 ? box.Dimensions.ToArray()
            : Bounds.IntervalPropagation.Run(net.WithLayers(net.Layers.Take(last).ToArray()), box).Outputs;
        if (hidden.Any(h => !(h.Lo >= 0))) return null;
        var plus = new DenseLayer(layer.Outputs, layer.Inputs, (double[])lb.WeightHi.Clone(), (double[])lb.BiasHi.Clone(), Activation.Identity);
        var minus = new DenseLayer(layer.Outputs, layer.Inputs, lb.WeightLo.Select(v => -v).ToArray(), lb.BiasLo.Select(v => -v).ToArray(), Activation.Identity);
        var prefix = net.Layers.Take(last).ToList();
        return (net.WithLayers([.. prefix, plus]), net.WithLayers([.. prefix, minus]));
    }

    private static DeviationMaximum MaximizeLastLayer(Network net, Box box, ParameterBox delta, int output, Network plus, Network minus,
                                                      Start start, DeviationMaximizeOptions o, Stopwatch clock, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(o.TotalTimeout);
        var mo = new MaximizeOptions
        {
            CheckTimeout = o.CheckTimeout, TotalTimeout = o.TotalTimeout, Tolerance = o.Tolerance, MaxChecks = o.MaxChecks, Encoding = o.Encoding,
        };
        var best = start.Lower;
        var upper = Rational.FromDouble(start.Upper);
        var floor = best?.Exact ?? Rational.Zero;
        int checks = 0, unstable = 0;
        var reason = UnknownReason.None;
        var lb = delta.Layers[^1];
        int inputs = net.Layers[^1].Inputs;
        var upperOfSide = new Rational[2];
        for (int side = 0; side < 2; side++)
        {
            var n = side == 0 ? plus : minus;
            var r = SideMaximumSearch.Run(net, delta, n, box, output, mo, o.MaxSplitUnstable, clock, o.TotalTimeout, deadline.Token);
            checks += r.Checks;
            unstable = Math.Max(unstable, r.Unstable);
            upperOfSide[side] = r.Upper;
            floor = Rational.Max(floor, r.Floor); // attained by the rational point (x*, δ = hi or lo)
            if (r.Reason != UnknownReason.None && reason == UnknownReason.None)
                reason = r.Reason == UnknownReason.Cancelled && !cancel.IsCancellationRequested ? UnknownReason.Timeout : r.Reason;
            var witnessX = r.X;
            // The witness: x* rounded into the box, row j of the last layer at hi (N⁺) or lo (N⁻).
            var x = witnessX.Select((v, i) => WitnessRounding.RoundInto(v, box[i])).ToArray();
            var changes = new List<(int, bool, int, Rational)>();
            for (int i = 0; i < inputs; i++)
            {
                int k = output * inputs + i;
                changes.Add((net.Depth - 1, true, k, Rational.FromDouble(side == 0 ? lb.WeightHi[k] : lb.WeightLo[k])));
            }
            changes.Add((net.Depth - 1, false, output, Rational.FromDouble(side == 0 ? lb.BiasHi[output] : lb.BiasLo[output])));
            best = Better(best, Replayed(net, box, delta, output, x, WitnessRounding.Perturbed(net, delta, changes)));
        }
        upper = Rational.Min(upper, Rational.Max(upperOfSide[0], upperOfSide[1]));
        var lower = best?.Exact ?? Rational.Zero;
        CheckConsistent(lower, upper);
        var status = lower == upper ? MaximizeStatus.Exact
            : floor == upper ? MaximizeStatus.UpperExact
            : upper - floor <= o.Tolerance && reason == UnknownReason.None ? MaximizeStatus.WithinTolerance
            : MaximizeStatus.Unknown;
        if (status == MaximizeStatus.Unknown && reason == UnknownReason.None) reason = UnknownReason.Incomplete;
        if (status != MaximizeStatus.Unknown) reason = UnknownReason.None;
        return new DeviationMaximum(output, LastLayerLp, lower, upper, best, status, reason, checks, clock.Elapsed, unstable);
    }

    private static DeviationMaximum MaximizeJoint(Network net, Box box, ParameterBox delta, int output, Start start,
                                                  DeviationMaximizeOptions o, Stopwatch clock, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(o.TotalTimeout);
        // Count the products first on a throwaway context: the logic of the real session depends on it.
        bool linear;
        using (var probe = new SolverSession(o.CheckTimeout, deadline.Token))
        {
            var e = DeviationEncoder.Encode(probe.Context, net, box, delta, cancel);
            linear = e.NonlinearProducts == 0;
            if (e.Parameters.Count > o.MaxParameterVariables)
                return Skip(start, output, clock, $"{e.Parameters.Count} moving parameters (limit {o.MaxParameterVariables})");
            if (!linear && (e.NonlinearProducts > o.MaxNonlinearProducts || e.UnstableNeurons > o.MaxNonlinearUnstable))
                return Skip(start, output, clock,
                    $"nonlinear arithmetic is tried only up to {o.MaxNonlinearProducts} products and {o.MaxNonlinearUnstable} unstable neurons; this query has {e.NonlinearProducts} and {e.UnstableNeurons}");
        }
        string mode = !linear ? Nra : box.Dimensions.ToArray().All(d => d.IsPoint) ? FixedX : Linear;
        using var session = new SolverSession(o.CheckTimeout, deadline.Token, logic: linear ? "QF_LRA" : null);
        var ctx = session.Context;
        var encoded = DeviationEncoder.Encode(ctx, net, box, delta, cancel, o.Encoding);
        var best = start.Lower;

        DeviationMaximum Done(Rational lower, Rational upper, MaximizeStatus status, UnknownReason reason, int checks)
        {
            if (reason == UnknownReason.Cancelled && !cancel.IsCancellationRequested) reason = UnknownReason.Timeout; // our deadline
            CheckConsistent(lower, upper);
            return new(output, mode, lower, upper, best, status, reason, checks, clock.Elapsed, encoded.UnstableNeurons);
        }

        var dev = encoded.Deviations[output];
        if (dev.IsConstant)
        {
            // Nothing that moves reaches this output: Δf_j is the constant |c| (zero) everywhere.
            var x0 = box.Center;
            best = Better(best, Replayed(net, box, delta, output, x0, net));
            var c = Rational.Abs(dev.Constant);
            return Done(best?.Exact ?? Rational.Zero, c, best is { } b && b.Exact == c ? MaximizeStatus.Exact : MaximizeStatus.UpperExact, UnknownReason.None, 0);
        }
        session.Assert(encoded.Facts.ToArray());
        var d = dev.Expr!;

        Rational? Replay(Microsoft.Z3.Model model)
        {
            var x = new double[net.InputSize];
            for (int i = 0; i < x.Length; i++)
                x[i] = encoded.Inputs[i].IsConstant ? box[i].Lo
                    : WitnessRounding.RoundInto(ExactTerms.Evaluate(model, encoded.Inputs[i].Expr!) ?? throw new InvalidOperationException("Z3 returned no value for an input"), box[i]);
            var changes = new List<(int, bool, int, Rational)>();
            foreach (var p in encoded.Parameters)
            {
                var v = ExactTerms.Evaluate(model, p.Variable) ?? throw new InvalidOperationException("Z3 returned no value for a parameter");
                changes.Add((p.Layer, p.IsWeight, p.Index, v.IsExact ? v.Value : (v.Lower + v.Upper) / 2));
            }
            var w = Replayed(net, box, delta, output, x, WitnessRounding.Perturbed(net, delta, changes));
            best = Better(best, w);
            return w?.Exact;
        }

        // An exact LP over the model's linear region (split signs fixed, Δf_j's sign kept): its best vertex.
        Optimize Polish(Microsoft.Z3.Model model)
        {
            var at = ExactTerms.Evaluate(model, d);
            bool up = at is not { IsExact: true } v || v.Value.Sign >= 0;
            var opt = OutputMaximizer.RegionProgram(ctx, model, encoded.Facts, encoded.CaseSplits, encoded.SplitPreActivations);
            opt.MkMaximize(up ? d : ctx.MkUnaryMinus(d));
            return opt;
        }

        var search = new ThresholdBisection(session,
            (t, strict) =>
            {
                var tt = ExactTerms.Real(ctx, t);
                var mt = ExactTerms.Real(ctx, -t);
                return strict ? ctx.MkOr(ctx.MkGt(d, tt), ctx.MkLt(d, mt)) : ctx.MkOr(ctx.MkGe(d, tt), ctx.MkLe(d, mt));
            },
            Replay, exactReplay: false, best?.Exact ?? Rational.Zero, Rational.FromDouble(start.Upper))
        {
            Polish = linear ? Polish : null,
            ModelValue = m => ExactTerms.Evaluate(m, d) is { IsExact: true } v ? Rational.Abs(v.Value) : null,
        };
        var (status, reason) = search.Run(o.Tolerance, o.MaxChecks, deadline.Token);
        return Done(search.Lower, search.Upper, status, reason, search.Checks);
    }

    private static LowerBound? Replayed(Network net, Box box, ParameterBox delta, int output, double[] x, Network perturbed)
    {
        var w = new Witness(output, x, perturbed);
        return w.Replay(net, box, delta) is { } v ? new LowerBound(output, v, w) : null;
    }

    private static LowerBound? Better(LowerBound? a, LowerBound? b) =>
        a is null ? b : b is null ? a : b.Exact > a.Exact ? b : a;

    private static void CheckConsistent(Rational lower, Rational upper)
    {
        if (lower > upper)
            throw new InvalidOperationException($"a replayed witness ({lower}) exceeds the certified upper bound {upper}: an encoding or a bounder is unsound");
    }
}
