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

    private string Save(ShallowNet1D n, string name)
    {
        var p = Path.Combine(_dir, name);
        NetworkFiles.Write(n.ToNetwork(name), p);
        return p;
    }

    // Family 2.4 at k = 2 is dyadic, so the files hold it exactly; its fiber distance is 2 (kink lemma; a verified SAT
    // model or explicit member reaches 2).
    [Test]
    public void FiberReportsCertifiedLowerAndVerifiedUpper()
    {
        var e = ExampleFamilies.Build("2.4", 2);
        var json = Path.Combine(_dir, "f.json");
        int code = CliRunner.Code(["inverse-stability", "fiber", "--net", Save(e.Gamma, "g.json"), "--net2", Save(e.Theta, "t.json"),
                                 "--lo", "-2", "--hi", "2", "--points", "8", "--timeout", "2", "--checks", "8", "--json", json]);
        Assert.That(code, Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        var lower = Rational.Parse((string)o["lower"]!["value"]!);
        var upper = Rational.Parse((string)o["upper"]!["distance"]!);
        Assert.That(lower, Is.GreaterThanOrEqualTo(new Rational(3, 2)).And.LessThanOrEqualTo((Rational)2));
        Assert.That(upper, Is.GreaterThanOrEqualTo((Rational)2));
        Assert.That(o["points"]!.AsArray().Count, Is.GreaterThanOrEqualTo(8));
        Assert.That(o["checks"]!.AsArray().Any(c => (string)c!["status"]! == "unsat"), Is.True);
    }

    [Test]
    public void FiberRejectsAWrongDomain()
    {
        var e = ExampleFamilies.Build("2.4", 2);
        Assert.That(CliRunner.Code(["inverse-stability", "fiber", "--net", Save(e.Gamma, "g.json"), "--net2", Save(e.Theta, "t.json"),
                                  "--lo", "-2,0", "--hi", "2,1"]), Is.EqualTo(64));
    }

    [Test]
    public void SearchWritesPairsAndCertificates()
    {
        var dir = Path.Combine(_dir, "out");
        var json = Path.Combine(_dir, "s.json");
        int code = CliRunner.Code(["inverse-stability", "search", "--arch", "1,1,1", "--budget", "3", "--points", "6", "--timeout", "1",
                                 "--keep", "2", "--out-dir", dir, "--json", json]);
        Assert.That(code, Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((double)o["maxRatio"]!, Is.GreaterThan(0));
        var cert = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "pair1-certificate.json")))!;
        Assert.That((double)cert["ratio"]!, Is.EqualTo((double)o["maxRatio"]!));
        Assert.That(File.Exists((string)cert["gamma"]!["path"]!) && File.Exists((string)cert["theta"]!["path"]!), Is.True);
        Assert.That(cert["fiber"]!["points"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public void SearchRejectsRestrictedScalarInput() =>
        Assert.That(CliRunner.Code(["inverse-stability", "search", "--arch", "1,2,1", "--space", "restricted", "--budget", "1"]), Is.EqualTo(64));
}
