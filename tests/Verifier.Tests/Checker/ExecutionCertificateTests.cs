using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// Certificates of `--execution` answers: the checker recomputes the widening exactly from the recorded format and
/// checks the nodes against the widened box; a lowered widening, a changed format, or nodes bounded over the user's
/// box alone are rejected with the reason.
/// </summary>
[NonParallelizable]
public class ExecutionCertificateTests : CertificateFolderTests
{
    private string Certify(params string[] extra)
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, _, err) = CliRunner.Run(["certify", "--net", TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1",
            "--eps", "1e-3", "--method", "auto", "--max-splits", "10", "--timeout", "20", "--certificate", cert, .. extra]);
        Assert.That(code, Is.EqualTo(0), err);
        return cert;
    }

    [TestCase("float32")]
    [TestCase("float16")]
    [TestCase("bfloat16")]
    [TestCase("float16-ftz")]
    public void ExecutionCertificatesCheck(string format)
    {
        string cert = Certify("--execution", format);
        var o = Load(cert);
        Assert.That(o["perturbation"]!["execution"]!.GetValue<string>(), Is.EqualTo(format));
        Assert.That(o["execution"]!["format"]!.GetValue<string>(), Is.EqualTo(format));
        Assert.That(o["execution"]!["layers"]!.AsArray(), Has.Count.EqualTo(3));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain($"every {format} evaluation covered"));
    }

    [Test]
    public void TopOneExecutionCertificatesCheck()
    {
        string cert = Path.Combine(Dir, "top1.json");
        var (code, _, err) = CliRunner.Run(["certify", "--top1", "--net", TestData.Path("net_5_50x6_5.json"), "--x", "0.1,0.2,-0.3,0.4,0.5",
            "--eps", "3e-4", "--execution", "float32", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(0), err);
        var (checkCode, output) = Check(cert);
        Assert.That(checkCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("every float32 evaluation covered").And.Contain("unique top class"));
    }

    [TestCase("gamma")]
    [TestCase("weightRelative")]
    [TestCase("biasAbsolute")]
    public void ALoweredWideningIsRejected(string constant)
    {
        var o = Load(Certify("--execution", "float32"));
        var layer = o["execution"]!["layers"]!.AsArray()[1]!;
        layer[constant] = layer[constant]!.GetValue<double>() / 2;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"layer 2: the recorded {constant}").And.Contain("is below the checker's exact").And.Contain("the widening is too small"));
    }

    [Test]
    public void AChangedFormatIsRejected()
    {
        string cert = Certify("--execution", "float32");
        var o = Load(cert);
        o["perturbation"]!["execution"] = "float16";
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("the recorded widening is for 'float32', the perturbation for 'float16'"));

        // Both relabelled: float16's exact γ is larger than the float32 constants recorded.
        o = Load(cert);
        o["perturbation"]!["execution"] = "float16";
        o["execution"]!["format"] = "float16";
        (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("layer 1: the recorded gamma").And.Contain("(float16, n = 2): the widening is too small"));

        o = Load(cert);
        o.Remove("execution");
        (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("does not record its widening"));
    }

    /// <summary>A real-arithmetic certificate relabelled as float32 with float32's true constants: its nodes were bounded
    /// over the user's box only, and the checker, which bounds over the widened box, finds an enclosure not implied.</summary>
    [Test]
    public void NodesBoundedWithoutTheWideningAreRejected()
    {
        var widened = Load(Certify("--execution", "float32"));
        var o = Load(Certify());
        o["perturbation"]!["execution"] = "float32";
        o["execution"] = widened["execution"]!.DeepClone();
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("node 0").And.Contain("is not implied"));
    }

    /// <summary>The engine writes no certificate where a float16 evaluation may overflow, and the checker excludes
    /// overflow itself (the widening does not cover it).</summary>
    [Test]
    public void PossibleOverflowGetsNoCertificateAndTheCheckerExcludesOverflowItself()
    {
        string big = Path.Combine(Dir, "big.json");
        File.WriteAllText(big, """{"layers":[{"W":[[300,300]],"b":[0],"activation":"relu"},{"W":[[1]],"b":[0],"activation":"identity"}]}""");
        string none = Path.Combine(Dir, "none.json");
        var (code, _, err) = CliRunner.Run(["certify", "--net", big, "--lo", "-110", "--hi", "110", "--eps", "0", "--method", "linear",
            "--attack-restarts", "0", "--execution", "float16", "--certificate", none]);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(File.Exists(none), Is.False);
        Assert.That(err, Does.Contain("certificate: none written (a float evaluation may overflow"));

        // On [−100, 100]² the sums reach 60000 < 65504: certified and valid.
        string ok = Path.Combine(Dir, "ok.json");
        (code, _, err) = CliRunner.Run(["certify", "--net", big, "--lo", "-100", "--hi", "100", "--eps", "0", "--method", "linear",
            "--attack-restarts", "0", "--execution", "float16", "--certificate", ok]);
        Assert.That(code, Is.EqualTo(0), err);
        var (checkCode, output) = Check(ok);
        Assert.That(checkCode, Is.EqualTo(0), output);

        // On [−110, 110]² (sums up to 66000) a real-arithmetic certificate with |δ| ≤ 1, relabelled as float16 with ε = 0:
        // its nodes hold for the (smaller) widened box, so only the checker's own overflow check can refuse it.
        string wide = Path.Combine(Dir, "wide.json");
        (code, _, err) = CliRunner.Run(["certify", "--net", big, "--lo", "-110", "--hi", "110", "--eps", "1", "--method", "linear",
            "--attack-restarts", "0", "--certificate", wide]);
        Assert.That(code, Is.EqualTo(0), err);
        var o = Load(wide);
        o["perturbation"]!["eps"] = new JsonArray(0.0);
        o["perturbation"]!["execution"] = "float16";
        o["execution"] = Load(ok)["execution"]!.DeepClone();
        (checkCode, output) = Check(Save(o));
        Assert.That(checkCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("overflow is not excluded").And.Contain("layer 1 neuron 0"));
    }
}
