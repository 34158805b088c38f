using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Verify.Errors;

namespace Verify.Suites;

/// <summary>JUnit XML (Ant's report format, one testcase per query) and Markdown renderings of suite results.</summary>
public static class ReportWriters
{
    public static XDocument JUnit(string suiteName, IReadOnlyList<QueryResult> results, bool failOnUnknown)
    {
        var inv = CultureInfo.InvariantCulture;
        var cases = new List<XElement>();
        int failures = 0, errors = 0, skipped = 0;
        foreach (var r in results)
        {
            var tc = new XElement("testcase",
                new XAttribute("name", r.Name), new XAttribute("classname", r.Kind),
                new XAttribute("time", r.Seconds.ToString("F3", inv)));
            string detail = Describe(r);
            switch (r.Outcome)
            {
                case Outcome.Mismatch:
                    failures++;
                    tc.Add(new XElement("failure", new XAttribute("message", $"expected {r.Expect ?? "-"}, got {r.Verdict}"), detail));
                    break;
                case Outcome.Error:
                    errors++;
                    tc.Add(new XElement("error", new XAttribute("message", r.Message ?? "error"), detail));
                    break;
                case Outcome.Unknown when failOnUnknown:
                    failures++;
                    tc.Add(new XElement("failure", new XAttribute("message", $"expected {r.Expect}, got {r.Verdict}"), detail));
                    break;
                case Outcome.Unknown:
                    skipped++;
                    tc.Add(new XElement("skipped", new XAttribute("message", $"{r.Verdict} (expected {r.Expect})")));
                    break;
            }
            cases.Add(tc);
        }
        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName), new XAttribute("tests", results.Count),
            new XAttribute("failures", failures), new XAttribute("errors", errors), new XAttribute("skipped", skipped),
            new XAttribute("time", results.Sum(r => r.Seconds).ToString("F3", inv)), cases);
        // A single <testsuite> root, as Ant writes its TEST-*.xml files: Ant's junitreport rejects a <testsuites> root,
        // while Jenkins, GitLab, junitparser and the other common readers accept either.
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suite);
    }

    public static string Markdown(string suiteName, IReadOnlyList<QueryResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# Suite `{suiteName}`\n\n");
        sb.Append("| query | kind | expect | verdict | upper | lower | seconds | outcome | note |\n");
        sb.Append("|---|---|---|---|---:|---:|---:|---|---|\n");
        foreach (var r in results)
            sb.Append(inv, $"| `{r.Name}` | {r.Kind} | {r.Expect ?? "-"} | {r.Verdict} | {Num(r.Upper)} | {Num(r.Lower)} | {r.Seconds:F2} | {r.Outcome.ToString().ToLowerInvariant()} | {Cell(r.Message)} |\n");
        var counts = results.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        sb.Append(inv, $"\n{results.Count} queries: {string.Join(", ", counts)}\n");
        return sb.ToString();
    }

    public static void WriteJUnit(string path, string suiteName, IReadOnlyList<QueryResult> results, bool failOnUnknown)
    {
        var doc = JUnit(suiteName, results, failOnUnknown);
        Write(path, doc.Declaration + "\n" + doc.Root + "\n");
    }

    public static void WriteMarkdown(string path, string suiteName, IReadOnlyList<QueryResult> results) =>
        Write(path, Markdown(suiteName, results));

    private static string Describe(QueryResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"verdict {r.Verdict}, upper {Num(r.Upper)}, lower {Num(r.Lower)}, {r.Seconds:F2} s{(r.Message is null ? "" : ": " + r.Message)}");

    /// <summary>A message as one table cell: no line breaks, pipes escaped.</summary>
    private static string Cell(string? text) => text is null ? "" : text.ReplaceLineEndings(" ").Replace("|", "\\|");

    private static string Num(double? v) => v?.ToString("G6", CultureInfo.InvariantCulture) ?? "-";

    private static void Write(string path, string text)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write report: " + e.Message);
        }
    }
}
