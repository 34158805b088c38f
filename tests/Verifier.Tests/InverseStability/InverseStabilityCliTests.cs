using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.InverseStability;
using Verify.Io;

namespace Verify.Tests.InverseStability;

public class InverseStabilityCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "verify-fiber-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Save(ExactNet n, string name)
    {
        var p = Path.Combine(_dir, name);
        NetworkFiles.Write(n.ToNetwork(name), p);
        return p;
    }

    // Example 2.3 at k = 2 is dyadic, so the files hold it exactly; its fiber distance in the bias-free space is exactly
    // 1 (kink-line lemma from below, Θ itself from above), so the Z3 bound must lie in (0, 1] and the upper bound ≥ 1.
    [Test]
    public void FiberReportsCertifiedLowerAndVerifiedUpper()
    {
        var e = PaperExamples.Build("2.3", 2);
        var json = Path.Combine(_dir, "f.json");
        int code = Program.Main(["inverse-stability", "fiber", "--net", Save(e.Gamma, "g.json"), "--net2", Save(e.Theta, "t.json"),
                                 "--lo", "-1,-1", "--hi", "1,1", "--bias-free", "--points", "8", "--timeout", "2", "--checks", "8", "--json", json]);
        Assert.That(code, Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        var lower = Rational.Parse((string)o["lower"]!["value"]!);
        var upper = Rational.Parse((string)o["upper"]!["distance"]!);
        Assert.That(lower, Is.GreaterThan(Rational.Zero).And.LessThanOrEqualTo(Rational.One));
        Assert.That(upper, Is.GreaterThanOrEqualTo(Rational.One));
        Assert.That(o["points"]!.AsArray().Count, Is.GreaterThanOrEqualTo(8));
        Assert.That(o["checks"]!.AsArray().Any(c => (string)c!["status"]! == "unsat"), Is.True);
    }

    [Test]
    public void FiberRejectsAWrongDomain()
    {
        var e = PaperExamples.Build("2.3", 2);
        Assert.That(Program.Main(["inverse-stability", "fiber", "--net", Save(e.Gamma, "g.json"), "--net2", Save(e.Theta, "t.json"),
                                  "--lo", "-2", "--hi", "2"]), Is.EqualTo(64));
    }

    [Test]
    public void SearchWritesPairsAndCertificates()
    {
        var dir = Path.Combine(_dir, "out");
        var json = Path.Combine(_dir, "s.json");
        int code = Program.Main(["inverse-stability", "search", "--arch", "2,2,1", "--budget", "2", "--seed", "5",
                                 "--keep", "2", "--out-dir", dir, "--json", json]);
        Assert.That(code, Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((double)o["maxRatio"]!, Is.GreaterThan(0));
        Assert.That((int)o["seed"]!, Is.EqualTo(5));
        var cert = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "pair1-certificate.json")))!;
        Assert.That((double)cert["ratio"]!, Is.EqualTo((double)o["maxRatio"]!));
        Assert.That(File.Exists((string)cert["gamma"]!["path"]!) && File.Exists((string)cert["theta"]!["path"]!), Is.True);
        Assert.That(cert["pathologies"]!.AsArray(), Is.Not.Empty);
        Assert.That(Rational.Parse((string)cert["fiberLower"]!["value"]!), Is.LessThanOrEqualTo(Rational.Parse((string)cert["fiberUpper"]!)));
    }

    [Test]
    public void SearchRejectsRestrictedScalarInputAndSeveralOutputs()
    {
        Assert.That(Program.Main(["inverse-stability", "search", "--arch", "1,2,1", "--space", "restricted", "--budget", "1"]), Is.EqualTo(64));
        Assert.That(Program.Main(["inverse-stability", "search", "--arch", "2,2,2", "--budget", "1"]), Is.EqualTo(64));
    }
}
