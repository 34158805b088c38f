using System.Globalization;
using System.Text.Json;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;

namespace Verify.Specs;

/// <summary>
/// Builds input boxes from the three sources every box-taking verb accepts: bounds given on the command line,
/// a JSON box file {"lo":[..],"hi":[..]}, or a VNNLIB file. Command-line mistakes are <see cref="UsageException"/>s
/// (exit 64); mistakes inside files are <see cref="BadInputException"/>s naming the file (exit 65).
/// Numbers in command-line lists and JSON files are read as the nearest double; VNNLIB bounds are exact
/// decimals, enclosed outward (see <see cref="VnnLibSpec"/>).
/// </summary>
public static class InputBoxSource
{
    /// <summary>lo/hi from the command line; a single number is broadcast to every input.</summary>
    public static InputBox FromBounds(double[] lo, double[] hi, int inputSize, string loName = "--lo", string hiName = "--hi")
    {
        lo = Broadcast(lo, inputSize, loName);
        hi = Broadcast(hi, inputSize, hiName);
        for (int i = 0; i < inputSize; i++)
        {
            if (!double.IsFinite(lo[i]) || !double.IsFinite(hi[i]))
                throw new UsageException($"{loName}/{hiName}: bound {i} is not a finite number");
            if (lo[i] > hi[i])
                throw new UsageException($"empty box: {loName}[{i}] = {R(lo[i])} > {hiName}[{i}] = {R(hi[i])}");
        }
        return new InputBox(Box.FromBounds(lo, hi), $"{loName}/{hiName}");
    }

    private static double[] Broadcast(double[] v, int n, string name)
    {
        if (v.Length == n) return v;
        if (v.Length == 1) return Enumerable.Repeat(v[0], n).ToArray();
        throw new UsageException($"{name} has {v.Length} values but the network has {n} inputs (give {n} values, or one for all)");
    }

    /// <summary>A JSON file {"lo":[..],"hi":[..]} (other fields, such as "note", are ignored), one bound per input.</summary>
    public static InputBox FromJsonFile(string path, int inputSize)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot read box file: " + e.Message);
        }
        var doc = JsonInput.ParseDocument(path, bytes);
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BadInputException(path, "expected a JSON object {\"lo\":[..],\"hi\":[..]}");
            var lo = Bounds(path, root, "lo", inputSize);
            var hi = Bounds(path, root, "hi", inputSize);
            for (int i = 0; i < inputSize; i++)
                if (lo[i] > hi[i])
                    throw new BadInputException(path, $"empty box: lo[{i}] = {R(lo[i])} > hi[{i}] = {R(hi[i])}");
            return new InputBox(Box.FromBounds(lo, hi), path);
        }
    }

    private static double[] Bounds(string path, JsonElement root, string key, int n)
    {
        if (!root.TryGetProperty(key, out var e)) throw new BadInputException(path, $"missing \"{key}\"");
        double[] v;
        if (e.ValueKind == JsonValueKind.Number) v = [Number(path, e, key)];
        else if (e.ValueKind == JsonValueKind.Array) v = e.EnumerateArray().Select((x, i) => Number(path, x, $"{key}[{i}]")).ToArray();
        else throw new BadInputException(path, $"\"{key}\" must be an array of numbers");
        // No broadcasting in files (that is for the command line): a file written for another network must not fit by accident.
        if (v.Length == n) return v;
        throw new BadInputException(path, $"\"{key}\" has {v.Length} value{(v.Length == 1 ? "" : "s")} but the network has {n} inputs (a box file lists every bound)");
    }

    private static double Number(string path, JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d))
            throw new BadInputException(path, $"{where} is {e.GetRawText()}, not a number");
        if (!double.IsFinite(d)) throw new BadInputException(path, $"{where} = {e.GetRawText()} is not a finite number");
        return d;
    }

    /// <summary>The input box of a VNNLIB file, checked against the network's input (and output) size.</summary>
    public static InputBox FromVnnLib(string path, int inputSize, int? outputSize = null)
    {
        var spec = VnnLibReader.ReadFile(path);
        if (spec.InputSize != inputSize)
            throw new BadInputException(path, $"declares {spec.InputSize} inputs X_0..X_{spec.InputSize - 1} but the network has {inputSize}");
        if (outputSize is { } m && spec.OutputSize != 0 && spec.OutputSize != m)
            throw new BadInputException(path, $"declares {spec.OutputSize} outputs Y_0..Y_{spec.OutputSize - 1} but the network has {m}");
        return new InputBox(spec.InputBox, path, spec);
    }

    private static string R(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
