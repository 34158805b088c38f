using System.Text.Json.Nodes;

namespace Verify.Tests.Examples;

/// <summary>
/// Runs every regression instance under examples/regression/*.json through the real command line and checks the
/// verdict and exit code the instance file states. Adding an instance is adding a file.
/// </summary>
[NonParallelizable]
public class RegressionInstanceTests
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Verify.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Verify.sln) not found above the test assembly");
    }

    public static IEnumerable<TestCaseData> Instances()
    {
        var folder = Path.Combine(RepositoryRoot(), "examples", "regression");
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            yield return new TestCaseData(Path.GetFileName(file)).SetName("Regression_" + Path.GetFileNameWithoutExtension(file));
    }

    [TestCaseSource(nameof(Instances))]
    public void InstanceGivesItsExpectedVerdict(string fileName)
    {
        string root = RepositoryRoot();
        var instance = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "examples", "regression", fileName)))!.AsObject();
        var args = instance["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        int expectedExit = instance["expectExit"]!.GetValue<int>();
        string? expectedVerdict = instance["expectVerdict"]?.GetValue<string>();
        var json = Path.Combine(Path.GetTempPath(), $"regression-{Guid.NewGuid():N}.json");
        args.Add("--json"); args.Add(json);

        var oldDir = Environment.CurrentDirectory;
        var oldOut = Console.Out; var oldErr = Console.Error;
        var err = new StringWriter();
        Console.SetOut(TextWriter.Null); Console.SetError(err);
        int code;
        try
        {
            Environment.CurrentDirectory = root;
            code = Verify.Program.Main(args.ToArray());
        }
        finally
        {
            Environment.CurrentDirectory = oldDir;
            Console.SetOut(oldOut); Console.SetError(oldErr);
        }
        Assert.That(code, Is.EqualTo(expectedExit), $"{fileName}: stderr: {err}");
        if (expectedVerdict is not null)
        {
            var result = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.That(result["verdict"]!.GetValue<string>(), Is.EqualTo(expectedVerdict), fileName);
        }
        if (File.Exists(json)) File.Delete(json);
    }
}
