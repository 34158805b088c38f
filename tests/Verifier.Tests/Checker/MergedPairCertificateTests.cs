using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `equiv --certificate` for networks of different architectures, through the real command line: net_2_16_16_1 against
/// its pruned copy (2-13-16-1). The certificate is about the merged pair, which the checker builds itself from the two
/// files (Checker/MergedNetworks); a verified answer checks with a split tree, a falsified one replays with θ′ = the
/// merged second. A merge in the other order, an unmerged claim, a changed second file, a lowered leaf bound and θ′ = the
/// unmerged second file are rejected with the reason.
/// </summary>
[NonParallelizable]
public class MergedPairCertificateTests : CertificateFolderTests
{
    private string _first = "", _second = "";

    [SetUp]
    public void CopyNetworks()
    {
        File.Copy(TestData.Path("net_2_16_16_1.json"), _first = Path.Combine(Dir, "a.json"));
        File.Copy(TestData.Path("net_2_16_16_1_pruned.json"), _second = Path.Combine(Dir, "pruned.json"));
    }

    /// <summary>On [0.1, 0.3]² the pair differs by about 0.109 and is within 0.12 after a few bisections.</summary>
    private static readonly string[] Box = ["--lo", "0.1", "--hi", "0.3"];

    private string Equiv(int expectExit, string eps, string? first = null, string? second = null)
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, stdout, err) = CliRunner.Run(["equiv", "--net", first ?? _first, "--net2", second ?? _second, .. Box, "--eps", eps,
            "--timeout", "20", "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(expectExit), stdout + err);
        return cert;
    }

    private string Verified(string? first = null, string? second = null)
    {
        string cert = Equiv(0, "0.12", first, second);
        var o = Load(cert);
        Assert.That(o["perturbation"]!["merged"]!.GetValue<bool>(), Is.True);
        Assert.That(o["nodes"]!.AsArray(), Has.Count.GreaterThan(1), "ε = 0.12 needs bisections on this box");
        return cert;
    }

    [Test]
    public void VerifiedMergedPairChecksAndProvesEps()
    {
        var (code, output) = Check(Verified());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("checked on the checker's own merged pair")
            .And.Contain("equivalent within ε = 0.12"));
    }

    [Test]
    public void LoweredLeafBoundIsRejected() => LoweredLeafBoundIsRejectedIn(Verified());

    [Test]
    public void ChangedSecondNetworkIsRejectedAndACopyIsAccepted() =>
        ChangedSecondNetworkIsRejectedAndACopyIsAcceptedIn(Verified(), _second);

    /// <summary>Without the merged flag the two files are taken as one architecture, which they are not.</summary>
    [Test]
    public void AnUnmergedClaimIsRejected()
    {
        var o = Load(Verified());
        o["perturbation"]!.AsObject().Remove("merged");
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("layer 1 of the second network differs in shape or activation from the first's"));
    }

    /// <summary>The engine merged (pruned, full) — the blocks in the other order — and the certificate is relabelled as
    /// being about (full, pruned): the checker's own merge puts the first network's block first, so the recorded
    /// enclosures are not about its merged network.</summary>
    [Test]
    public void AWrongMergeIsRejected()
    {
        var o = Load(Verified(first: _second, second: _first));
        var network = o["network"]!.DeepClone();
        o["network"]!["path"] = o["perturbation"]!["path"]!.GetValue<string>();
        o["network"]!["sha256"] = o["perturbation"]!["sha256"]!.GetValue<string>();
        o["perturbation"]!["path"] = network["path"]!.GetValue<string>();
        o["perturbation"]!["sha256"] = network["sha256"]!.GetValue<string>();
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: node 0:"));
    }

    [Test]
    public void WitnessReplaysWithTheMergedSecond()
    {
        string cert = Equiv(1, "0.1");
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the witness replays exactly").And.Contain("differ by more than ε = 0.1"));

        // θ′ must be the checker's merged second exactly; the pruned file itself has another architecture.
        o["witness"]!["perturbed"] = Load(_second);
        var (code2, output2) = Check(Save(o));
        Assert.That(code2, Is.EqualTo(1), output2);
        Assert.That(output2, Does.Contain("witness: layer 1 of the perturbed network differs in shape"));
    }
}
