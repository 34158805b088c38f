using System.CommandLine;
using System.Globalization;
using Verify.Errors;

namespace Verify.Cli;

/// <summary>Options shared by every verb, with the same names and meanings everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Net(string name = "--net", string description = "network file (.json, .nnet, .onnx)") =>
        new(name) { Description = description, Required = true };

    public static Option<string?> Format() => new("--format") { Description = "network format, overriding the file extension (json, nnet, onnx)" };

    public static Option<string?> Json() => new("--json") { Description = "write the machine-readable result to this file" };

    public static Option<double?> Timeout() => new("--timeout") { Description = "wall-clock limit in seconds" };

    public static Option<int> Seed() => new("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };

    /// <summary>Parses "a,b,c" into doubles, naming the option on failure. An empty entry ("0.1," or "1,,2") is an error, not skipped.</summary>
    public static double[] ParseList(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException($"{option} needs a comma-separated list of numbers");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var r = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
                throw new UsageException($"{option}: entry {i + 1} of '{text}' is empty (a stray comma?)");
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw new UsageException($"{option}: '{parts[i]}' is not a number");
            if (!double.IsFinite(r[i])) throw new UsageException($"{option}: '{parts[i]}' is not a finite number");
        }
        if (r.Length == 0) throw new UsageException($"{option} needs at least one number");
        return r;
    }

    /// <summary>
    /// The longest time limit accepted: about 11.5 days. Timers, Z3's millisecond limits and TimeSpan itself overflow
    /// somewhere above it, and no run of this tool is meant to take longer.
    /// </summary>
    public const double MaxSeconds = 1_000_000;

    public static TimeSpan? ToTimeSpan(double? seconds, string option = "--timeout") =>
        seconds is null ? null : Seconds(seconds.Value, option);

    /// <summary>A positive, finite time limit of at most <see cref="MaxSeconds"/>, or a usage error naming the option.</summary>
    public static TimeSpan Seconds(double seconds, string option)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds)) throw new UsageException($"{option} must be a positive number of seconds");
        if (seconds > MaxSeconds)
            throw new UsageException($"{option} {seconds.ToString("R", CultureInfo.InvariantCulture)} is too long: at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)} seconds (about 11 days)");
        return TimeSpan.FromSeconds(seconds);
    }
}
