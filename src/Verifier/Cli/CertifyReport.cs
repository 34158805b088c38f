using System.Globalization;
using Verify.Model;
using Verify.Results;

namespace Verify.Cli;

/// <summary>certify's printed report: a table of every method's U_j, the input-splitting history, the replayed lower
/// bounds with the best witness, the search and z3 summaries, the execution format's line, and the verdict.</summary>
public static class CertifyReport
{
    public static void Print(Network network, CertifyResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"network:      {r.NetworkPath} ({string.Join("-", network.Widths)})");
        Console.WriteLine($"perturbation: {r.Perturbation.ToJson().ToJsonString()}");
        Console.WriteLine("box:          " + BoxText.Of(r.BoxLo, r.BoxHi));
        Console.WriteLine();
        Console.Write("output  ");
        foreach (var m in r.Methods) Console.Write($"{m.Name,14}");
        Console.WriteLine($"{"certified U",14}");
        for (int j = 0; j < r.Upper.Length; j++)
        {
            Console.Write($"y[{j}]".PadRight(8));
            foreach (var m in r.Methods) Console.Write(m.Upper[j].ToString("G6", inv).PadLeft(14));
            Console.WriteLine(r.Upper[j].ToString("G6", inv).PadLeft(14));
        }
        Console.Write("time (s)");
        foreach (var m in r.Methods) Console.Write(m.Seconds.ToString("F3", inv).PadLeft(14));
        Console.WriteLine(r.Seconds.ToString("F3", inv).PadLeft(14));
        if (r.Splits > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"{SplitLabel(r)}: {r.Splits} splits; sup U over time: " +
                string.Join(" → ", DistinctSteps(r.History.Select(h => string.Format(inv, "{0:G4} ({1:F2}s)", h.SupUpper, h.Seconds)))));
        }
        Console.WriteLine();
        Console.WriteLine(string.Format(inv, "certified sup_j U_j = {0:G6}", r.SupUpper));
        if (r.SupLower is { } best)
        {
            Console.WriteLine("replayed lower L_j:   " + string.Join("  ", r.Lower!.Select(l => l is null ? "-" : l.Value.ToString("G6", inv))));
            Console.WriteLine(string.Format(inv, "replayed sup_j L_j = {0:G6} (output {1}, x = {2}); U/L = {3:G4}", best.Value, best.Output,
                PointText(best.Witness.X), r.SupUpper / best.Value));
        }
        if (r.RuntimeReplay is { } rt)
            Console.WriteLine(rt.Unavailable is { } why
                ? $"onnxruntime replay ({rt.Precision}): unavailable ({why})"
                : string.Format(inv, "onnxruntime replay ({0}) of that witness: |Δy[{1}]| = {2:G6} (nominal {3:G9}, perturbed {4:G9}); the exact replay above is the certified figure",
                    rt.Precision, rt.Output, rt.Difference, rt.Nominal, rt.Perturbed));
        if (r.Search is { } s)
            Console.WriteLine(string.Format(inv, "search: {0} splits, {1} open, {2} pruned, {3} frozen parts; stopped by {4} after {5:F2}s",
                s.Splits, s.OpenParts, s.PrunedParts, s.FrozenParts, s.StoppedBy, s.Elapsed.TotalSeconds));
        if (r.Z3 is { } z)
            foreach (var e in z.Outputs)
                Console.WriteLine(string.Format(inv, "z3 y[{0}]: {1}, {2}, {3} checks, {4:F2}s{5}", e.Output, e.Mode, e.Status,
                    e.Checks, e.Elapsed.TotalSeconds, e.Skipped is { } why ? " (" + why + ")" : e.UnknownReason is { } reason ? " (" + reason + ")" : ""));
        if (r.Perturbation.Execution is { } f)
            Console.WriteLine(r.ExecutionOverflow is { } why
                ? $"execution: {f.Name}: NOT certified, a float evaluation may overflow ({why})"
                : $"execution: U covers every {f.Name} evaluation (any summation order, FMA or not); L is a real-arithmetic lower bound");
        if (r.Verdict is { } v)
            Console.WriteLine(string.Format(inv, "verdict: {0} (threshold {1:G6})", v.ToJsonName(), r.Threshold));
    }

    /// <summary>What branched: auto may bisect the input, then branch on ReLU phases (docs/phases.md).</summary>
    private static string SplitLabel(Results.CertifyResult r)
    {
        var names = r.Methods.Select(m => m.Name).ToHashSet();
        bool input = names.Contains(Certify.BoundMethods.Auto.Name);
        if (names.Contains(Certify.CertifyEngine.HybridMethodName)) return "input splitting and phase branching per box";
        bool phases = names.Contains(Certify.CertifyEngine.PhaseMethodName) || names.Contains(Certify.CertifyEngine.BallSplitMethodName);
        return input && phases ? "input splitting, then phase branching" : phases ? "phase branching" : "input splitting";
    }

    /// <summary>Keeps a history entry only when its printed bound differs from the previous one (and always the last),
    /// so a long plateau prints once.</summary>
    private static IEnumerable<string> DistinctSteps(IEnumerable<string> entries)
    {
        string? previousValue = null, last = null;
        bool lastPrinted = false;
        foreach (var e in entries)
        {
            string value = e[..e.IndexOf(' ')];
            last = e;
            lastPrinted = value != previousValue;
            if (lastPrinted) yield return e;
            previousValue = value;
        }
        if (last is not null && !lastPrinted) yield return last;
    }

    /// <summary>Points up to this dimension are printed; an image-sized witness (784 inputs) only goes to the files.</summary>
    private const int PrintedDimension = 8;

    private static string PointText(IReadOnlyList<double> x) => x.Count <= PrintedDimension
        ? "[" + string.Join(", ", x.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "]"
        : $"a point of {x.Count} dimensions, in --json and --witness-out";
}
