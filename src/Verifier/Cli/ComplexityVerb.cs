using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Io;
using Verify.Symmetry;

namespace Verify.Cli;

/// <summary>`verify complexity`: size measures and a covering-number bound, with and without the permutation discount.</summary>
public sealed class ComplexityVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var radius = new Option<double>("--input-radius") { Description = "R: inputs range over the ∞-norm ball of radius R", Required = true };
        var eps = new Option<double>("--eps") { Description = "ε of the covering number N(F, ε, ‖·‖∞)", DefaultValueFactory = _ => 0.01 };
        var json = CommonOptions.Json();
        var cmd = new Command("complexity",
            "Size measures and a covering-number bound, with and without the permutation discount.\n" +
            "Parameter count S, hidden neurons U, depth L, widths, distinct neurons per layer (same incoming weights and bias up to a positive factor), " +
            "and the covering-number bound log N(F, ε, ‖·‖∞) ≤ S·log(4(L+1)(R+1)(2B)^(L+2)·∏ρ_j·∏d_j/ε) for networks of this architecture with " +
            "|θ| ≤ B = max|θ| on inputs of ∞-norm ≤ R, printed with and without the discount Σ_l log(d_l!) for permutations of hidden neurons. " +
            "Source: covering-number bound for ReLU networks with bounded parameters (cf. Berner, Grohs, Jentzen 2020, \"Analysis of the " +
            "generalization error: empirical risk minimization over deep artificial neural networks overcomes the curse of dimensionality " +
            "in the numerical approximation of Black–Scholes PDEs\", SIAM J. Math. Data Sci., Prop. 2.8); see docs/symmetry.md for the exact form used.")
        { net, format, radius, eps, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(radius), p.GetValue(eps), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, double radius, double eps, string? jsonPath)
    {
        if (!(radius >= 0) || !double.IsFinite(radius)) throw new UsageException("--input-radius must be a finite number ≥ 0");
        if (!(eps > 0) || !double.IsFinite(eps)) throw new UsageException("--eps must be a finite number > 0");
        var network = NetworkFiles.Read(path, formatName);
        var r = ComplexityAnalysis.Compute(network, radius, eps);
        var inv = CultureInfo.InvariantCulture;
        double ln10 = Math.Log(10);
        Console.WriteLine($"parameters S:      {r.Parameters}");
        Console.WriteLine($"hidden neurons U:  {r.HiddenNeurons}");
        Console.WriteLine($"depth L:           {r.Depth} (affine layers)");
        Console.WriteLine($"widths:            {string.Join("-", r.Widths)} (max {r.MaxWidth})");
        Console.WriteLine($"distinct neurons:  {string.Join(", ", r.DistinctNeurons.Select((c, l) => $"layer {l + 1}: {c}/{r.Widths[l + 1]}"))}");
        Console.WriteLine(string.Format(inv, "B = max|θ|:        {0:G6}", r.MaxAbsParameter));
        Console.WriteLine(string.Format(inv, "log N(F, ε={0:G4}, ‖·‖∞) ≤ {1:G8} (log10: {2:G8})", eps, r.LogCovering, r.LogCovering / ln10));
        Console.WriteLine(string.Format(inv, "permutation discount Σ log(d_l!) = {0:G8} (log10: {1:G8})", r.PermutationDiscount, r.PermutationDiscount / ln10));
        Console.WriteLine(string.Format(inv, "modulo permutations: ≤ {0:G8} (log10: {1:G8})", r.LogCoveringModuloPermutation, r.LogCoveringModuloPermutation / ln10));
        JsonOutput.Write(jsonPath, r.ToJson());
        return 0;
    }
}
