using System.CommandLine;
using System.Text.Json.Nodes;
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
            "Realization distance vs parameter distance: example families, conditions, fiber bounds, search.\n" +
            "Inverse stability of the ReLU realization map (Berner, Elbrächter, Grohs, NeurIPS 2019): example families, conditions and the theorem check, fiber-distance bounds, counterexample search.");
        cmd.Subcommands.Add(Examples());
        cmd.Subcommands.Add(InverseStabilityConditionsCommand.Build());
        cmd.Subcommands.Add(InverseStabilityFiberCommand.Build());
        cmd.Subcommands.Add(InverseStabilitySearchCommand.Build());
        return cmd;
    }

    private static Command Examples()
    {
        var k = new Option<int>("--k") { Description = "largest k (families are built for k = 1..K)", DefaultValueFactory = _ => 4 };
        var r = new Option<string>("--r") { Description = "r ≥ 1 for family 2.1 (rational, e.g. 2 or 5/2)", DefaultValueFactory = _ => "2" };
        var json = CommonOptions.Json();
        var outDir = new Option<string?>("--out-dir") { Description = "write Γ and Θ of every example as native JSON networks (nearest doubles)" };
        var cmd = new Command("examples",
            "RECONSTRUCTIONS (not verbatim copies) of the paper's five degeneracy families 2.1–2.5: exact realization distance " +
            "(sup norm and W^{1,∞} semi-norm) and certified bounds of the parameter distance from Γ to every parametrisation of R(Θ).")
        { k, r, json, outDir };
        cmd.SetAction(p => VerbRunner.Run(() => RunExamples(p.GetValue(k), p.GetValue(r)!, p.GetValue(json), p.GetValue(outDir))));
        return cmd;
    }

    private static int RunExamples(int kMax, string rText, string? jsonPath, string? outDir)
    {
        if (kMax < 1 || kMax > 1000) throw new UsageException("--k must be between 1 and 1000");
        if (!Rational.TryParse(rText, out var r) || r < Rational.One) throw new UsageException("--r must be a rational number ≥ 1");
        var rows = new List<ExampleRow>();
        foreach (var id in ExampleFamilies.Ids)
            for (int k = 1; k <= kMax; k++)
            {
                var e = ExampleFamilies.Build(id, k, r);
                rows.AddRange(ExampleReport.Evaluate(e));
                if (outDir is not null)
                {
                    Directory.CreateDirectory(outDir);
                    NetworkFiles.Write(e.Gamma.ToNetwork($"example {id} k={k} Gamma"), Path.Combine(outDir, $"ex{id}-k{k}-gamma.json"));
                    NetworkFiles.Write(e.Theta.ToNetwork($"example {id} k={k} Theta"), Path.Combine(outDir, $"ex{id}-k{k}-theta.json"));
                }
            }
        Console.WriteLine("Reconstructed example families (not verbatim from arXiv 1905.09803); realization distances are exact.");
        Console.WriteLine($"{"ex",-4} {"k",3} {"norm",-8} {"realization",14} {"param ≥",10} {"param ≤",10}  kind / argument");
        foreach (var row in rows)
            Console.WriteLine($"{row.Example.Id,-4} {row.Example.K,3} {row.Norm,-8} {row.RealizationUpper,14} {row.ParameterLower,10} {row.ParameterUpper,10}  {row.Example.Kind}; {row.Example.Argument}");
        var arr = new JsonArray();
        foreach (var row in rows)
            arr.Add(new JsonObject
            {
                ["example"] = row.Example.Id,
                ["kind"] = row.Example.Kind,
                ["k"] = row.Example.K,
                ["domain"] = new JsonArray(row.Example.Lo.ToString(), row.Example.Hi.ToString()),
                ["norm"] = row.Norm,
                ["realization"] = new JsonObject { ["lower"] = row.RealizationLower.ToString(), ["upper"] = row.RealizationUpper.ToString() },
                ["parameter"] = new JsonObject { ["lower"] = row.ParameterLower.ToString(), ["upper"] = row.ParameterUpper.ToString() },
                ["argument"] = row.Example.Argument,
            });
        JsonOutput.Write(jsonPath, new JsonObject { ["reconstruction"] = true, ["examples"] = arr });
        return 0;
    }

}
