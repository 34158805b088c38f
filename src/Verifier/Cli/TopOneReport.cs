using System.Globalization;
using Verify.Results;

namespace Verify.Cli;

/// <summary>certify --top1's printed report: the class, the certified margin per rival, the flip if one was replayed,
/// and the verdict.</summary>
public static class TopOneReport
{
    public static void Print(TopOneResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"network:      {r.NetworkPath}");
        Console.WriteLine($"perturbation: {r.Perturbation.ToJson().ToJsonString()}");
        Console.WriteLine($"class:        {r.Class} (nominal top class at the box centre)");
        Console.WriteLine("certified min y'_c − y'_j:  " + string.Join("  ",
            r.MarginLower.Select((m, j) => j == r.Class ? $"[{j}] -" : string.Format(inv, "[{0}] {1:G6}", j, m))));
        if (r.Splits > 0) Console.WriteLine($"input splitting: {r.Splits} bisections");
        if (r.Flip is { } f)
        {
            string who = f.NominalFlip ? "the nominal network itself (δ = 0)" : "a perturbed network";
            Console.WriteLine(string.Format(inv, "flip: {0} gives class {1} ≥ class {2} at x = [{3}]; exact margin y'_c − y'_r = {4} (replayed)",
                who, f.Rival, f.Class, string.Join(", ", f.X.Take(8).Select(v => v.ToString("G6", inv))) + (f.X.Length > 8 ? ", …" : ""),
                r.FlipMargin?.ToInterval().Hi.ToString("G6", inv)));
        }
        Console.WriteLine(string.Format(inv, "time: {0:F3} s", r.Seconds));
        if (r.ExecutionCheck is { } check) Console.WriteLine($"execution: {check}");
        Console.WriteLine($"verdict: {r.Verdict.ToJsonName()}" + (r.Reason is { } why ? $" ({why})" : ""));
    }
}
