using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Verify.Suites;

namespace Verify.Tests.Suites;

/// <summary>End to end through `verify suite run/merge`, with real child `verify` processes.</summary>
public class SuiteRunTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "suite-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static int Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null); Console.SetError(TextWriter.Null);
        try { return Verify.Program.Main(args); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    /// <summary>Fast queries: equiv of a network with itself (verified at once) and a linear certify falsified at a low threshold.</summary>
    private string WriteSuite(string extraQueries = "")
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"""
            defaults: {"{"}timeout: 30, method: linear{"}"}
            networks:
              - name: small
                path: {TestData.Path("net_2_16_16_1.json")}
              - name: big
                path: {TestData.Path("net_5_50x6_5.json")}
            boxes:
              - name: unit2
                lo: [-1]
                hi: [1]
              - name: unit5
                lo: [-1]
                hi: [1]
            queries:
              - name: same
                kind: equiv
                network: small
                network2: small
                box: unit2
                eps: [0, 0.1]
                expect: verified
              - name: low
                kind: certify
                network: small
                box: unit2
                eps: 0.001
                threshold: 0.005
                expect: falsified
            {extraQueries}
            """);
        return path;
    }

    private static JsonArray Results(string json) => (JsonArray)JsonNode.Parse(File.ReadAllText(json))!["results"]!;

    private static JsonNode Find(JsonArray results, string name) => results.Single(r => (string)r!["name"]! == name)!;

    [Test]
    public void SlowQueryTimesOutWhileTheOthersFinish()
    {
        string suite = WriteSuite("""
              - name: slow
                kind: certify
                network: big
                box: unit5
                eps: 0.01
                method: auto
                timeout: 1
                threshold: 1
                expect: verified
                args: [--timeout, "1000"]
            """);
        string json = Path.Combine(_dir, "r.json"), junit = Path.Combine(_dir, "r.xml"), md = Path.Combine(_dir, "r.md");
        var sw = Stopwatch.StartNew();
        int rc = Run("suite", "run", suite, "--jobs", "2", "--json", json, "--junit", junit, "--markdown", md);
        Assert.That(sw.Elapsed.TotalSeconds, Is.LessThan(20), "the slow query must be killed at its 1 s timeout");
        Assert.That(rc, Is.EqualTo(0), "timeout is not a mismatch by default");
        var results = Results(json);
        Assert.That(results, Has.Count.EqualTo(4));
        Assert.That((string)Find(results, "slow")["verdict"]!, Is.EqualTo("timeout"));
        Assert.That((string)Find(results, "slow")["outcome"]!, Is.EqualTo("unknown"));
        foreach (var name in new[] { "same/eps=0", "same/eps=0.1", "low" })
            Assert.That((string)Find(results, name)["outcome"]!, Is.EqualTo("pass"), name);
        Assert.That((double)Find(results, "low")["lower"]!, Is.GreaterThan(0.005));

        Assert.That(JUnitSchemaTests.Problems(File.ReadAllText(junit)), Is.Empty, "the JUnit file validates against the Ant JUnit schema");
        var doc = XDocument.Parse(File.ReadAllText(junit));
        var ts = doc.Root!;
        Assert.That(ts.Elements("testcase").Count(), Is.EqualTo(4));
        Assert.That((int)ts.Attribute("tests")!, Is.EqualTo(4));
        Assert.That((int)ts.Attribute("skipped")!, Is.EqualTo(1));
        Assert.That((int)ts.Attribute("failures")!, Is.EqualTo(0));
        Assert.That(File.ReadAllText(md), Does.Contain("| `slow` | certify | verified | timeout |"));

        Assert.That(Run("suite", "merge", json, "--fail-on", "unknown", "--junit", junit), Is.EqualTo(2));
        Assert.That((int)XDocument.Parse(File.ReadAllText(junit)).Root!.Attribute("failures")!, Is.EqualTo(1));
    }

    [Test]
    public void ContradictedExpectationExitsOne()
    {
        string suite = WriteSuite("""
              - name: wrong
                kind: certify
                network: small
                box: unit2
                eps: 0.001
                threshold: 0.001
                expect: verified
            """);
        string json = Path.Combine(_dir, "r.json"), junit = Path.Combine(_dir, "r.xml");
        Assert.That(Run("suite", "run", suite, "--filter", "wrong", "--json", json, "--junit", junit), Is.EqualTo(1));
        var r = Results(json).Single()!;
        Assert.That(((string)r["verdict"]!, (string)r["outcome"]!), Is.EqualTo(("falsified", "mismatch")));
        Assert.That(XDocument.Parse(File.ReadAllText(junit)).Descendants("failure").Count(), Is.EqualTo(1));
    }

    [Test]
    public void ResumeSkipsRecordedQueries()
    {
        string suite = WriteSuite();
        string json = Path.Combine(_dir, "r.json");
        var earlier = new SuiteReport(suite);
        earlier.Add(new QueryResult("same/eps=0", "equiv", "verified", "verified", 0, 0, 123.5, 0, Outcome.Pass, null));
        earlier.Save(json);
        Assert.That(Run("suite", "run", suite, "--json", json, "--resume"), Is.EqualTo(0));
        var results = Results(json);
        Assert.That(results.Select(r => (string)r!["name"]!).Order(), Is.EqualTo(new[] { "low", "same/eps=0", "same/eps=0.1" }));
        Assert.That((double)Find(results, "same/eps=0")["seconds"]!, Is.EqualTo(123.5), "a recorded query is not run again");
    }

    /// <summary>What a report says about each query, without the timings (and the verb's raw answer, which holds them too).</summary>
    private static List<string> Verdicts(string json) =>
        Results(json).Select(r => string.Join(" | ", new[] { "name", "kind", "expect", "verdict", "upper", "lower", "exitCode", "outcome", "message" }
            .Select(k => r![k]?.ToJsonString() ?? "null"))).Order(StringComparer.Ordinal).ToList();

    [Test]
    public void KilledRunResumesToTheSameReportAsAnUninterruptedOne()
    {
        string suite = WriteSuite();
        string whole = Path.Combine(_dir, "whole.json"), part = Path.Combine(_dir, "part.json");
        Assert.That(Run("suite", "run", suite, "--jobs", "1", "--json", whole), Is.EqualTo(0));

        // A real interruption: a child `verify suite run` is killed (with its verb processes) once one result is saved.
        var psi = VerifyLauncher.Locate().StartInfo(["suite", "run", suite, "--jobs", "1", "--json", part]);
        using (var child = Process.Start(psi)!)
        {
            child.StandardInput.Close();
            _ = child.StandardOutput.ReadToEndAsync();
            _ = child.StandardError.ReadToEndAsync();
            var sw = Stopwatch.StartNew();
            while (!child.HasExited && sw.Elapsed < TimeSpan.FromSeconds(30) && (!File.Exists(part) || Results(part).Count == 0)) Thread.Sleep(10);
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        int kept = Results(part).Count;
        if (kept == 3) Assert.Inconclusive("the run finished before it could be interrupted");
        Assert.That(kept, Is.GreaterThanOrEqualTo(1), "the report is saved after every finished query");

        Assert.That(Run("suite", "run", suite, "--jobs", "1", "--json", part, "--resume"), Is.EqualTo(0));
        Assert.That(Verdicts(part), Is.EqualTo(Verdicts(whole)));
    }

    [Test]
    public void ShardReportsMergeIntoTheWholeSuite()
    {
        string suite = WriteSuite();
        string a = Path.Combine(_dir, "part-1.json"), b = Path.Combine(_dir, "part-2.json"), all = Path.Combine(_dir, "all.json");
        Assert.That(Run("suite", "run", suite, "--shard", "1/2", "--json", a), Is.EqualTo(0));
        Assert.That(Run("suite", "run", suite, "--shard", "2/2", "--json", b), Is.EqualTo(0));
        Assert.That(Results(a).Select(r => (string)r!["name"]!), Is.EqualTo(new[] { "same/eps=0", "low" }).AsCollection.Or.EqualTo(new[] { "low", "same/eps=0" }));
        Assert.That(Run("suite", "merge", a, b, "--json", all), Is.EqualTo(0));
        Assert.That(Results(all).Select(r => (string)r!["name"]!).Order(), Is.EqualTo(new[] { "low", "same/eps=0", "same/eps=0.1" }));
        Assert.That(Run("suite", "merge", a, a, "--json", all), Is.EqualTo(65), "overlapping reports are bad input");
    }

    [Test]
    public void BadSuiteIsBadInput()
    {
        string path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, "networks: []\nqueries: []\nextra: 1\n");
        Assert.That(Run("suite", "run", path), Is.EqualTo(65));
    }
}
