namespace Verify.Results;

/// <summary>The answer to a verification query. Every way of giving up is kept apart.</summary>
public enum Verdict
{
    Verified,
    Falsified,
    Unknown,
    Timeout,
}

public static class VerdictExtensions
{
    public static string ToJsonName(this Verdict v) => v switch
    {
        Verdict.Verified => "verified",
        Verdict.Falsified => "falsified",
        Verdict.Unknown => "unknown",
        _ => "timeout",
    };

    public static Errors.ExitCode ToExitCode(this Verdict v) => v switch
    {
        Verdict.Verified => Errors.ExitCode.Success,
        Verdict.Falsified => Errors.ExitCode.Falsified,
        _ => Errors.ExitCode.Unknown,
    };
}
