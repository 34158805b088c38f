namespace Verify.Errors;

/// <summary>Process exit codes (sysexits-style for errors). Verdicts and errors never share a code.</summary>
public enum ExitCode
{
    Success = 0,
    Falsified = 1,
    Unknown = 2,
    Usage = 64,
    DataError = 65,
    Internal = 70,
}
