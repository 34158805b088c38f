using Microsoft.Z3;
using Verify.Intervals;
using Z3Model = Microsoft.Z3.Model;

namespace Verify.Smt;

/// <summary>
/// The one maximisation loop of the exact SMT methods: max of an objective lies in [Lower, Upper]. Strict checks
/// "objective &gt; floor" alternate with bisection steps "objective ≥ (floor + Upper)/2". UNSAT at a threshold t
/// certifies max ≤ t; every SAT model is handed to <see cref="Replay"/>, which turns it into a witness and returns
/// the witness's exactly replayed value — the only way <see cref="Lower"/> grows. SAT also proves max ≥ t even when
/// the replayed witness falls a little short (rounding a rational δ or an algebraic x to doubles), so the
/// bisection floor is kept apart from the certified <see cref="Lower"/>.
/// </summary>
internal sealed class ThresholdBisection
{
    private readonly SolverSession _session;
    private readonly Func<Rational, bool, BoolExpr> _atLeast;
    private readonly Func<Z3Model, Rational?> _replay;
    private readonly bool _exactReplay;
    private Rational _satFloor;

    /// <param name="atLeast">The fact "objective ≥ t", or "&gt; t" when strict.</param>
    /// <param name="replay">Builds a witness from a model and returns its exactly replayed objective value (null: no
    /// witness could be built); the caller keeps the best witness.</param>
    /// <param name="exactReplay">True when a model's witness is the model's point itself, so its value must reach the
    /// asserted threshold; a shortfall is then an encoding bug and throws.</param>
    public ThresholdBisection(SolverSession session, Func<Rational, bool, BoolExpr> atLeast, Func<Z3Model, Rational?> replay,
                              bool exactReplay, Rational lower, Rational upper)
    {
        _session = session;
        _atLeast = atLeast;
        _replay = replay;
        _exactReplay = exactReplay;
        Lower = lower;
        Upper = upper;
        _satFloor = lower;
    }

    /// <summary>
    /// Optional: from a SAT model, an optimisation problem (an exact LP over the model's linear region, made in the
    /// session's context) whose optimum is a better point. The loop checks it, replays its model while the optimizer
    /// is alive (a model must not outlive its optimizer on Z3 4.8.12) and disposes it.
    /// </summary>
    public Func<Z3Model, Optimize>? Polish { get; init; }

    /// <summary>
    /// Optional: the objective's exact value in a model. A polished model's value then raises the bisection floor
    /// (the model is a point of the encoding, like any SAT answer) even when its rounded witness replays a little
    /// lower; without it only replayed witnesses and thresholds do.
    /// </summary>
    public Func<Z3Model, Rational?>? ModelValue { get; init; }

    /// <summary>The best replayed value: a certified lower bound of the maximum.</summary>
    public Rational Lower { get; private set; }

    /// <summary>A certified upper bound of the maximum.</summary>
    public Rational Upper { get; private set; }

    /// <summary>max ≥ Floor is known (from a witness or a SAT answer); Floor ≥ Lower.</summary>
    public Rational Floor => Rational.Max(Lower, _satFloor);

    public int Checks { get; private set; }

    /// <summary>Counts a check made outside the loop (e.g. an optimizer start).</summary>
    public void CountCheck() => Checks++;

    /// <summary>
    /// Replays a model that satisfies "objective ≥ threshold" (or "&gt;" when strict) and updates the bounds. A model
    /// from Z3's optimizer is only a hint (Z3 4.8.12's Optimize has returned points below the optimum of the LP it
    /// was given), so it comes with no threshold: it counts by its replay alone.
    /// </summary>
    public void Accept(Z3Model model, Rational? threshold, bool strict)
    {
        if (threshold is { } t0) _satFloor = Rational.Max(_satFloor, t0);
        if (ModelValue?.Invoke(model) is { } mv && mv <= Upper) _satFloor = Rational.Max(_satFloor, mv);
        if (_replay(model) is not { } v) return;
        if (_exactReplay && threshold is { } t && (strict ? v <= t : v < t))
            throw new InvalidOperationException($"Z3 model replays to {v}, below the asserted threshold {t}: the encoding or the neuron bounds are unsound");
        if (v > Upper)
            throw new InvalidOperationException($"a replayed witness ({v}) exceeds the certified upper bound {Upper}: the encoding or a bounder is unsound");
        if (v > Lower) Lower = v;
    }

    /// <summary>Runs until exact, within tolerance, out of checks, or stopped; returns the status and why it stopped.</summary>
    public (MaximizeStatus Status, UnknownReason Reason) Run(Rational tolerance, int maxChecks, CancellationToken deadline)
    {
        var ctx = _session.Context;
        Rational? lastStrict = null;
        bool previousStrict = false;
        while (Checks < maxChecks)
        {
            if (Finished(tolerance, afterStrict: false) is { } done) return done;
            bool closeEnough = Upper - Floor <= tolerance;
            bool strict = closeEnough || lastStrict != Floor && !previousStrict;
            var t = strict ? Floor : (Floor + Upper) / 2;
            if (deadline.IsCancellationRequested) return (MaximizeStatus.Unknown, UnknownReason.Cancelled);
            SmtOutcome r;
            try
            {
                _session.Solver.Push();
                _session.Assert(_atLeast(t, strict));
                r = _session.Check();
                Checks++;
                if (r.IsSat) Accept(r.Model!, t, strict);
                else if (r.IsUnsat) Upper = Rational.Min(Upper, t); // strict at the floor: max ≤ floor, so exact
                _session.Solver.Pop();
            }
            catch (Z3Exception e) when (deadline.IsCancellationRequested || _session.IsInterrupted || SolverSession.IsInterruption(e))
            {
                // push/pop and model evaluation refuse once interrupted (by the deadline or the session's backstop)
                return (MaximizeStatus.Unknown, deadline.IsCancellationRequested ? UnknownReason.Cancelled : UnknownReason.Timeout);
            }
            if (r.IsUnknown) return (MaximizeStatus.Unknown, r.Reason);
            if (r.IsSat && Polish is not null && Floor < Upper)
            {
                using var opt = Polish(r.Model!);
                var p = _session.Check(opt);
                Checks++;
                if (p.IsSat) Accept(p.Model!, threshold: null, strict: false);
                else if (p.IsUnknown && deadline.IsCancellationRequested) return (MaximizeStatus.Unknown, p.Reason);
            }
            previousStrict = strict;
            if (strict) lastStrict = t;
            if (closeEnough && Finished(tolerance, afterStrict: true) is { } close) return close;
        }
        return Finished(tolerance, afterStrict: true) ?? (MaximizeStatus.Unknown, UnknownReason.Incomplete);
    }

    private (MaximizeStatus, UnknownReason)? Finished(Rational tolerance, bool afterStrict)
    {
        if (Lower == Upper) return (MaximizeStatus.Exact, UnknownReason.None);
        if (Floor == Upper) return (MaximizeStatus.UpperExact, UnknownReason.None);
        if (afterStrict && Upper - Floor <= tolerance) return (MaximizeStatus.WithinTolerance, UnknownReason.None);
        return null;
    }
}
