using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Checker;

/// <summary>
/// Equivalence certificates of `equiv --eps E --execution F` ("pairExecution"). For any F-evaluations f1′, f2′ of the two
/// networks, |f2′ − f1′| ≤ |f2 − f1| + |f1′ − f1| + |f2′ − f2| (triangle inequality). The certificate's own tree bounds
/// the first term (checked as any equivalence certificate); "first" and "second" are certify `--execution F`
/// certificates of each network, each bounding |E − f_i| over the F-evaluations E of every admissible θ′ — and δ = 0 is
/// admissible in every perturbation model, so that covers f_i′. Each part is checked here in full (its widening
/// re-derived by <see cref="ExactWidening"/>) and must be about the pair's network file (SHA-256), cover F and
/// contain the pair's box. Bounded: the claimed `upper` must be at least the exact per-output sum of the three claims,
/// and it proves ε when every entry is ≤ ε. Falsified: the threshold the witness exceeds must be at least
/// ε + m1_j + m2_j exactly, so |f2′_j − f1′_j| ≥ |f2_j − f1_j| − m1_j − m2_j > ε at x for every F-evaluation.
/// </summary>
internal static class PairExecutionCheck
{
    public static CheckReport Check(string path, CertificateInput cert, JsonObject execution, CheckReport pair,
                                    string? networkOverride, string? secondOverride, string? cvc5, TimeSpan? smtLimit)
    {
        if (!EquivalenceCheck.IsNetworkKind(cert.Perturbation) || cert.Eps is not { } eps || cert.TopOne is not null)
            return CheckReport.Invalid("\"pairExecution\" belongs to ε certificates of two networks (perturbation kind \"network\", \"eps\", no top1)");
        if (!pair.Valid) return pair;
        string format = execution["format"] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new Errors.BadInputException(path, "certificate: pairExecution.format must be a format name");
        string secondSha = cert.Perturbation["sha256"]?.GetValue<string>() ?? "";
        var (first, firstReport, whyFirst) = Part(path, execution, "first", format, cert, cert.NetworkSha256, networkOverride, cvc5, smtLimit);
        if (whyFirst is not null) return CheckReport.Invalid(whyFirst, pair.Leaves);
        var (second, secondReport, whySecond) = Part(path, execution, "second", format, cert, secondSha, secondOverride, cvc5, smtLimit);
        if (whySecond is not null) return CheckReport.Invalid(whySecond, pair.Leaves);
        double[] m1 = first!, m2 = second!;
        var inv = CultureInfo.InvariantCulture;
        string parts = string.Create(inv,
            $"; {format} margins checked: first network ≤ {m1.Max():G6} ({firstReport!.Leaves} nodes), second ≤ {m2.Max():G6} ({secondReport!.Leaves} nodes)");
        var report = pair with { Message = pair.Message + parts, Undecided = pair.Undecided ?? firstReport.Undecided ?? secondReport.Undecided };
        var e = Rational.FromDouble(eps);
        if (cert.Witness is { } w)
        {
            if (cert.Threshold is not { } t || Rational.FromDouble(t) < e + Rational.FromDouble(m1[w.Output]) + Rational.FromDouble(m2[w.Output]))
                return CheckReport.Invalid(string.Create(inv,
                    $"pairExecution: the witness's threshold {cert.Threshold:R} is below ε + both margins of output {w.Output} ({eps:R} + {m1[w.Output]:R} + {m2[w.Output]:R})"));
            return report with { Message = report.Message + string.Create(inv,
                $"; every pair of {format} evaluations of the networks differs by more than ε = {eps:R} at the witness (its exact deviation exceeds ε plus both margins)") };
        }
        var claimed = pair.ClaimedUpper!;
        int m = claimed.Length;
        if (execution["upper"] is not JsonArray totalArray || totalArray.Count != m
            || totalArray.Any(x => x is not JsonValue xv || !xv.TryGetValue<double>(out var d) || !double.IsFinite(d)))
            throw new Errors.BadInputException(path, $"certificate: pairExecution.upper must list {m} finite numbers");
        var total = totalArray.Select(x => x!.GetValue<double>()).ToArray();
        for (int j = 0; j < m; j++)
        {
            var sum = Rational.FromDouble(claimed[j]) + Rational.FromDouble(m1[j]) + Rational.FromDouble(m2[j]);
            if (Rational.FromDouble(total[j]) < sum)
                return CheckReport.Invalid(string.Create(inv,
                    $"pairExecution.upper[{j}] = {total[j]:R} is below the sum of the three parts ({claimed[j]:R} + {m1[j]:R} + {m2[j]:R})"), pair.Leaves);
        }
        string verdict = total.All(u => Rational.FromDouble(u) <= e)
            ? string.Create(inv, $"the networks are equivalent within ε = {eps:R} on the whole box as executed in {format} (any summation order, FMA or not: sup ‖f2′ − f1′‖∞ ≤ {total.Max():G6})")
            : string.Create(inv, $"valid, but the bounds do not prove ε = {eps:R} as executed in {format} (claimed sup ‖f2′ − f1′‖∞ ≤ {total.Max():G6})");
        return report with { Message = report.Message + "; " + verdict };
    }

    /// <summary>One margin part, checked in full: its claimed bound per output, its report, or why it does not count.</summary>
    private static (double[]? Margin, CheckReport? Report, string? Invalid) Part(string path, JsonObject execution, string name, string format,
        CertificateInput pair, string sha, string? networkOverride, string? cvc5, TimeSpan? smtLimit)
    {
        string where = "pairExecution." + name;
        if (execution[name] is not JsonObject o) return (null, null, $"{where}: the {name} network's floating-point margin part is missing");
        var part = CertificateReader.Read($"{path}: {where}", Encoding.UTF8.GetBytes(o.ToJsonString()));
        if (EquivalenceCheck.IsNetworkKind(part.Perturbation) || part.PairExecution is not null || part.TopOne is not null
            || part.Witness is not null || part.Symmetry is not null)
            return (null, null, $"{where} must be a bounded certify certificate of one network");
        string covered = part.Perturbation["execution"] is JsonValue v && v.TryGetValue<string>(out var f) ? f : "no floating-point";
        if (covered != format) return (null, null, $"{where} covers {covered} evaluations, the pair claims {format}");
        if (!part.NetworkSha256.Equals(sha, StringComparison.OrdinalIgnoreCase))
            return (null, null, $"{where} is a certificate of another network (SHA-256 {part.NetworkSha256}), not of the pair's {name} ({sha})");
        if (part.BoxLower.Length != pair.BoxLower.Length
            || Enumerable.Range(0, pair.BoxLower.Length).Any(i => part.BoxLower[i] > pair.BoxLower[i] || part.BoxUpper[i] < pair.BoxUpper[i]))
            return (null, null, $"{where}: its box does not contain the pair's box");
        var report = CertificateChecker.Check($"{path}: {where}", part, networkOverride, null, cvc5, smtLimit);
        if (!report.Valid) return (null, null, $"{where}: {report.Message}");
        if (report.ClaimedUpper is not { } margin) return (null, null, $"{where}: it claims no bound per output");
        return (margin, report, null);
    }
}
