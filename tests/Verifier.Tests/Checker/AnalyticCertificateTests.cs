using Verify.Checker;

namespace Verify.Tests.Checker;

/// <summary>
/// `certify --method analytic --certificate` then `check` (Checker/AnalyticCheck): the claim is the engine's U, the
/// checker's exact recomputation of the recursion is at most the engine's outward-rounded bound and close to it, and a
/// lowered claim, a changed ε or a lowered norm-ball row cap is rejected with the reason.
/// </summary>
[NonParallelizable]
public class AnalyticCertificateTests : CertificateFolderTests
{
    private string Certify(params string[] perturbation)
    {
        string net = Path.Combine(Dir, "net.json");
        if (!File.Exists(net)) File.Copy(TestData.Path("net_2_16_16_1.json"), net);
        string cert = Path.Combine(Dir, $"analytic-{Guid.NewGuid():N}.json");
        var (code, output, err) = CliRunner.Run(["certify", "--net", net, "--lo", "-1", "--hi", "1", "--method", "analytic",
            "--attack-restarts", "1", "--certificate", cert, .. perturbation]);
        Assert.That(code, Is.AnyOf(0, 1, 2), err);
        if (!perturbation.Contains("--threshold")) Assert.That(output, Does.Contain("(the analytic recursion, which the checker recomputes, claimed sup U ="));
        Assert.That(File.Exists(cert), err);
        return cert;
    }

    private static double[] Numbers(System.Text.Json.Nodes.JsonNode a) => a.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [TestCase("--eps", "1e-3")]
    [TestCase("--eps", "0.01,0,0.002")]
    [TestCase("--eps", "1e-2", "--relative", "--weights-only")]
    [TestCase("--layer-noise", "2", "--norm", "fro", "--ratio", "0.01")]
    [TestCase("--layer-noise", "2", "--norm", "spectral", "--ratio", "0.01")]
    public void AnalyticCertificateClaimsTheEnginesUAndChecks(params string[] perturbation)
    {
        string cert = Certify(perturbation);
        var o = Load(cert);
        Assert.That(o["method"]!.GetValue<string>(), Is.EqualTo("analytic"));
        Assert.That(o["nodes"]!.AsArray(), Is.Empty, "the recursion needs no split tree");
        var upper = Numbers(o["upper"]!);
        Assert.That(upper, Is.EqualTo(Numbers(o["engineUpper"]!)));
        Assert.That(o["analytic"]!["rowCap"] is not null, Is.EqualTo(perturbation.Contains("--layer-noise")));
        var report = CertificateChecker.Check(cert);
        Assert.That(report.Valid, report.Message);
        Assert.That(report.Message, Does.StartWith("valid: the analytic recursion recomputed exactly"));
        for (int j = 0; j < upper.Length; j++)
        {
            // The exact value rounded up to a double: engine ≥ exact, and the engine's rounding costs little.
            double exact = report.ExactUpper![j];
            Assert.That(exact, Is.LessThanOrEqualTo(upper[j]));
            Assert.That(upper[j] - exact, Is.LessThanOrEqualTo(1e-12 * upper[j]), $"engine {upper[j]:R}, exact {exact:R}");
        }
    }

    [Test]
    public void AcasAnalyticCertificateChecks()
    {
        string cert = Path.Combine(Dir, "acas-analytic.json");
        var (code, _, err) = CliRunner.Run("certify", "--net", TestData.Path("ACASXU_run2a_1_1_batch_2000.nnet"), "--box-file",
            TestData.Path("acasxu_prop1_box.json"), "--eps", "1e-4", "--method", "analytic", "--attack-restarts", "1", "--certificate", cert);
        Assert.That(code, Is.EqualTo(0), err);
        var report = CertificateChecker.Check(cert);
        Assert.That(report.Valid, report.Message);
        Assert.That(report.ClaimedUpper, Is.EqualTo(Numbers(Load(cert)["engineUpper"]!)));
    }

    [Test]
    public void LoweredClaimIsRejected()
    {
        var o = Load(Certify("--eps", "1e-3"));
        var upper = o["upper"]!.AsArray();
        upper[0] = upper[0]!.GetValue<double>() * (1 - 1e-9);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("upper[0]").And.Contain("is below the exact analytic bound"));
    }

    /// <summary>The checker rebuilds the admissible set from the model: a larger ε makes the recursion exceed the claim.</summary>
    [Test]
    public void ChangedEpsIsRejected()
    {
        var o = Load(Certify("--eps", "1e-3"));
        o["perturbation"]!["eps"]![0] = 2e-3;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("is below the exact analytic bound"));
    }

    [Test]
    public void LoweredRowCapIsRejected()
    {
        var o = Load(Certify("--layer-noise", "2", "--norm", "fro", "--ratio", "0.01"));
        double cap = o["analytic"]!["rowCap"]!.GetValue<double>();
        o["analytic"]!["rowCap"] = cap * 0.99; // below √16·r
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("analytic.rowCap").And.Contain("is below √n·r for layer 2"));
    }

    /// <summary>Without the cap the checker sums the ball's box |δ_ij| ≤ r, n·r per row: looser than √n·r, so the
    /// engine's claim no longer holds for it.</summary>
    [Test]
    public void RemovedRowCapIsRejected()
    {
        var o = Load(Certify("--layer-noise", "2", "--norm", "fro", "--ratio", "0.01"));
        o["analytic"]!.AsObject().Remove("rowCap");
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("is below the exact analytic bound"));
    }

    [Test]
    public void FalsifiedAnalyticAnswerCarriesItsWitness()
    {
        string cert = Certify("--eps", "1e-3", "--threshold", "0.01");
        Assert.That(Load(cert)["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the witness replays exactly"));
    }

    [Test]
    public void AnalyticCertificateWithNodesIsMalformed()
    {
        var o = Load(Certify("--eps", "1e-3"));
        o["nodes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject());
        CliRunner.Fails(65, ["check", Save(o)], "an analytic certificate has no \"nodes\"");
    }

    /// <summary>The recursion records no enclosures, so the overflow of a floating-point execution cannot be excluded.</summary>
    [Test]
    public void ExecutionIsAUsageError() =>
        CliRunner.Fails(64, ["certify", "--net", TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1", "--eps", "1e-3",
            "--method", "analytic", "--execution", "float32", "--certificate", Path.Combine(Dir, "c.json")],
            "--certificate with --method analytic does not cover --execution");
}
