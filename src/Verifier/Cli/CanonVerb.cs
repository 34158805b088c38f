using System.CommandLine;
using System.Globalization;
using Verify.Errors;
using Verify.Io;
using Verify.Results;
using Verify.Symmetry;

namespace Verify.Cli;

/// <summary>`verify canon`: the canonical representative of a network modulo neuron permutations and positive rescalings.</summary>
public sealed class CanonVerb : IVerb
{
    public Command Build()
    {
        var net = CommonOptions.Net();
        var format = CommonOptions.Format();
        var output = new Option<string>("--out") { Description = "where to write the canonical network (format from the extension)", Required = true };
        var form = new Option<string>("--form")
        {
            Description = "scaling representative: balanced (incoming ∞-norm = outgoing ∞-norm) or unit-incoming (incoming ∞-norm = 1)",
            DefaultValueFactory = _ => "balanced",
        };
        form.AcceptOnlyFromAmong("balanced", "unit-incoming");
        var prune = new Option<bool>("--prune") { Description = "first remove neurons that provably contribute nothing (and fold constant neurons into the next bias)" };
        var lo = new Option<string?>("--lo") { Description = "with --prune: lower corner of an input box (one number or one per input); neurons dead on the box are removed too" };
        var hi = new Option<string?>("--hi") { Description = "with --prune: upper corner of the input box" };
        var exact = new Option<bool>("--exact-scaling") { Description = "rescale by powers of two only, so the function is preserved bit for bit" };
        var json = CommonOptions.Json();
        var cmd = new Command("canon",
            "Write a canonical representative of a network under neuron permutation and positive rescaling.\n" +
            "Write the canonical form of a network: each hidden neuron rescaled (balanced or unit-incoming), then each hidden layer sorted by " +
            "(bias descending, incoming weights ascending, outgoing weights ascending). Permuted and rescaled copies get the same form " +
            "(bit-identical with --exact-scaling and power-of-two rescalings).")
        { net, format, output, form, prune, lo, hi, exact, json };
        cmd.SetAction(p => VerbRunner.Run(() => Execute(p.GetValue(net)!, p.GetValue(format), p.GetValue(output)!, p.GetValue(form)!,
            p.GetValue(prune), p.GetValue(lo), p.GetValue(hi), p.GetValue(exact), p.GetValue(json))));
        return cmd;
    }

    private static int Execute(string path, string? formatName, string outPath, string form, bool prune, string? loText, string? hiText,
                               bool exactScaling, string? jsonPath)
    {
        var network = NetworkFiles.Read(path, formatName);
        if ((loText is not null || hiText is not null) && !prune) throw new UsageException("--lo/--hi only make sense with --prune");
        if ((loText is null) != (hiText is null)) throw new UsageException("--lo and --hi must be given together");
        double[]? lo = null, hi = null;
        if (loText is not null)
        {
            lo = Broadcast(CommonOptions.ParseList(loText, "--lo"), network.InputSize, "--lo");
            hi = Broadcast(CommonOptions.ParseList(hiText, "--hi"), network.InputSize, "--hi");
            for (int k = 0; k < lo.Length; k++)
                if (lo[k] > hi[k]) throw new UsageException($"--lo[{k}] = {lo[k].ToString("R", CultureInfo.InvariantCulture)} exceeds --hi[{k}]");
        }
        PruneResult? pr = null;
        if (prune)
        {
            pr = Pruner.Prune(network, lo, hi);
            network = pr.Network;
            foreach (var a in pr.Actions) Console.WriteLine($"{a.Action}: layer {a.Layer} neuron {a.Neuron}: {a.Reason}");
            if (pr.Actions.Count == 0) Console.WriteLine("prune: nothing to remove");
            if (pr.BoxDependent) Console.WriteLine("note: neurons dead on the box were removed: the result equals the input network on the box only");
        }
        var scaling = form == "unit-incoming" ? CanonicalScaling.UnitIncoming : CanonicalScaling.Balanced;
        var result = Canonicalizer.Canonicalize(network, new CanonOptions(scaling, exactScaling));
        NetworkFiles.Write(result.Network, outPath);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"canonical form ({form}{(exactScaling ? ", power-of-two scalings" : "")}) written to {outPath}");
        Console.WriteLine($"widths: {string.Join("-", result.Network.Widths)}");
        if (scaling == CanonicalScaling.Balanced)
            Console.WriteLine(string.Format(inv, "balancing: {0} sweep(s), worst in/out norm ratio {1:G6}", result.BalanceSweeps, result.MaxImbalance));
        if (result.NullNeurons > 0)
            Console.WriteLine($"note: {result.NullNeurons} neuron(s) have all-zero incoming weights and bias; their outgoing weights were set to 0 (same function)");
        foreach (var w in result.Warnings) Console.WriteLine("warning: " + w);
        JsonOutput.Write(jsonPath, result.ToJson(outPath, form, exactScaling, pr));
        return 0;
    }

    private static double[] Broadcast(double[] v, int n, string option)
    {
        if (v.Length == n) return v;
        if (v.Length == 1) return Enumerable.Repeat(v[0], n).ToArray();
        throw new UsageException($"{option} has {v.Length} values; give 1 or {n} (one per input)");
    }
}
