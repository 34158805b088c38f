using System.CommandLine;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;

namespace Verify.Cli;

/// <summary>
/// `verify inverse-stability`: degenerate-parametrisation examples and the shallow inverse-stability conditions here;
/// `fiber` and `search` in their own files (InverseStabilityFiberCommand, InverseStabilitySearchCommand).
/// </summary>
public sealed class InverseStabilityVerb : IVerb
{
    public Command Build()
    {
        var cmd = new Command("inverse-stability",
            "Inverse stability of the ReLU realization map (Berner, Elbrächter, Grohs, NeurIPS 2019): example families and conditions.");
        cmd.Subcommands.Add(Examples());
        cmd.Subcommands.Add(Conditions());
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

    private static Command Conditions()
    {
        var net = CommonOptions.Net("--net", "Γ: bias-free one-hidden-layer ReLU network");
        var net2 = new Option<string?>("--net2") { Description = "Θ: second network, checked for opposite directions against Γ" };
        var format = CommonOptions.Format();
        var json = CommonOptions.Json();
        var cmd = new Command("conditions",
            "Check C.1 balancedness (‖a_i‖₂ = ‖c_i‖₂, exact), C.2 no redundant (positively parallel) directions, C.3 no opposite " +
            "directions (within Γ and between Γ and Θ) and membership in N*. Exit 0 when all hold, 2 otherwise.")
        { net, net2, format, json };
        cmd.SetAction(p => VerbRunner.Run(() => RunConditions(p.GetValue(net)!, p.GetValue(net2), p.GetValue(format), p.GetValue(json))));
        return cmd;
    }

    private static int RunConditions(string path, string? path2, string? format, string? jsonPath)
    {
        var gamma = NetworkFiles.Read(path, format);
        var theta = path2 is null ? null : NetworkFiles.Read(path2, format);
        ConditionsReport rep;
        try { rep = ShallowConditions.Check(gamma, theta); }
        catch (BadInputException e) when (e.File is null) { throw new BadInputException(path, e.Problem); }
        Console.WriteLine($"C.1 balanced:               {Yes(rep.Balanced)}  (β = max_i |‖a_i‖ − ‖c_i‖| ≈ {rep.Beta:R})");
        Console.WriteLine($"C.2 no redundant direction: {Yes(rep.NoRedundant)}");
        Console.WriteLine($"C.3 no opposite (within Γ): {Yes(rep.NoOpposite)}");
        if (theta is not null) Console.WriteLine($"C.3 no opposite (Γ vs Θ):   {Yes(rep.NoOppositeAcross)}");
        Console.WriteLine($"N*:                         {Yes(rep.InNStar)}");
        foreach (var v in rep.Violations) Console.WriteLine($"  violation {v.Condition}: {v.Detail}");
        var arr = new JsonArray();
        foreach (var v in rep.Violations) arr.Add(new JsonObject { ["condition"] = v.Condition, ["detail"] = v.Detail });
        JsonOutput.Write(jsonPath, new JsonObject
        {
            ["balanced"] = rep.Balanced, ["beta"] = rep.Beta, ["noRedundant"] = rep.NoRedundant, ["noOpposite"] = rep.NoOpposite,
            ["noOppositeAcross"] = theta is null ? null : rep.NoOppositeAcross, ["inNStar"] = rep.InNStar, ["violations"] = arr,
        });
        return rep.AllHold ? 0 : (int)ExitCode.Unknown;
    }

    private static string Yes(bool b) => b ? "yes" : "NO";
}
