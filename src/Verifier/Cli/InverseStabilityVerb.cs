using System.CommandLine;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;

namespace Verify.Cli;

/// <summary>
/// `verify inverse-stability`: the degenerate-parametrisation examples here; `conditions`, `fiber` and `search` in their
/// own files (InverseStabilityConditionsCommand, InverseStabilityFiberCommand, InverseStabilitySearchCommand).
/// </summary>
public sealed class InverseStabilityVerb : IVerb
{
    public Command Build()
    {
        var cmd = new Command("inverse-stability",
            "Realization distance vs parameter distance: the paper's examples, conditions, fiber bounds, search.\n" +
            "Inverse stability of the ReLU realization map (Berner, Elbrächter, Grohs, NeurIPS 2019): the paper's Examples 2.1–2.5, its conditions and theorems, fiber-distance bounds, counterexample search.");
        cmd.Subcommands.Add(Examples());
        cmd.Subcommands.Add(InverseStabilityConditionsCommand.Build());
        cmd.Subcommands.Add(InverseStabilityFiberCommand.Build());
        cmd.Subcommands.Add(InverseStabilitySearchCommand.Build());
        return cmd;
    }

    private static Command Examples()
    {
        var k = new Option<int>("--k") { Description = "largest k (every example is built for k = 1..K)", DefaultValueFactory = _ => 4 };
        var r = new Option<string>("--r") { Description = "r > 0 of Example 2.2 (rational, e.g. 1/2 as in Figure 2)", DefaultValueFactory = _ => "1/2" };
        var json = CommonOptions.Json();
        var outDir = new Option<string?>("--out-dir") { Description = "write Γ and Θ of every example as native JSON networks (nearest doubles): ex<id>-k<k>-gamma.json / -theta.json" };
        var plot = new Option<string?>("--plot") { Description = "write pictures like the paper's Figures 1–5 into DIR: R(Γ) and g_k as heat maps (2.1–2.4), the weight vectors (2.5)" };
        var cmd = new Command("examples",
            "Examples 2.1–2.5 of the paper as printed (bias-free shallow networks N_(d,m,1)): the exact realization distance (sup norm " +
            "on (−1,1)² for 2.1, the W^{1,∞} semi-norm (21) for all), a certified lower bound of the distance from Γ to every " +
            "parametrization of g_k with its argument, and an upper bound from an explicit parametrization.")
        { k, r, json, outDir, plot };
        cmd.SetAction(p => VerbRunner.Run(() => RunExamples(p.GetValue(k), p.GetValue(r)!, p.GetValue(json), p.GetValue(outDir), p.GetValue(plot))));
        return cmd;
    }

    private static int RunExamples(int kMax, string rText, string? jsonPath, string? outDir, string? plotDir)
    {
        if (kMax < 1 || kMax > 1000) throw new UsageException("--k must be between 1 and 1000");
        if (!Rational.TryParse(rText, out var r) || r.Sign <= 0) throw new UsageException("--r must be a positive rational number");
        var result = PaperExamples.Report(kMax, r, TimeSpan.FromSeconds(30));
        foreach (var n in result.Networks)
        {
            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                NetworkFiles.Write(n.Gamma, Path.Combine(outDir, $"ex{n.Id}-k{n.K}-gamma.json"));
                NetworkFiles.Write(n.Theta, Path.Combine(outDir, $"ex{n.Id}-k{n.K}-theta.json"));
            }
            if (plotDir is not null)
                foreach (var (name, png) in ExamplePlot.Render(PaperExamples.Build(n.Id, n.K, r))) OutputFile.Write(Path.Combine(plotDir, name), png, "the plots");
        }
        var rows = result.Rows;
        Console.WriteLine("Examples 2.1–2.5 of Berner, Elbrächter, Grohs (NeurIPS 2019) as printed; realization distances exact, parameter bounds certified.");
        Console.WriteLine($"{"ex",-4} {"k",3} {"norm",-8} {"realization",12} {"paper",-12} {"param ≥",9} {"param ≤",9} {"paper",-12} argument");
        foreach (var row in rows)
            Console.WriteLine($"{row.Example,-4} {row.K,3} {row.Norm,-8} {RationalText.Short(row.Realization),12} {row.PaperRealization,-12} " +
                              $"{RationalText.Short(row.ParameterLower),9} {RationalText.Short(row.ParameterUpper),9} {row.PaperParameter,-12} {row.Argument}");
        foreach (var note in rows.Where(e => e.Note.Length > 0).Select(e => $"{e.Example}: {e.Note}").Distinct())
            Console.WriteLine("note " + note);
        JsonOutput.Write(jsonPath, result.ToJson());
        return 0;
    }
}
