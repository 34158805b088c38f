using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Io;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Equivalence certificates (`equiv --certificate`, perturbation kind "network"): f_B = f(·; θ_A + δ) with
/// δ = θ_B − θ_A, so the admissible set is that one δ, computed here exactly from B's file. B must be the file that was
/// certified (SHA-256) and of A's architecture; then the nodes and a witness are checked as for any certificate, and
/// the report says whether the claimed bounds prove the recorded ε.
/// </summary>
internal static class EquivalenceCheck
{
    public static bool IsNetworkKind(JsonObject perturbation) =>
        perturbation["kind"] is JsonValue v && v.TryGetValue<string>(out var kind) && kind == "network";

    /// <summary>Pairs of different architectures: the certificate is about the merged pair (<see cref="MergedNetworks"/>).</summary>
    public static bool IsMerged(JsonObject perturbation) =>
        perturbation["merged"] is JsonValue v && v.TryGetValue<bool>(out var merged) && merged;

    /// <summary>The network the certificate's nodes are about (the first, or for a merged pair the checker's own merged
    /// first) and the exact parameter difference to the second (or to the merged second), or why the certificate is invalid.</summary>
    /// <param name="overridePath">another copy of the second network (`check --net2`) instead of the recorded path.</param>
    public static (Network? Base, ExactParameters? Delta, string? Invalid) Difference(string certificatePath, JsonObject model, Network first, string? overridePath)
    {
        bool merged = IsMerged(model);
        var (second, invalid) = SecondNetwork(certificatePath, model, first, overridePath, sameArchitecture: !merged);
        if (second is null) return (null, null, invalid);
        if (!merged) return (first, ExactParameters.Difference(model, first, second), null);
        if (MergedNetworks.Build(first, second, out var why) is not { } pair) return (null, null, "the pair is recorded as merged, but " + why);
        return (pair.First, ExactParameters.Difference(model, pair.First, pair.Second), null);
    }

    /// <summary>The second network, read from the recorded (or overriding) path and checked against the recorded SHA-256
    /// and the first network's architecture; or why the certificate is invalid.</summary>
    /// <param name="sameArchitecture">false for a merged pair, whose two files differ in architecture.</param>
    public static (Network? Second, string? Invalid) SecondNetwork(string certificatePath, JsonObject model, Network first, string? overridePath,
                                                                   bool sameArchitecture = true)
    {
        string Str(string key) => model[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new BadInputException(certificatePath, $"certificate: perturbation: \"{key}\" must be a string");
        string recorded = Str("sha256");
        string path = overridePath ?? Str("path");
        var (second, _, bytes) = NetworkFiles.ReadWithFormat(path);
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!sha.Equals(recorded, StringComparison.OrdinalIgnoreCase))
            return (null, $"second network file changed: {path} has SHA-256 {sha}, the certificate was made for {recorded}");
        if (!sameArchitecture) return (second, null);
        if (second.Depth != first.Depth) return (null, $"the second network has {second.Depth} layers, the first {first.Depth}");
        for (int k = 0; k < first.Depth; k++)
        {
            var a = first.Layers[k]; var b = second.Layers[k];
            if (a.Inputs != b.Inputs || a.Outputs != b.Outputs || a.Activation != b.Activation)
                return (null, $"layer {k + 1} of the second network differs in shape or activation from the first's");
        }
        return (second, null);
    }

    /// <summary>A valid bounded report proves ε when every claimed bound is at most ε; a valid witness refutes it.</summary>
    public static CheckReport Verdict(CheckReport report, double eps)
    {
        if (!report.Valid) return report;
        string verdict = report.ClaimedUpper is not { } claimed
            ? string.Create(CultureInfo.InvariantCulture, $"the networks differ by more than ε = {eps:R}")
            : claimed.All(u => u <= eps)
                ? string.Create(CultureInfo.InvariantCulture, $"the networks are equivalent within ε = {eps:R} on the whole box (sup ‖f2 − f1‖∞ ≤ {claimed.Max():G6})")
                : string.Create(CultureInfo.InvariantCulture, $"valid, but the bounds do not prove ε = {eps:R} (claimed sup U = {claimed.Max():G6})");
        return report with { Message = report.Message + "; " + verdict };
    }
}
