using System.Diagnostics;
using Microsoft.Z3;
using Z3Model = Microsoft.Z3.Model;

namespace Verify.Smt;

/// <summary>
/// One Z3 context and one solver for one query, disposed deterministically. Every check has a time
/// limit (Z3's own "timeout" parameter plus a managed backstop that interrupts the context) and is
/// cancellable through the session's token. Use the session from one thread; only cancellation may
/// come from another.
/// </summary>
public sealed class SolverSession : IDisposable
{
    // Z3's timeout is checked cooperatively; the backstop interrupts only if Z3 overshoots by this much.
    private static readonly TimeSpan BackstopGrace = TimeSpan.FromMilliseconds(250);

    private readonly CancellationToken _cancel;
    private readonly CancellationTokenRegistration _registration;
    private readonly object _interruptGate = new();
    private bool _disposed;
    private bool _interrupted; // a Z3 interrupt is sticky for the context: later checks cannot run
    private UnknownReason _interruptReason;
    private int _checkNumber;   // identifies the running check for its backstop timer
    private bool _checking;

    public Context Context { get; }
    public Solver Solver { get; }
    public TimeSpan CheckTimeout { get; }

    /// <param name="checkTimeout">Limit for each Check call.</param>
    /// <param name="cancel">Cancels the running check (and every later one).</param>
    /// <param name="resourceLimit">Optional Z3 rlimit per check (deterministic, machine-independent), 0 for none.</param>
    /// <param name="logic">An SMT-LIB logic such as "QF_LRA" (much cheaper to set up than Z3's default
    /// strategy for small queries), or null for Z3's default solver.</param>
    public SolverSession(TimeSpan checkTimeout, CancellationToken cancel = default, uint resourceLimit = 0, string? logic = null)
    {
        if (checkTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(checkTimeout), "timeout must be positive");
        Z3Runtime.EnsureLoaded();
        CheckTimeout = checkTimeout;
        _cancel = cancel;
        Context = new Context(new Dictionary<string, string> { ["model"] = "true" });
        try
        {
            Solver = logic is null ? Context.MkSolver() : Context.MkSolver(logic);
            using var p = Context.MkParams();
            p.Add("timeout", (uint)Math.Clamp(checkTimeout.TotalMilliseconds, 1, uint.MaxValue));
            if (resourceLimit > 0) p.Add("rlimit", resourceLimit);
            Solver.Parameters = p;
            _registration = cancel.Register(() => Interrupt(UnknownReason.Cancelled));
        }
        catch
        {
            Solver?.Dispose();
            Context.Dispose();
            throw;
        }
    }

    public void Assert(params BoolExpr[] facts) => Solver.Assert(facts);

    /// <summary>Checks satisfiability of the assertions (plus optional assumptions). Never throws for unknown.</summary>
    public SmtOutcome Check(params BoolExpr[] assumptions) =>
        Guarded(() => Solver.Check((Expr[])assumptions), () => Solver.ReasonUnknown, () => Solver.Model);

    /// <summary>
    /// Runs Z3's optimizer (created in this session's context) under the same time limit and cancellation.
    /// Its answer is a hint to be certified by the caller, not a certificate.
    /// </summary>
    public SmtOutcome Check(Optimize optimize)
    {
        using (var p = Context.MkParams())
        {
            p.Add("timeout", (uint)Math.Clamp(CheckTimeout.TotalMilliseconds, 1, uint.MaxValue));
            optimize.Parameters = p;
        }
        return Guarded(() => optimize.Check(), () => optimize.ReasonUnknown, () => optimize.Model);
    }

    private SmtOutcome Guarded(Func<Status> check, Func<string> reasonUnknown, Func<Z3Model> model)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        if (_cancel.IsCancellationRequested)
            return Unknown(UnknownReason.Cancelled, "cancelled before the check", clock);
        lock (_interruptGate)
            if (_interrupted) return Unknown(_interruptReason, "context was interrupted by an earlier check", clock);

        Status status;
        int number;
        lock (_interruptGate) { number = ++_checkNumber; _checking = true; }
        using (new Timer(_ => InterruptCheck(number), null, CheckTimeout + BackstopGrace, Timeout.InfiniteTimeSpan))
        {
            try
            {
                status = check();
            }
            catch (Z3Exception e)
            {
                // Some 4.8.12 paths report an interrupt, or Z3's own timeout, as an exception ("canceled") rather
                // than unknown; any other failure inside a check is Z3 giving up as well. None of them is an answer.
                return Unknown(ClassifyUnknown(e.Message, clock.Elapsed, interruption: IsInterruption(e)), e.Message, clock);
            }
            finally
            {
                lock (_interruptGate) _checking = false;
            }
        }
        if (status == Status.SATISFIABLE) return new SmtOutcome(SmtStatus.Sat, model(), UnknownReason.None, "", clock.Elapsed);
        if (status == Status.UNSATISFIABLE) return new SmtOutcome(SmtStatus.Unsat, null, UnknownReason.None, "", clock.Elapsed);
        string reason = reasonUnknown();
        return Unknown(ClassifyUnknown(reason, clock.Elapsed), reason, clock);
    }

    /// <summary>Whether this session's checks can no longer run: its token fired or its context was interrupted (sticky).</summary>
    public bool IsInterrupted
    {
        get { lock (_interruptGate) return _interrupted || _cancel.IsCancellationRequested; }
    }

    /// <summary>
    /// Whether an exception is Z3 reporting an interrupt ("canceled"): a timeout or a cancellation that reached Z3 outside
    /// a check (while asserting, evaluating a model, pushing), never a wrong answer. Callers and the CLI turn it into
    /// unknown/timeout.
    /// </summary>
    public static bool IsInterruption(Exception e) =>
        e is Z3Exception && (e.Message.Contains("cancel", StringComparison.OrdinalIgnoreCase) ||
                             e.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase));

    private UnknownReason ClassifyUnknown(string reason, TimeSpan elapsed, bool interruption = false)
    {
        if (_cancel.IsCancellationRequested) return UnknownReason.Cancelled;
        lock (_interruptGate) if (_interrupted) return _interruptReason;
        if (interruption) return UnknownReason.Timeout; // Z3's own timeout: nobody else interrupts a session
        if (reason.Contains("timeout", StringComparison.OrdinalIgnoreCase) ||
            reason.Contains("resource", StringComparison.OrdinalIgnoreCase) ||
            reason.Contains("rlimit", StringComparison.OrdinalIgnoreCase) ||
            reason.Contains("canceled", StringComparison.OrdinalIgnoreCase) && elapsed >= CheckTimeout)
            return UnknownReason.Timeout;
        return UnknownReason.Incomplete;
    }

    private static SmtOutcome Unknown(UnknownReason reason, string detail, Stopwatch clock) =>
        new(SmtStatus.Unknown, null, reason, detail, clock.Elapsed);

    private void InterruptCheck(int number)
    {
        lock (_interruptGate)
            if (_checking && _checkNumber == number) Interrupt(UnknownReason.Timeout);
    }

    private void Interrupt(UnknownReason reason)
    {
        lock (_interruptGate)
        {
            if (_disposed) return;
            if (!_interrupted) { _interrupted = true; _interruptReason = reason; }
            Context.Interrupt();
        }
    }

    public void Dispose()
    {
        lock (_interruptGate)
        {
            if (_disposed) return;
            _disposed = true; // no interrupt can reach the context after this
        }
        _registration.Dispose(); // waits for a running cancellation callback
        Solver.Dispose();
        Context.Dispose();
    }
}
