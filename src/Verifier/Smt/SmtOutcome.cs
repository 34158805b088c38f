using Microsoft.Z3;
using Z3Model = Microsoft.Z3.Model;

namespace Verify.Smt;

public enum SmtStatus { Sat, Unsat, Unknown }

/// <summary>Why a check ended without an answer.</summary>
public enum UnknownReason
{
    None,
    /// <summary>The per-check time or resource limit ran out.</summary>
    Timeout,
    /// <summary>The caller's cancellation token fired.</summary>
    Cancelled,
    /// <summary>Z3 gave up for another reason (incomplete theory, memory, …); see the detail text.</summary>
    Incomplete,
}

/// <summary>
/// The answer of one check, as a value: Sat (with the model, valid while its session lives), Unsat, or
/// Unknown with a reason. Unknown is an honest answer and never an exception.
/// </summary>
public sealed record SmtOutcome(SmtStatus Status, Z3Model? Model, UnknownReason Reason, string Detail, TimeSpan Elapsed)
{
    public bool IsSat => Status == SmtStatus.Sat;
    public bool IsUnsat => Status == SmtStatus.Unsat;
    public bool IsUnknown => Status == SmtStatus.Unknown;

    public override string ToString() =>
        Status == SmtStatus.Unknown ? $"unknown ({Reason}: {Detail})" : Status.ToString().ToLowerInvariant();
}
