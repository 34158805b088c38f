using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `equiv --certificate` then `check`, through the real command line, on net_2_16_16_1 and its float16 copy (one
/// architecture, so f16 = f(·; θ + δ) with δ the exact parameter difference): a verified ε answer carries a split tree
/// that checks and proves ε, a falsified one a witness that replays with θ′ = the second network, and a changed second
/// file, a lowered leaf bound or another θ′ are rejected; answers the checker cannot re-validate get no file.
/// </summary>
[NonParallelizable]
public class EquivalenceCertificateTests : CertificateFolderTests
{
    private string _first = "", _second = "";

    /// <summary>Runs after the base class has made the folder (NUnit runs base-class setups first).</summary>
    [SetUp]
    public void CopyNetworks()
    {
        // Copies, so that tampering with the second network touches nothing else.
        File.Copy(TestData.Path("net_2_16_16_1.json"), _first = Path.Combine(Dir, "a.json"));
        File.Copy(TestData.Path("net_2_16_16_1_f16.json"), _second = Path.Combine(Dir, "b.json"));
    }


    /// <summary>On [−1, 1]² the pair is within 1e-3 after a few bisections, and differs by about 2.9e-4 somewhere.</summary>
    private const string Verifies = "1e-3", Falsifies = "2e-4";

    private (string Cert, string Err) Equiv(int expectExit, string second, params string[] args)
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, _, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", second, "--lo", "-1", "--hi", "1", .. args,
            "--timeout", "10", "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(expectExit), err);
        return (cert, err);
    }



    private string VerifiedWithSplits()
    {
        var (cert, err) = Equiv(0, _second, "--eps", Verifies);
        Assert.That(err, Does.Not.Contain("none written"), "a written certificate is not reported missing");
        var o = Load(cert);
        Assert.That(o["nodes"]!.AsArray(), Has.Count.GreaterThan(1), "ε = 1e-3 needs bisections on this box");
        Assert.That(o["perturbation"]!["kind"]!.GetValue<string>(), Is.EqualTo("network"));
        return cert;
    }

    [Test]
    public void VerifiedSplitTreeChecksAndProvesEps()
    {
        var (code, output) = Check(VerifiedWithSplits());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("equivalent within ε = 0.001"));
    }

    [Test]
    public void WitnessReplaysWithTheSecondNetwork()
    {
        string cert = Equiv(1, _second, "--eps", Falsifies).Cert;
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the witness replays exactly").And.Contain("differ by more than ε").And.Not.Contain("equivalent within"));

        // θ′ must be the second network exactly: the first network itself (δ = 0) is not the admissible δ.
        o["witness"]!["perturbed"] = Load(_first);
        var (code2, output2) = Check(Save(o));
        Assert.That(code2, Is.EqualTo(1));
        Assert.That(output2, Does.Contain("is outside the admissible box"));
    }

    [Test]
    public void ChangedSecondNetworkIsRejectedAndACopyIsAccepted()
    {
        ChangedSecondNetworkIsRejectedAndACopyIsAcceptedIn(VerifiedWithSplits(), _second);
    }

    [Test]
    public void LoweredLeafBoundIsRejected()
    {
        LoweredLeafBoundIsRejectedIn(VerifiedWithSplits());
    }

    [Test]
    public void ValidBoundsAboveEpsDoNotProveIt()
    {
        var o = Load(VerifiedWithSplits());
        o["eps"] = 1e-4;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("valid, but the bounds do not prove ε = 0.0001").And.Not.Contain("equivalent within"));
    }

    /// <summary>An exact alignment needs no search; an identical copy is a one-node certificate with δ = 0.</summary>
    [Test]
    public void IdenticalCopyIsAOneNodeCertificate()
    {
        string cert = Equiv(0, _first, "--eps", "0").Cert;
        Assert.That(Load(cert)["nodes"]!.AsArray(), Has.Count.EqualTo(1));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("equivalent within ε = 0 "));
    }

    /// <summary>Hidden neurons 0 and 1 of the first layer swapped and neuron 2 rescaled by 2 (its incoming weights and
    /// bias doubled, its outgoing weights halved): an exact symmetric copy. The certificate records the alignment, which
    /// the checker proves entry by entry; a wrong permutation or scale, a non-permutation and a malformed table fail.</summary>
    [Test]
    public void PermutedRescaledCopyIsCertifiedAndTamperingIsRejected()
    {
        var a = Load(_first);
        var layers = a["layers"]!.AsArray();
        var w1 = layers[0]!["W"]!.AsArray(); var b1 = layers[0]!["b"]!.AsArray();
        (w1[0], w1[1]) = (w1[1]!.DeepClone(), w1[0]!.DeepClone());
        (b1[0], b1[1]) = (b1[1]!.DeepClone(), b1[0]!.DeepClone());
        w1[2] = new JsonArray(w1[2]!.AsArray().Select(v => (JsonNode)(2 * v!.GetValue<double>())).ToArray());
        b1[2] = 2 * b1[2]!.GetValue<double>();
        foreach (var row in layers[1]!["W"]!.AsArray().Select(r => r!.AsArray()))
        {
            (row[0], row[1]) = (row[1]!.DeepClone(), row[0]!.DeepClone());
            row[2] = row[2]!.GetValue<double>() / 2;
        }
        string permuted = Path.Combine(Dir, "permuted.json");
        File.WriteAllText(permuted, a.ToJsonString());
        var (cert, _) = Equiv(0, permuted, "--eps", "0");
        Assert.That(Load(cert)["outcome"]!.GetValue<string>(), Is.EqualTo("symmetric"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the two compute the same function").And.Contain("equivalent within ε = 0"));

        var swapped = Load(cert);
        var perm = swapped["symmetry"]!["permutation"]![0]!.AsArray();
        (perm[0], perm[1]) = (perm[1]!.DeepClone(), perm[0]!.DeepClone());
        var (code1, output1) = Check(Save(swapped));
        Assert.That(code1, Is.EqualTo(1));
        Assert.That(output1, Does.Contain("layer 1, "));

        var unscaled = Load(cert);
        unscaled["symmetry"]!["scaleExponent"]![0]![2] = 0;
        var (code2, output2) = Check(Save(unscaled));
        Assert.That(code2, Is.EqualTo(1));
        Assert.That(output2, Does.Contain("layer 1, neuron 2"));

        var repeated = Load(cert);
        repeated["symmetry"]!["permutation"]![0]![0] = repeated["symmetry"]!["permutation"]![0]![1]!.DeepClone();
        var (code3, output3) = Check(Save(repeated));
        Assert.That(code3, Is.EqualTo(1));
        Assert.That(output3, Does.Contain("is not a permutation"));

        var malformed = Load(cert);
        malformed["symmetry"]!["permutation"]!.AsArray().RemoveAt(0);
        var (code4, output4) = Check(Save(malformed));
        Assert.That(code4, Is.EqualTo(65), output4);
        Assert.That(output4, Does.Contain("symmetry.permutation"));
    }

    /// <summary>2-16-1 with a leaky first layer against 2-16-16-1: the merged pair would need two activations in one
    /// layer, so it cannot be merged exactly and no certificate is written (other architectures: MergedPairCertificateTests).</summary>
    [Test]
    public void UnmergeablePairsWriteNoCertificate()
    {
        var a = Load(_first);
        a["layers"]!.AsArray().RemoveAt(1);
        a.Remove("widths");
        a["layers"]![0]!["activation"] = "leaky_relu";
        a["layers"]![0]!["slope"] = 0.125;
        string shallow = Path.Combine(Dir, "shallow.json");
        File.WriteAllText(shallow, a.ToJsonString());
        var (cert, err) = Equiv(1, shallow, "--eps", Verifies);
        Assert.That(File.Exists(cert), Is.False);
        Assert.That(err, Does.Contain("certificate: none written").And.Contain("differ in architecture and cannot be merged exactly"));
    }
}
