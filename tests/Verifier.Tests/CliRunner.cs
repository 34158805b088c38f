namespace Verify.Tests;

/// <summary>
/// Runs the real entry point with stdout and stderr captured, so that the CLI's expected error lines end up in the
/// assertions and not in the test log. Console redirection is process-wide: callers must be [NonParallelizable]
/// (NUnit runs an assembly's tests sequentially unless told otherwise).
/// </summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout); Console.SetError(stderr);
        try { return (Verify.Program.Main(args), stdout.ToString(), stderr.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    /// <summary>Only the exit code; the output is captured and dropped.</summary>
    public static int Code(params string[] args) => Run(args).Code;

    /// <summary>Runs, expects the exit code and exactly one "verify:" error line containing every fragment, with no stack trace.</summary>
    public static string Fails(int expectedCode, string[] args, params string[] fragments)
    {
        var (code, _, err) = Run(args);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(code, Is.EqualTo(expectedCode), err);
        Assert.That(lines, Has.Length.EqualTo(1), "one-line message expected, got: " + err);
        Assert.That(err, Does.StartWith("verify:"));
        Assert.That(err, Does.Not.Match(@"\bat [\w.]+\(").And.Not.Contain("Exception"), "no stack trace or exception type");
        Assert.That(err, Does.Not.Contain("LineNumber:"), "positions are reported once, as file:line:col");
        foreach (var f in fragments) Assert.That(err, Does.Contain(f));
        return err;
    }
}
