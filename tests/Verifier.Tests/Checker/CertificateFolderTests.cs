using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// The shared frame of the certificate tests: a fresh temp folder per test (certificates, tampered copies and copied
/// networks live there, so tampering touches nothing else), reading and saving certificate JSON, and `verify check`.
/// </summary>
public abstract class CertificateFolderTests
{
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(Dir = Path.Combine(Path.GetTempPath(), $"cert-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Dir, recursive: true);

    protected static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    protected string Save(JsonObject o)
    {
        string path = Path.Combine(Dir, $"tampered-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, o.ToJsonString());
        return path;
    }

    protected static (int Code, string Out) Check(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["check", .. args]);
        return (code, stdout + stderr);
    }
}
