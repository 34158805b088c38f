using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Verify.Checker;

/// <summary>
/// Top-1 certificates of `equiv --top1 --execution F` ("pairTopOneExecution"). The certificate itself is the first
/// network's `certify --top1 --execution F` certificate and "second" embeds the second network's. Each, checked in full
/// (its widening re-derived by <see cref="ExactWidening"/>, its nodes, margins and overflow), proves y′_c − y′_j ≥ its
/// claimed margin for every network θ″ of its widened box at every x of the box — and every F-evaluation of the network
/// (any order, FMA or not) is the exact evaluation of such a θ″, δ = 0 being admissible in every model. So when both
/// parts are about the same box and format and claim the same class c with every margin &gt; 0, every F-evaluation of
/// either network has c as its unique top class on the whole box: the networks agree. Both proving different classes:
/// they disagree at every point. The second part is checked against its recorded file or --net2 (SHA-256), the first
/// against the certificate's network or --net, and the report names both.
/// </summary>
internal static class PairTopOneExecutionCheck
{
    private const string Where = "pairTopOneExecution";

    public static CheckReport Check(string path, CertificateInput cert, JsonObject record, CheckReport first,
                                    string? secondOverride, string? cvc5, TimeSpan? smtLimit)
    {
        if (!IsTopOneExecutionPart(cert))
            return CheckReport.Invalid($"\"{Where}\" belongs to a bounded certify --top1 --execution certificate of one network");
        string format = record["format"] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new Errors.BadInputException(path, $"certificate: {Where}.format must be a format name");
        string covered = Covered(cert);
        if (covered != format) return CheckReport.Invalid($"the first network's part covers {covered} evaluations, {Where} claims {format}");
        if (!first.Valid) return first with { Message = "first network: " + first.Message };
        string where = Where + ".second";
        if (record["second"] is not JsonObject o) return CheckReport.Invalid($"{where}: the second network's top-1 execution part is missing", first.Leaves);
        var part = CertificateReader.Read($"{path}: {where}", Encoding.UTF8.GetBytes(o.ToJsonString()));
        if (!IsTopOneExecutionPart(part) || part.PairTopOneExecution is not null)
            return CheckReport.Invalid($"{where} must be a bounded certify --top1 --execution certificate of one network", first.Leaves);
        if (Covered(part) != format) return CheckReport.Invalid($"{where} covers {Covered(part)} evaluations, the pair claims {format}", first.Leaves);
        if (!part.BoxLower.SequenceEqual(cert.BoxLower) || !part.BoxUpper.SequenceEqual(cert.BoxUpper))
            return CheckReport.Invalid($"{where}: its box is not the first network's box", first.Leaves);
        var second = CertificateChecker.Check($"{path}: {where}", part, secondOverride, null, cvc5, smtLimit);
        if (!second.Valid) return CheckReport.Invalid($"{where}: {second.Message}", first.Leaves);
        int c1 = cert.TopOne!.Class, c2 = part.TopOne!.Class;
        double w1 = Worst(cert.TopOne), w2 = Worst(part.TopOne);
        var inv = CultureInfo.InvariantCulture;
        string secondFile = $"{secondOverride ?? part.NetworkPath} (SHA-256 {part.NetworkSha256})";
        var report = first with
        {
            Message = first.Message + string.Create(inv, $"; second network {secondFile}: {second.Message}"),
            Leaves = first.Leaves + second.Leaves,
            Undecided = first.Undecided ?? second.Undecided,
        };
        string verdict = !(w1 > 0 && w2 > 0)
            ? string.Create(inv, $"the margin bounds hold, but they do not prove top-1 agreement as executed in {format} (worst margins {w1:G6}, {w2:G6})")
            : c1 == c2
                ? string.Create(inv, $"the networks agree on the top class on the whole box as executed in {format}: class {c1} is the unique top class of every {format} evaluation of both (any summation order, FMA or not; every margin ≥ {Math.Min(w1, w2):G6})")
                : string.Create(inv, $"the networks disagree on the top class at every point of the box as executed in {format}: every {format} evaluation of the first has class {c1}, of the second class {c2}");
        return report with { Message = report.Message + "; " + verdict };
    }

    /// <summary>A bounded top-1 certificate of one network under `--execution` (no pair, witness or alignment).</summary>
    private static bool IsTopOneExecutionPart(CertificateInput c) =>
        !EquivalenceCheck.IsNetworkKind(c.Perturbation) && c.PairExecution is null && c.TopOne?.Margin is not null
        && c.Witness is null && c.Symmetry is null && c.Perturbation["execution"] is not null;

    private static string Covered(CertificateInput c) =>
        c.Perturbation["execution"] is JsonValue v && v.TryGetValue<string>(out var f) ? f : "no floating-point";

    private static double Worst(TopOneInput top) =>
        top.Margin!.Where((_, j) => j != top.Class).DefaultIfEmpty(double.PositiveInfinity).Min();
}
