using System.Text;
using Verify.Errors;
using Verify.Io;
using Verify.Specs;
using Verify.Suites;

namespace Verify.Tests.Hardening;

/// <summary>
/// Every input the fuzzers (fuzz/run.sh, TESTING.md) found crashing a reader is kept under Data/fuzz/READER/; each
/// must now either parse or be rejected with the project's own error (a <see cref="VerifyException"/>, which the CLI
/// prints as one line with exit 64/65). Any other exception is an internal error (exit 70) and fails the test.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly Dictionary<string, Action<string>> Readers = new()
    {
        ["json"] = path => NetworkFiles.Read(path, "json"),
        ["nnet"] = path => NetworkFiles.Read(path, "nnet"),
        ["onnx"] = path => NetworkFiles.Read(path, "onnx"),
        ["vnnlib"] = path => VnnLibReader.ReadFile(path),
        ["box"] = path => { InputBoxSource.FromJsonFile(path, 2); },
        ["suite"] = path => SuiteParser.Parse(File.ReadAllText(path, Encoding.UTF8), path),
    };

    public static IEnumerable<TestCaseData> Inputs()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "Data", "fuzz");
        foreach (var reader in Readers.Keys)
        {
            string dir = Path.Combine(root, reader);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(".md")).Order(StringComparer.Ordinal))
                yield return new TestCaseData(reader, file).SetName($"{reader}/{Path.GetFileName(file)}");
        }
    }

    [TestCaseSource(nameof(Inputs))]
    public void ParsesOrRejectsWithTheProjectsError(string reader, string file)
    {
        try { Readers[reader](file); }
        catch (VerifyException) { }
        catch (Exception e) { Assert.Fail($"{reader} reader threw {e.GetType().Name}: {e.Message}"); }
    }
}
