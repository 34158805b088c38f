using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Verify.Errors;
using Verify.Intervals;

namespace Verify.Cli;

/// <summary>
/// The input box options --lo/--hi (comma lists; a single value broadcasts to every input) or --box-file
/// (JSON {"lo": [...], "hi": [...]}). Minimal on purpose: a shared box helper (with --vnnlib) will replace it.
/// </summary>
public sealed class BoxArguments
{
    public Option<string?> Lo { get; } = new("--lo") { Description = "lower corner of the input box, comma-separated (one value broadcasts)" };
    public Option<string?> Hi { get; } = new("--hi") { Description = "upper corner of the input box, comma-separated (one value broadcasts)" };
    public Option<string?> File { get; } = new("--box-file") { Description = "JSON file {\"lo\": [...], \"hi\": [...]} with the input box" };

    public void AddTo(Command cmd) { cmd.Options.Add(Lo); cmd.Options.Add(Hi); cmd.Options.Add(File); }

    public Box Resolve(ParseResult p, int inputs)
    {
        string? lo = p.GetValue(Lo), hi = p.GetValue(Hi), file = p.GetValue(File);
        if (file is not null)
        {
            if (lo is not null || hi is not null) throw new UsageException("give either --box-file or --lo/--hi, not both");
            var (flo, fhi) = ReadFile(file);
            return Make(flo, fhi, inputs, msg => new BadInputException(file, msg));
        }
        if (lo is null || hi is null) throw new UsageException("the input box needs --lo and --hi (or --box-file)");
        return Make(CommonOptions.ParseList(lo, "--lo"), CommonOptions.ParseList(hi, "--hi"), inputs, msg => new UsageException(msg));
    }

    private static Box Make(double[] lo, double[] hi, int inputs, Func<string, VerifyException> error)
    {
        lo = Broadcast(lo, inputs, "lo", error); hi = Broadcast(hi, inputs, "hi", error);
        for (int i = 0; i < inputs; i++)
        {
            if (!double.IsFinite(lo[i]) || !double.IsFinite(hi[i])) throw error($"box bound {i} is not finite");
            if (lo[i] > hi[i])
                throw error(string.Format(CultureInfo.InvariantCulture, "empty box: lo[{0}] = {1:R} > hi[{0}] = {2:R}", i, lo[i], hi[i]));
        }
        return Box.FromBounds(lo, hi);
    }

    private static double[] Broadcast(double[] v, int n, string name, Func<string, VerifyException> error)
    {
        if (v.Length == n) return v;
        if (v.Length == 1) { var r = new double[n]; Array.Fill(r, v[0]); return r; }
        throw error($"{name} has {v.Length} values but the network has {n} inputs");
    }

    private static (double[] Lo, double[] Hi) ReadFile(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
            return (Numbers(doc.RootElement, "lo", path), Numbers(doc.RootElement, "hi", path));
        }
        catch (JsonException e) { throw new BadInputException(path, "not valid JSON: " + e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInputException(path, "cannot read file: " + e.Message); }
    }

    private static double[] Numbers(JsonElement root, string key, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(key, out var a) || a.ValueKind != JsonValueKind.Array)
            throw new BadInputException(path, $"expected an array \"{key}\"");
        var r = new double[a.GetArrayLength()];
        int i = 0;
        foreach (var e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number) throw new BadInputException(path, $"\"{key}\"[{i}] is not a number");
            r[i++] = e.GetDouble();
        }
        return r;
    }
}
