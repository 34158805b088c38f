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

    /// <summary>Parses "a,b,c" into doubles, naming the option on failure.</summary>
    public static double[] ParseList(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException($"{option} needs a comma-separated list of numbers");
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var r = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw new UsageException($"{option}: '{parts[i]}' is not a number");
            if (!double.IsFinite(r[i])) throw new UsageException($"{option}: '{parts[i]}' is not a finite number");
        }
        if (r.Length == 0) throw new UsageException($"{option} needs at least one number");
        return r;
    }

    public static TimeSpan? ToTimeSpan(double? seconds, string option = "--timeout")
    {
        if (seconds is null) return null;
        if (!(seconds > 0) || !double.IsFinite(seconds.Value)) throw new UsageException($"{option} must be a positive number of seconds");
        return TimeSpan.FromSeconds(seconds.Value);
    }
}
