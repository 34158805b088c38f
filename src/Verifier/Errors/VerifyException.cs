namespace Verify.Errors;

/// <summary>Base of the errors the CLI turns into one-line messages and exit codes.</summary>
public abstract class VerifyException(string message, Exception? inner = null) : Exception(message, inner)
{
    public abstract ExitCode ExitCode { get; }
}

/// <summary>Malformed or invalid input data (files, numbers, dimensions): exit 65.</summary>
public class BadInputException : VerifyException
{
    public string? File { get; }
    public string? Position { get; }
    public string Problem { get; }

    public BadInputException(string? file, string problem, string? position = null, Exception? inner = null)
        : base(Format(file, position, problem), inner)
    {
        File = file; Position = position; Problem = problem;
    }

    private static string Format(string? file, string? position, string problem) =>
        (file is null ? "" : file + (position is null ? "" : ":" + position) + ": ") + problem;

    public override ExitCode ExitCode => ExitCode.DataError;
}

/// <summary>An invalid network (dimension mismatch, non-finite parameter). Readers wrap it with the file name.</summary>
public sealed class ModelException(string problem) : BadInputException(null, problem);

/// <summary>Misuse of the command line (bad option values, conflicting options): exit 64.</summary>
public sealed class UsageException(string message) : VerifyException(message)
{
    public override ExitCode ExitCode => ExitCode.Usage;
}
