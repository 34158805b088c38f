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
                ? string.Format(CultureInfo.InvariantCulture, "flip of class {0} to {1}", flip.Class, w.Output)
                : cert.SecondNetwork is { } differs
                ? string.Format(CultureInfo.InvariantCulture, "witness: output {0} of {1} differs by more than ε = {2:R}", w.Output, differs.Path, cert.Eps)
                : string.Format(CultureInfo.InvariantCulture, "witness for output {0}", w.Output)
            : cert.SecondNetwork is { } b
                ? Equivalence(cert, b)
            : cert.TopOne is { Margin: { } m } top
                ? string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed worst margin of class {1} = {2:G6}",
                    cert.Nodes.Count, top.Class, m.Where((_, j) => j != top.Class).Min())
            : string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed sup U = {1:G6} (engine: {2:G6})",
                cert.Nodes.Count, cert.Upper!.Max(), cert.EngineUpper!.Max());
        Console.WriteLine($"certificate: {path} ({what}); check with: verify check {path}");
    }

    /// <summary>A bounded equivalence certificate's claim, and whether its re-bounded leaves still prove ε.</summary>
    private static string Equivalence(Certificate cert, SecondNetworkRef b)
    {
        double claim = cert.Upper!.Max();
        string proves = claim <= cert.Eps ? "proves" : "does not prove";
        return string.Format(CultureInfo.InvariantCulture, "equivalence with {0}: {1} nodes of the split tree, claimed sup ‖f2 − f1‖∞ ≤ {2:G6}, which {3} ε = {4:R}",
            b.Path, cert.Nodes.Count, claim, proves, cert.Eps);
    }
}
