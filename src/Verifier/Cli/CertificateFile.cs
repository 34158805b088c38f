using System.Globalization;
using Verify.Certificates;

namespace Verify.Cli;

/// <summary>--certificate: writes the certificate (files are written at the edge) and says what it claims.</summary>
public static class CertificateFile
{
    public static void Write(Certificate cert, string path)
    {
        JsonOutput.Write(path, CertificateJson.ToJson(cert));
        string what = cert.Witness is { } w
            ? string.Format(CultureInfo.InvariantCulture, "witness for output {0}", w.Output)
            : string.Format(CultureInfo.InvariantCulture, "{0} nodes of the split tree, claimed sup U = {1:G6} (engine: {2:G6})",
                cert.Nodes.Count, cert.Upper!.Max(), cert.EngineUpper!.Max());
        Console.WriteLine($"certificate: {path} ({what}); check with: verify check {path}");
    }
}
