using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Io;
using Verify.Results;
using Verify.Symmetry;

namespace Verify.Cli;

/// <summary>`verify distance`: ℓ∞ parameter distance between two networks modulo neuron permutations (and rescalings).</summary>
public sealed class DistanceVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net("--net", "reference network A");
        var net2 = CommonOptions.Net("--net2", "second network B (the one whose symmetry orbit is searched)");
        var format = CommonOptions.Format();
        var modulo = new Option<string>("--modulo")
        {
            Description = "symmetries to quotient out: none, perm (permutations of hidden neurons) or perm+scale (and positive rescalings)",
            DefaultValueFactory = _ => "perm+scale",
        };
        modulo.AcceptOnlyFromAmong("none", "perm", "perm+scale");
        var exact = new Option<bool>("--exact") { Description = "deep networks: branch and bound even beyond 8 neurons per layer (may stop at the time limit with an upper bound)" };
        var heuristic = new Option<bool>("--heuristic") { Description = "use the layer-by-layer Hungarian alignment (an upper bound) even where an exact method exists" };
        var matcherOpt = new Option<string>("--matcher") { Description = "bipartite matching for the bottleneck assignment: hk (Hopcroft–Karp) or quikgraph", DefaultValueFactory = _ => "hk" };
        matcherOpt.AcceptOnlyFromAmong("hk", "quikgraph");
        var alignedOut = new Option<string?>("--aligned-out") { Description = "write the aligned copy Φ of B (the symmetry image attaining the distance)" };
        var timeout = CommonOptions.Timeout();
        var json = CommonOptions.Json();
        var cmd = new Command("distance",
            "ℓ∞ parameter distance between two networks modulo permutation and scaling symmetries.\n" +
            "ℓ∞ parameter distance min over the symmetry orbit of B of ‖A − Φ‖∞. One hidden layer: exact (bottleneck assignment). " +
            "Deeper: exact branch and bound up to 8 neurons per hidden layer, otherwise a layer-by-layer alignment heuristic (upper bound).")
        { net, net2, format, modulo, exact, heuristic, matcherOpt, alignedOut, timeout, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(net2)!, p.GetValue(format), p.GetValue(modulo)!,
            p.GetValue(exact), p.GetValue(heuristic), p.GetValue(matcherOpt)!, p.GetValue(alignedOut), p.GetValue(timeout), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string pathA, string pathB, string? formatName, string moduloText, bool exact, bool heuristic, string matcherName,
                               string? alignedOut, double? timeoutSeconds, string? jsonPath)
    {
        if (exact && heuristic) throw new UsageException("--exact and --heuristic exclude each other");
        var limit = CommonOptions.ToTimeSpan(timeoutSeconds);
        var a = NetworkFiles.Read(pathA, formatName);
        var b = NetworkFiles.Read(pathB, formatName);
        var modulo = moduloText switch { "none" => DistanceModulo.None, "perm" => DistanceModulo.Perm, _ => DistanceModulo.PermScale };
        var method = exact ? DistanceMethod.Exact : heuristic ? DistanceMethod.Heuristic : DistanceMethod.Auto;
        IBipartiteMatcher matcher = matcherName == "quikgraph" ? new QuikGraphMatcher() : new HopcroftKarpMatcher();
        DistanceResult r;
        try
        {
            using var cts = limit is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
            r = ParameterDistance.Compute(a, b, modulo, method, matcher, limit, cts.Token);
        }
        catch (BadInputException e) when (e.File is null)
        {
            throw new BadInputException(pathB, e.Problem + $" ({pathA} vs {pathB})");
        }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"distance: {r.Distance.ToString("R", inv)}  ({(r.Exact ? "exact" : "upper bound")})");
        Console.WriteLine($"modulo:   {moduloText}");
        Console.WriteLine($"method:   {r.Method}");
        if (r.Note is not null) Console.WriteLine($"note:     {r.Note}");
        if (alignedOut is not null)
        {
            NetworkFiles.Write(r.Aligned, alignedOut);
            Console.WriteLine($"aligned copy of {pathB} written to {alignedOut}");
        }
        JsonOutput.Write(jsonPath, r.ToJson(moduloText, a.Widths, alignedOut));
        return 0;
    }
}
