using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Verify.Suites;

namespace Verify.Tests.Suites;

/// <summary>The JUnit XML we write validates against the Ant JUnit report schema (Data/junit.xsd) that CI systems read.</summary>
public class JUnitSchemaTests
{
    private static XmlSchemaSet Schema()
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(TestData.Path("junit.xsd"));
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    /// <summary>The schema errors of a JUnit file (empty when it is valid); also used by the end-to-end run tests.</summary>
    public static List<string> Problems(string junitXml)
    {
        var problems = new List<string>();
        var doc = XDocument.Parse(junitXml, LoadOptions.SetLineInfo);
        doc.Validate(Schema(), (_, e) => problems.Add($"{e.Severity}: {e.Message}"));
        return problems;
    }

    private static QueryResult R(string name, Outcome outcome, string verdict, string? message = null) =>
        new(name, "certify", "verified", verdict, 0.25, 0.125, 1.5, 0, outcome, message);

    [TestCase(false)]
    [TestCase(true)]
    public void EveryOutcomeValidates(bool failOnUnknown)
    {
        var results = new[]
        {
            R("certify/net/eps=0.001", Outcome.Pass, "verified"),
            R("falsify <&> \"quoted\" ε=1e-5", Outcome.Mismatch, "falsified", "U 0.3 outside [0, 0.2]\nsecond line"),
            R("broken", Outcome.Error, "error", "cannot read net.json: no such file"),
            R("slow", Outcome.Unknown, "timeout", "killed after 1 s"),
        };
        var doc = ReportWriters.JUnit("examples/suites/s.yaml", results, failOnUnknown);
        string text = doc.Declaration + "\n" + doc.Root;
        Assert.That(Problems(text), Is.Empty, text);
        var suite = XDocument.Parse(text).Root!;
        Assert.That(suite.Name.LocalName, Is.EqualTo("testsuite"), "Ant's junitreport reads only files whose root is <testsuite>");
        Assert.That(((int)suite.Attribute("tests")!, (int)suite.Attribute("failures")!, (int)suite.Attribute("errors")!, (int)suite.Attribute("skipped")!),
            Is.EqualTo((4, failOnUnknown ? 2 : 1, 1, failOnUnknown ? 0 : 1)));
    }

    [Test]
    public void AnEmptyReportValidates() =>
        Assert.That(Problems(ReportWriters.JUnit("s.yaml", [], false).ToString()), Is.Empty);

    [TestCase("<testsuites><testsuite tests=\"1\"><testcase name=\"a\"/></testsuite></testsuites>", "name")]
    [TestCase("<testsuites><testsuite name=\"s\" tests=\"one\"><testcase name=\"a\"/></testsuite></testsuites>", "tests")]
    [TestCase("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase name=\"a\"><failure/><error/></testcase></testsuite></testsuites>", "error")]
    [TestCase("<testsuites><testsuite name=\"s\" tests=\"1\"><testcase classname=\"k\"/></testsuite></testsuites>", "name")]
    public void TheSchemaRejectsMalformedReports(string xml, string mentioned) =>
        Assert.That(Problems(xml), Has.Some.Contains(mentioned));
}
