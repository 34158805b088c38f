using System.Globalization;
using Verify.Certificates;
using Verify.Errors;

namespace Verify.Cli;

/// <summary>--certificate: writes the certificate (files are written at the edge) and says what it claims.</summary>
public static class CertificateFile
{
    public static void Write(Certificate cert, string path)
    {
        // Compact: a certificate holds tens of numbers per neuron and node, and is read by a program.
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(path, CertificateJson.ToJson(cert).ToJsonString() + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write the certificate: " + e.Message);
        }
        string what = cert.Witness is { } w
            ? cert.TopOne is { } flip
                ? cert.SecondNetwork is { } other
                    ? string.Format(CultureInfo.InvariantCulture, "disagreement: top class {0} of the first network, {1} of {2}", flip.Class, w.Output, other.Path)
                    : string.Format(CultureInfo.InvariantCulture, "flip of class {0} to {1}", flip.Class, w.Output)
                : cert.SecondNetwork is { } differs
                ? string.Format(CultureInfo.InvariantCulture, "witness: output {0} of {1} differs by more than ε = {2:R}", w.Output, differs.Path, cert.Eps)
                : string.Format(CultureInfo.InvariantCulture, "witness for output {0}", w.Output)
            : cert.SecondNetwork is { } b
                ? cert.Symmetry is not null ? $"{b.Path} is an exact permuted/rescaled copy: the alignment is recorded, claimed sup ‖f2 − f1‖∞ = 0{(cert.TopOne is null ? "" : ", so the top classes agree everywhere")}"
                : cert.TopOne is { } agree ? TopOneAgreement(cert, agree, b) : Equivalence(cert, b)
            : cert.TopOne is { Margin: { } m } top
                ? string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed worst margin of class {1} = {2:G6}",
                    cert.Nodes.Count, top.Class, m.Where((_, j) => j != top.Class).Min())
            : cert.Analytic is not null
                ? string.Format(CultureInfo.InvariantCulture, "the analytic recursion, which the checker recomputes, claimed sup U = {0:G6} (engine: {1:G6})",
                    cert.Upper!.Max(), cert.EngineUpper!.Max())
            : string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree{3}, claimed sup U = {1:G6} (engine: {2:G6})",
                cert.Nodes.Count, cert.Upper!.Max(), cert.EngineUpper!.Max(),
                cert.Smt.Count == 0 ? "" : $", {cert.Smt.Count} SMT-LIB2 queries for the outputs Z3 closed");
        Console.WriteLine($"certificate: {path} ({what}); check with: verify check {path}");
    }

    /// <summary>
    /// --smt2-out: one file per output Z3 closed (output_j.smt2, a self-contained decision query whose expected answer is
    /// unsat) and manifest.json listing output, claimed bound, file, SHA-256 and expected answer.
    /// </summary>
    public static void WriteSmt2(Certificate cert, string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var manifest = new System.Text.Json.Nodes.JsonArray();
            foreach (var q in cert.Smt)
            {
                string file = $"output_{q.Output}_node_{q.Node}.smt2";
                File.WriteAllText(Path.Combine(dir, file), q.Query);
                manifest.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["output"] = q.Output, ["node"] = q.Node, ["bound"] = q.Bound, ["file"] = file, ["sha256"] = q.Sha256, ["logic"] = q.Logic, ["expected"] = "unsat",
                });
            }
            var o = new System.Text.Json.Nodes.JsonObject { ["network"] = cert.NetworkPath, ["sha256"] = cert.NetworkSha256, ["queries"] = manifest };
            File.WriteAllText(Path.Combine(dir, "manifest.json"), o.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(dir, "cannot write the SMT-LIB2 queries: " + e.Message);
        }
        Console.WriteLine(cert.Smt.Count == 0
            ? $"smt2: no Z3 answer is used in the certified bound; {dir}/manifest.json lists none"
            : $"smt2: {cert.Smt.Count} decision queries (expected unsat) in {dir}, listed in {dir}/manifest.json");
    }

    /// <summary>A bounded top-1 equivalence certificate's claim, and whether its re-bounded margins still prove agreement.</summary>
    private static string TopOneAgreement(Certificate cert, TopOneClaim top, SecondNetworkRef b)
    {
        double worst = Enumerable.Range(0, top.Margin!.Length).Where(j => j != top.Class)
            .Select(j => Math.Min(top.Margin[j], top.NominalMargin![j])).DefaultIfEmpty(double.PositiveInfinity).Min();
        string proves = worst >= 0 ? "proves" : "does not prove";
        return string.Format(CultureInfo.InvariantCulture, "top-1 agreement with {0}: {1} nodes of the split tree, claimed worst margin of class {2} (both networks) = {3:G6}, which {4} agreement",
            b.Path, cert.Nodes.Count, top.Class, worst, proves);
    }

    /// <summary>A bounded equivalence certificate's claim, and whether its re-bounded leaves still prove ε.</summary>
    private static string Equivalence(Certificate cert, SecondNetworkRef b)
    {
        double claim = cert.Upper!.Max();
        if (cert.PairExecution is { Upper: { } total } pe)
            // equiv --execution: the real pair's tree plus both networks' margin certificates.
            return string.Format(CultureInfo.InvariantCulture,
                "equivalence with {0} as executed in {1}: {2} nodes for the real pair (≤ {3:G6}) and {4} + {5} for the two {1} margins, claimed sup ‖f2′ − f1′‖∞ ≤ {6:G6}, which {7} ε = {8:R}",
                b.Path, pe.Format, cert.Nodes.Count, claim, pe.First.Nodes.Count, pe.Second.Nodes.Count, total.Max(),
                total.Max() <= cert.Eps ? "proves" : "does not prove", cert.Eps);
        string proves = claim <= cert.Eps ? "proves" : "does not prove";
        return string.Format(CultureInfo.InvariantCulture, "equivalence with {0}{5}: {1} nodes of the split tree{6}, claimed sup ‖f2 − f1‖∞ ≤ {2:G6}, which {3} ε = {4:R}",
            b.Path, cert.Nodes.Count, claim, proves, cert.Eps, b.Merged ? " (different architectures: the merged pair)" : "",
            cert.Smt.Count == 0 ? "" : $", {cert.Smt.Count} SMT-LIB2 queries for the parts Z3 closed");
    }
}
