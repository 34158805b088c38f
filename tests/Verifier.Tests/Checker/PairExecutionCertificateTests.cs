using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `equiv --eps E --execution F --certificate` then `check`, through the real command line, on net_2_16_16_1 and its
/// float16 copy: the certificate has three parts (the real pair's tree and each network's certify `--execution F`
/// margin certificate, embedded) and `check` checks all three and their per-output sum. Lowering a part's bound or
/// the sum, removing a part, changing the format, swapping the parts or changing the second network file are rejected
/// with the reason.
/// </summary>
[NonParallelizable]
public class PairExecutionCertificateTests : CertificateFolderTests
{
    private string _first = "", _second = "";

    [SetUp]
    public void CopyNetworks()
    {
        File.Copy(TestData.Path("net_2_16_16_1.json"), _first = Path.Combine(Dir, "a.json"));
        File.Copy(TestData.Path("net_2_16_16_1_f16.json"), _second = Path.Combine(Dir, "b.json"));
    }

    /// <summary>float32 adds about 3.6e-5 to the pair's 9e-4 on [−1, 1]²; the pair differs by about 2.5e-4 somewhere.</summary>
    private string Equiv(int expectExit, string eps, string format = "float32")
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, stdout, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", _second, "--lo", "-1", "--hi", "1", "--eps", eps,
            "--execution", format, "--timeout", "20", "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(expectExit), stdout + err);
        return cert;
    }

    private string Verified()
    {
        string cert = Equiv(0, "1e-3");
        var o = Load(cert);
        var pe = o["pairExecution"]!;
        Assert.That(pe["format"]!.GetValue<string>(), Is.EqualTo("float32"));
        foreach (var part in new[] { "first", "second" })
        {
            Assert.That(pe[part]!["perturbation"]!["execution"]!.GetValue<string>(), Is.EqualTo("float32"));
            Assert.That(pe[part]!["perturbation"]!["eps"]!.AsArray().Select(e => e!.GetValue<double>()), Is.All.EqualTo(0.0), "no user perturbation");
        }
        Assert.That(pe["first"]!["network"]!["sha256"]!.GetValue<string>(), Is.EqualTo(o["network"]!["sha256"]!.GetValue<string>()));
        Assert.That(pe["second"]!["network"]!["sha256"]!.GetValue<string>(), Is.EqualTo(o["perturbation"]!["sha256"]!.GetValue<string>()));
        return cert;
    }

    [Test]
    public void ThreePartCertificateChecksAndProvesEpsAsExecuted()
    {
        string cert = Verified();
        var o = Load(cert);
        double total = o["pairExecution"]!["upper"]![0]!.GetValue<double>();
        double sum = o["upper"]![0]!.GetValue<double>() + o["pairExecution"]!["first"]!["upper"]![0]!.GetValue<double>()
                     + o["pairExecution"]!["second"]!["upper"]![0]!.GetValue<double>();
        Assert.That(total, Is.GreaterThanOrEqualTo(sum).And.LessThanOrEqualTo(sum * (1 + 1e-12)), "the claim is the rounded-up sum of the parts");
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("float32 margins checked")
            .And.Contain("equivalent within ε = 0.001 on the whole box as executed in float32"));
    }

    [Test]
    public void ALoweredMarginPartIsRejected()
    {
        var o = Load(Verified());
        var upper = o["pairExecution"]!["second"]!["upper"]!.AsArray();
        upper[0] = upper[0]!.GetValue<double>() / 2;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairExecution.second: upper[0]").And.Contain("is below leaf"));
    }

    [Test]
    public void AClaimBelowTheSumIsRejected()
    {
        var o = Load(Verified());
        o["pairExecution"]!["upper"]![0] = o["upper"]![0]!.GetValue<double>();
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("pairExecution.upper[0]").And.Contain("is below the sum of the three parts"));
    }

    [TestCase("first")]
    [TestCase("second")]
    public void ARemovedPartIsRejected(string part)
    {
        var o = Load(Verified());
        o["pairExecution"]!.AsObject().Remove(part);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"pairExecution.{part}: the {part} network's floating-point margin part is missing"));
    }

    [Test]
    public void AChangedFormatIsRejected()
    {
        string cert = Verified();
        var o = Load(cert);
        o["pairExecution"]!["format"] = "float16";
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("pairExecution.first covers float32 evaluations, the pair claims float16"));

        // The part relabelled too: float16's exact widening is larger than the float32 constants recorded.
        o = Load(cert);
        o["pairExecution"]!["format"] = "float16";
        foreach (var part in new[] { "first", "second" })
        {
            o["pairExecution"]![part]!["perturbation"]!["execution"] = "float16";
            o["pairExecution"]![part]!["execution"]!["format"] = "float16";
        }
        (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("pairExecution.first: execution: layer 1: the recorded gamma").And.Contain("the widening is too small"));
    }

    [Test]
    public void SwappedPartsAreRejected()
    {
        var o = Load(Verified());
        var pe = o["pairExecution"]!.AsObject();
        var first = pe["first"]!.DeepClone();
        pe["first"] = pe["second"]!.DeepClone();
        pe["second"] = first;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("pairExecution.first is a certificate of another network"));
    }

    [Test]
    public void ChangedSecondNetworkIsRejectedAndACopyIsAccepted() =>
        ChangedSecondNetworkIsRejectedAndACopyIsAcceptedIn(Verified(), _second);

    /// <summary>At ε = 2e-4 a replayed real witness exceeds ε plus both margins: the certificate carries it with the
    /// threshold raised by the margins, which the check recomputes from the two parts.</summary>
    [Test]
    public void FalsifiedAnswerCarriesTheRaisedThreshold()
    {
        string cert = Equiv(1, "2e-4");
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        Assert.That(o["threshold"]!.GetValue<double>(), Is.GreaterThan(2e-4));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the witness replays exactly").And.Contain("every pair of float32 evaluations of the networks differs by more than ε = 0.0002"));

        o["threshold"] = 2e-4;
        var (code2, output2) = Check(Save(o));
        Assert.That(code2, Is.EqualTo(1), output2);
        Assert.That(output2, Does.Contain("pairExecution: the witness's threshold 0.0002 is below ε + both margins"));
    }

    /// <summary>float16 evaluations alone differ from the real network by up to 0.075 here: ε = 0.01 is unknown, and an
    /// unknown answer proves nothing.</summary>
    [Test]
    public void UnknownAnswersWriteNoCertificate()
    {
        string cert = Path.Combine(Dir, "none.json");
        var (code, _, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", _second, "--lo", "-1", "--hi", "1", "--eps", "0.01",
            "--execution", "float16", "--timeout", "5", "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(File.Exists(cert), Is.False);
        Assert.That(err, Does.Contain("certificate: none written (the answer is unknown"));
    }
}
