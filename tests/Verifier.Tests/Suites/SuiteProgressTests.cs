using System.Text.RegularExpressions;
using Spectre.Console.Testing;
using Verify.Suites;

namespace Verify.Tests.Suites;

public class SuiteProgressTests
{
    private static QueryResult Result(string name, Outcome outcome, double? upper, double? lower) =>
        new(name, "certify", "verified", outcome == Outcome.Pass ? "verified" : "falsified", upper, lower, 6.84, 0, outcome, null);

    private static SuiteQuery Query(string name) =>
        new(0, name, "certify", "n.json", null, new SuiteBox("b", [0], [1]), 0.1, null, null, 1, "auto", 1, []);

    [Test]
    public void PlainLinesKeepTheirFormat()
    {
        var w = new StringWriter();
        var p = new PlainProgress(w);
        p.Started(Query("certify/net/eps=0.01"));
        p.Finished(Result("certify/net/eps=0.01", Outcome.Pass, 0.24852612, 0.2446), 3, 8);
        p.Finished(Result("timeout-one", Outcome.Unknown, null, null) with { Verdict = "timeout" }, 4, 8);
        Assert.That(w.ToString().ReplaceLineEndings("\n"), Is.EqualTo(
            "[3/8] pass     certify/net/eps=0.01: verified U=0.248526 L=0.2446 (6.8 s)\n" +
            "[4/8] unknown  timeout-one: timeout (6.8 s)\n"));
    }

    [Test]
    public void LiveTableShowsRunningAndFinishedQueries()
    {
        var live = new LiveProgress("s.yaml", 3, finishedRows: 1);
        live.Started(Query("a/first"));
        live.Started(Query("b/second"));
        live.Started(Query("c/third"));
        live.Finished(Result("a/first", Outcome.Pass, 0.5, 0.25), 1, 3);
        live.Finished(Result("b/second", Outcome.Mismatch, 2, 1), 2, 3);
        var console = new TestConsole().Width(120);
        console.Write(live.Render());
        string text = console.Output;
        Assert.That(text, Does.Contain("suite s.yaml: 2/3 done (1 pass, 1 mismatch)"));
        Assert.That(text, Does.Contain("… 1 earlier"), "only the latest finished row is kept");
        Assert.That(text, Does.Not.Contain("a/first"));
        Assert.That(Regex.IsMatch(text, @"b/second\s*│\s*mismatch\s*│\s*falsified\s*│\s*2\s*│\s*1\s*│\s*6\.8"), text);
        Assert.That(Regex.IsMatch(text, @"c/third\s*│\s*running"), text);
    }

    [Test]
    public void LiveRunDrawsTheFinalStateAndRethrowsFailures()
    {
        var console = new TestConsole().Width(120);
        var live = new LiveProgress("s.yaml", 1);
        live.Run(console, p => { p.Started(Query("only")); p.Finished(Result("only", Outcome.Pass, 1, 0.5), 1, 1); }, TimeSpan.FromMilliseconds(10));
        Assert.That(console.Output, Does.Contain("1/1 done (1 pass)"));
        Assert.Throws<InvalidOperationException>(() => new LiveProgress("s.yaml", 1).Run(new TestConsole(), _ => throw new InvalidOperationException("boom")));
    }

    [Test]
    public void SuiteRunWritesPlainLinesWhenStderrIsNotATerminal()
    {
        string suite = Path.Combine(AppContext.BaseDirectory, "suite-progress.yaml");
        File.WriteAllText(suite, "networks: []\nqueries:\n  - {name: ex, kind: inverse-stability-examples, k: 1, expectRows: [{example: \"2.2\", k: 1, realization: \"1\"}]}\n");
        var (o, e) = (Console.Out, Console.Error);
        var err = new StringWriter();
        Console.SetOut(TextWriter.Null); Console.SetError(err);
        int code;
        try { code = Verify.Program.Main(["suite", "run", suite, "--progress", "plain"]); }
        finally { Console.SetOut(o); Console.SetError(e); File.Delete(suite); }
        Assert.That(code, Is.EqualTo(0), err.ToString());
        var lines = err.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Is.EqualTo($"suite {suite}: 1 of 1 queries to run, 2 at a time"));
        Assert.That(lines[1], Does.Match(@"^\[1/1\] pass     ex: match \(\d+\.\d s\)$"));
        Assert.That(lines, Has.Length.EqualTo(2));
    }
}
