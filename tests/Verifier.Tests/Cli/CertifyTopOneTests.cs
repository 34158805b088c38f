using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Io;
using Verify.Specs;

namespace Verify.Tests.Cli;

/// <summary>`verify certify --top1`, `--x` and `--eps-of-range` end to end through Program.Main.</summary>
[NonParallelizable]
public class CertifyTopOneTests
{
    private static string Net => TestData.Path("net_5_50x6_5.json");
    private const string X = "0.1,0.2,-0.3,0.4,0.5";

    private static string Temp(string ext) => Path.Combine(Path.GetTempPath(), $"top1-{Guid.NewGuid():N}.{ext}");

    [Test]
    public void VerifiedAtAFixedInputExitsZeroWithTheMarginsInJson()
    {
        var json = Temp("json");
        var (code, stdout, err) = CliRunner.Run("certify", "--top1", "--net", Net, "--x", X, "--eps", "3e-4", "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("verdict: verified"));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        File.Delete(json);
        Assert.That((string?)o["verdict"], Is.EqualTo("verified"));
        Assert.That((int?)o["class"], Is.EqualTo(3));
        Assert.That(o["marginLower"]![3], Is.Null);
        Assert.That((double?)o["worstMarginLower"], Is.GreaterThan(0));
        Assert.That(o["box"]!["lo"]!.AsArray().Select(v => (double)v!), Is.EqualTo(o["box"]!["hi"]!.AsArray().Select(v => (double)v!)));
    }

    /// <summary>At ε = 5·10⁻⁴ the margin pass alone leaves a margin ≤ 0 (`--method linear` answers unknown, exit 2);
    /// auto branches on the phases at the fixed input and answers verified. `--optimize-slopes` is taken with --top1.</summary>
    [Test]
    public void AutoAtAFixedInputVerifiesWhatTheMarginPassCannot()
    {
        var json = Temp("json");
        var (linear, _, linearErr) = CliRunner.Run("certify", "--top1", "--net", Net, "--x", X, "--eps", "5e-4", "--method", "linear", "--optimize-slopes");
        Assert.That(linear, Is.EqualTo(2), linearErr);
        var (code, stdout, err) = CliRunner.Run("certify", "--top1", "--net", Net, "--x", X, "--eps", "5e-4", "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("verdict: verified"));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        File.Delete(json);
        Assert.That((string?)o["method"], Is.EqualTo("auto-phase"));
        Assert.That((int?)o["splits"], Is.GreaterThan(0));
        Assert.That((double?)o["worstMarginLower"], Is.GreaterThan(0));
    }

    [Test]
    public void FalsifiedWritesAWitnessNetworkThatReplays()
    {
        var json = Temp("json"); var witness = Temp("json");
        var (code, _, err) = CliRunner.Run("certify", "--top1", "--net", Net, "--x", X, "--eps", "1e-3", "--json", json, "--witness-out", witness);
        Assert.That(code, Is.EqualTo(1), err);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        var perturbed = NetworkFiles.Read(witness);
        File.Delete(json); File.Delete(witness);
        var nominal = TestData.Network("net_5_50x6_5.json");
        Assert.That(PerturbationModel.Absolute(1e-3).ToBox(nominal).Admits(nominal, perturbed), Is.True);
        var y = perturbed.EvaluateExact(X.Split(',').Select(s => Rational.FromDouble(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        int cls = (int)o["class"]!, rival = (int)o["witness"]!["rival"]!;
        Assert.That(y[rival] >= y[cls], Is.True, "the written network flips the class exactly");
        Assert.That((string?)o["witness"]!["marginExact"], Is.EqualTo((y[cls] - y[rival]).ToString()));
    }

    [Test]
    public void EpsOfRangeOnOneLayer()
    {
        var json = Temp("json");
        var (code, _, err) = CliRunner.Run("certify", "--top1", "--net", Net, "--x", X, "--eps-of-range", "0.001", "--layers", "3", "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        File.Delete(json);
        Assert.That((string?)o["perturbation"]!["kind"], Is.EqualTo("of-range"));
        Assert.That(o["perturbation"]!["layers"]!.AsArray().Select(v => (int)v!), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void PlainCertifyTakesEpsOfRangeAndX()
    {
        var (code, stdout, err) = CliRunner.Run("certify", "--net", Net, "--x", X, "--eps-of-range", "0.001", "--method", "linear");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("of-range"));
    }

    [TestCase(new[] { "--method", "z3" }, "--method linear or auto")]
    [TestCase(new[] { "--method", "ibp" }, "--method linear or auto")]
    [TestCase(new[] { "--threshold", "0.1" }, "--top1 does not take --threshold")]
    [TestCase(new[] { "--gap", "0.1" }, "--top1 does not take --gap")]
    [TestCase(new[] { "--smt2-out", "q" }, "--top1 does not take --smt2-out")]
    [TestCase(new[] { "--split", "hybrid" }, "--top1 does not take --split")]
    [TestCase(new[] { "--split", "phase" }, "--top1 does not take --split")]
    [TestCase(new[] { "--lo", "0", "--hi", "1" }, "either --x or an input box")]
    public void TopOneMisuseIsOneLineExit64(string[] extra, string fragment) =>
        CliRunner.Fails(64, ["certify", "--top1", "--net", Net, "--x", X, "--eps", "1e-3", .. extra], fragment);

    [TestCase(new[] { "--x", "0.1,0.2", "--eps", "1e-3" }, "--x has 2 values")]
    [TestCase(new[] { "--x", "0.1,a,0,0,0", "--eps", "1e-3" }, "--x")]
    [TestCase(new[] { "--x", X, "--eps-of-range", "0.1", "--eps", "0.1" }, "--eps-of-range excludes")]
    [TestCase(new[] { "--x", X, "--eps-of-range", "0.1", "--biases-only" }, "--eps-of-range excludes")]
    [TestCase(new[] { "--x", X, "--eps-of-range", "-0.1" }, "--eps-of-range")]
    [TestCase(new[] { "--x", X, "--eps-of-range", "0.1", "--layer-noise", "1", "--ratio", "0.1" }, "excludes --eps-of-range")]
    [TestCase(new[] { "--x", X, "--eps-of-range", "0.1", "--layers", "9" }, "--layers: layer 9")]
    public void PointAndRangeMisuseIsOneLineExit64(string[] extra, string fragment) =>
        CliRunner.Fails(64, ["certify", "--net", Net, "--method", "linear", .. extra], fragment);

    [Test]
    public void WitnessOutWithoutAFlipIsMisuse() =>
        CliRunner.Fails(64, ["certify", "--top1", "--net", Net, "--x", X, "--eps", "3e-4", "--witness-out", Temp("json")], "no flip");
}
