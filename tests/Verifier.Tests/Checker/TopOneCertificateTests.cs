using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `certify --top1 --certificate` then `check`, through the real command line, on 5-50×6-5 (five classes): verified
/// answers carry margin split trees that check, falsified ones a flip that replays, and tampering with a margin, the
/// class or the flip is rejected with the reason. Also `--eps-of-range` and norm-ball certificates of plain certify.
/// </summary>
[NonParallelizable]
public class TopOneCertificateTests : CertificateFolderTests
{
    // A box around x = (0.1, 0.2, −0.3, 0.4, 0.5) where class 3 is certified only after splitting.
    private static readonly string[] SplitBox = ["--lo", "0.08,0.18,-0.32,0.38,0.48", "--hi", "0.12,0.22,-0.28,0.42,0.52"];

    private string Run(int expectExit, params string[] args)
    {
        string net = Path.Combine(Dir, "net.json");
        if (!File.Exists(net)) File.Copy(TestData.Path("net_5_50x6_5.json"), net);
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, _, err) = CliRunner.Run(["certify", "--net", net, .. args, "--certificate", cert, "--timeout", "30"]);
        Assert.That(code, Is.EqualTo(expectExit), err);
        return cert;
    }



    private string VerifiedWithSplits()
    {
        string cert = Run(0, ["--top1", .. SplitBox, "--eps", "1e-4", "--method", "auto"]);
        Assert.That(Load(cert)["nodes"]!.AsArray(), Has.Count.GreaterThan(1), "the margins need splitting on this box");
        return cert;
    }

    [Test]
    public void VerifiedSplitTreeChecksAndCertifiesTheClass()
    {
        var (code, output) = Check(VerifiedWithSplits());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("class 3 is the unique top class on the whole box"));
    }

    [Test]
    public void VerifiedFixedInputChecks()
    {
        string cert = Run(0, "--top1", "--x", "0.1,0.2,-0.3,0.4,0.5", "--eps", "3e-4", "--method", "linear");
        var top = Load(cert)["top1"]!;
        Assert.That(top["class"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(top["margin"]!.AsArray().Where((_, j) => j != 3).Min(v => v!.GetValue<double>()), Is.GreaterThan(0));
        Assert.That(Check(cert).Code, Is.EqualTo(0));
    }

    [Test]
    public void RaisedLeafMarginIsRejected()
    {
        var o = Load(VerifiedWithSplits());
        var nodes = Leaf(o, out int leaf);
        var margin = nodes[leaf]!["margin"]!.AsArray();
        margin[0] = margin[0]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"node {leaf} (a leaf)").And.Contain("class 0: its margin").And.Contain("above the exact bound"));
    }

    [Test]
    public void ClaimAboveALeafIsRejected()
    {
        var o = Load(VerifiedWithSplits());
        var margin = o["top1"]!["margin"]!.AsArray();
        margin[2] = margin[2]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("top1.margin[2]").And.Contain("is above leaf"));
    }

    [Test]
    public void AnotherClassIsRejected()
    {
        var o = Load(VerifiedWithSplits());
        o["top1"]!["class"] = 2;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("class 2 is not the nominal network's top class"));
    }

    [Test]
    public void FlipReplaysAndATamperedFlipIsRejected()
    {
        string cert = Run(1, "--top1", "--x", "0.1,0.2,-0.3,0.4,0.5", "--eps", "3e-3", "--method", "linear");
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the flip replays exactly"));

        var nominal = Load(cert);
        nominal["witness"]!["perturbed"] = Load(Path.Combine(Dir, "net.json")); // δ = 0: no flip at x
        var (code2, output2) = Check(Save(nominal));
        Assert.That(code2, Is.EqualTo(1));
        Assert.That(output2, Does.Contain("the class does not change"));

        var outside = Load(cert);
        outside["witness"]!["x"]![0] = 0.2;
        var (code3, output3) = Check(Save(outside));
        Assert.That(code3, Is.EqualTo(1));
        Assert.That(output3, Does.Contain("x[0] lies outside the box"));
    }

    [Test]
    public void UnknownAnswerWritesNoCertificate()
    {
        string cert = Run(2, ["--top1", .. SplitBox, "--eps", "1e-4", "--method", "linear"]);
        Assert.That(File.Exists(cert), Is.False);
    }

    [Test]
    public void EpsOfRangeCertificateChecksAndItsRadiusIsRecomputed()
    {
        string cert = Run(0, "--x", "0.1,0.2,-0.3,0.4,0.5", "--eps-of-range", "0.001", "--layers", "2", "--method", "linear", "--top1");
        Assert.That(Check(cert).Code, Is.EqualTo(0));
        var o = Load(cert);
        // The checker rebuilds the set from P and the network's own weight range: a ten times larger P no longer
        // implies the recorded enclosures.
        o["perturbation"]!["eps"]![0] = 0.01;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
    }

    /// <summary>The bounders use a norm ball's dual norm, and so do the certificate's nodes (the checker re-derives it):
    /// it checks, with a claim at least the engine's.</summary>
    [Test]
    public void NormBallCertificateOnABoxChecks()
    {
        string cert = Run(0, "--lo", "-0.1", "--hi", "0.1", "--layer-noise", "3", "--norm", "fro", "--ratio", "0.01", "--method", "auto", "--max-splits", "6");
        var o = Load(cert);
        var upper = o["upper"]!.AsArray().Select(v => v!.GetValue<double>());
        var engine = o["engineUpper"]!.AsArray().Select(v => v!.GetValue<double>());
        Assert.That(upper.Zip(engine).All(p => p.First >= p.Second));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
    }
}
