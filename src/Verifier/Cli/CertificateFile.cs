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
                : string.Format(CultureInfo.InvariantCulture, "witness for output {0}", w.Output)
            : cert.TopOne is { Margin: { } m } top
                ? string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed worst margin of class {1} = {2:G6}",
                    cert.Nodes.Count, top.Class, m.Where((_, j) => j != top.Class).Min())
            : string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed sup U = {1:G6} (engine: {2:G6})",
                cert.Nodes.Count, cert.Upper!.Max(), cert.EngineUpper!.Max());
        Console.WriteLine($"certificate: {path} ({what}); check with: verify check {path}");
    }
}
