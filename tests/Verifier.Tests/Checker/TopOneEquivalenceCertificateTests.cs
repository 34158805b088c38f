using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `equiv --top1 --certificate` then `check`, through the real command line, on net_4_50x3_2 (two classes) and its
/// float16 copy (every parameter rounded to the nearest half; one architecture, so the copy is f(·; θ + δ) with δ the
/// exact difference): agreement carries a split tree whose nodes bound both networks' margins of one class, a
/// disagreement the point where the exact argmax sets are disjoint; tampering with a margin, the class, the second
/// network or the point is rejected with the reason; an unknown answer writes none.
/// </summary>
[NonParallelizable]
public class TopOneEquivalenceCertificateTests : CertificateFolderTests
{
    private string _first = "", _second = "";

    [SetUp]
    public void CopyNetworks() => (_first, _second) = CopyNet4AndItsFloat16Copy();

    /// <summary>Around x = (−0.68, 0.53, 0.77, −0.38) class 0 leads by about 3.5 in both networks: agreement on the
    /// cube of radius 0.3 after a few bisections (the root's margins do not prove it), on radius 0.02 at the root.
    /// [−1, 1]⁴ contains points where the classes differ.</summary>
    private static readonly string[] AgreeBox = ["--lo", "-0.98,0.23,0.47,-0.68", "--hi", "-0.38,0.83,1.07,-0.08"];
    private static readonly string[] SmallBox = ["--lo", "-0.7,0.51,0.75,-0.4", "--hi", "-0.66,0.55,0.79,-0.36"];

    private (string Cert, string Err) Equiv(int expectExit, string[] box, string timeout = "30", string? second = null)
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, _, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", second ?? _second, .. box, "--top1",
            "--timeout", timeout, "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(expectExit), err);
        return (cert, err);
    }

    private string Agreement()
    {
        string cert = Equiv(0, AgreeBox).Cert;
        var o = Load(cert);
        Assert.That(o["perturbation"]!["kind"]!.GetValue<string>(), Is.EqualTo("network"));
        Assert.That(o["top1"]!["class"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(o["nodes"]!.AsArray(), Has.Count.GreaterThan(1), "the margins need bisections on this box");
        return cert;
    }

    /// <summary>The root alone proves agreement on a small box: a one-node certificate.</summary>
    [Test]
    public void AgreementAtTheRootIsOneNode()
    {
        string cert = Equiv(0, SmallBox).Cert;
        Assert.That(Load(cert)["nodes"]!.AsArray(), Has.Count.EqualTo(1));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("class 0 is the unique top class of both"));
    }

    private string Disagreement()
    {
        string cert = Equiv(1, ["--lo", "-1", "--hi", "1"]).Cert;
        Assert.That(Load(cert)["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        return cert;
    }

    [Test]
    public void AgreementChecks()
    {
        var (code, output) = Check(Agreement());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("the networks agree on the top class on the whole box: class 0 is the unique top class of both"));
    }

    [Test]
    public void RaisedLeafMarginOfTheSecondNetworkIsRejected()
    {
        var o = Load(Agreement());
        var nodes = Leaf(o, out int leaf);
        var margin = nodes[leaf]!["margin"]!.AsArray();
        margin[1] = margin[1]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"node {leaf} (a leaf)").And.Contain("class 1: its margin").And.Contain("above the exact bound"));
    }

    [Test]
    public void RaisedLeafMarginOfTheFirstNetworkIsRejected()
    {
        var o = Load(Agreement());
        var nodes = Leaf(o, out int leaf);
        var margin = nodes[leaf]!["nominalMargin"]!.AsArray();
        margin[1] = margin[1]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"node {leaf} (a leaf)").And.Contain("class 1: its nominal margin").And.Contain("above the exact bound"));
    }

    [Test]
    public void ClaimAboveALeafIsRejected()
    {
        var o = Load(Agreement());
        var margin = o["top1"]!["nominalMargin"]!.AsArray();
        margin[1] = margin[1]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("top1.nominalMargin[1]").And.Contain("is above leaf"));
    }

    /// <summary>Without the first network's margins the tree only says something about the second network.</summary>
    [Test]
    public void MissingFirstNetworkMarginsAreRejected()
    {
        var o = Load(Agreement());
        o["top1"]!.AsObject().Remove("nominalMargin");
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("agreement needs the first network's margins"));
    }

    [Test]
    public void AnotherClassIsRejected()
    {
        var o = Load(Agreement());
        o["top1"]!["class"] = 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("class 1 is not the nominal network's top class"));
    }

    [Test]
    public void ChangedSecondNetworkIsRejectedAndACopyIsAccepted()
    {
        ChangedSecondNetworkIsRejectedAndACopyIsAcceptedIn(Agreement(), _second);
    }

    [Test]
    public void DisagreementReplaysOnBothNetworks()
    {
        string cert = Disagreement();
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the disagreement replays exactly").And.Contain("do not agree"));

        // θ′ must be the second network: the first one itself (δ = 0) is not the admissible δ.
        var first = Load(cert);
        first["witness"]!["perturbed"] = Load(_first);
        var (code2, output2) = Check(Save(first));
        Assert.That(code2, Is.EqualTo(1));
        Assert.That(output2, Does.Contain("is outside the admissible box"));

        // A point where both networks pick class 0 is no disagreement.
        var agree = Load(cert);
        var x = new JsonArray(-0.68, 0.53, 0.77, -0.38);
        agree["witness"]!["x"] = x;
        agree["top1"]!["at"] = x.DeepClone();
        agree["top1"]!["class"] = 0;
        agree["witness"]!["output"] = 1;
        var (code3, output3) = Check(Save(agree));
        Assert.That(code3, Is.EqualTo(1));
        Assert.That(output3, Does.Contain("class 1 is not a top class of the second network at x"));
        agree["witness"]!["output"] = 0;
        var (code4, output4) = Check(Save(agree));
        Assert.That(code4, Is.EqualTo(1));
        Assert.That(output4, Does.Contain("class 0 is a top class of both networks at x: they agree there"));
    }

    /// <summary>Top-1 agreement under floating-point execution is not decided at all yet, so it has no certificate either.</summary>
    /// <summary>Hidden neurons 0 and 1 of the first layer swapped and neuron 2 rescaled by 4: the copy computes the same
    /// function, so the top classes agree on all of [−1, 1]⁴ (where the float16 copy disagrees somewhere). The certificate
    /// is the recorded alignment; check proves it entry by entry and says that agreement follows; a wrong permutation or
    /// a class that is not the first network's top class at the recorded point is rejected.</summary>
    [Test]
    public void PermutedRescaledCopyAgreesByItsAlignment()
    {
        var a = Load(_first);
        var layers = a["layers"]!.AsArray();
        var w1 = layers[0]!["W"]!.AsArray(); var b1 = layers[0]!["b"]!.AsArray();
        (w1[0], w1[1]) = (w1[1]!.DeepClone(), w1[0]!.DeepClone());
        (b1[0], b1[1]) = (b1[1]!.DeepClone(), b1[0]!.DeepClone());
        w1[2] = new JsonArray(w1[2]!.AsArray().Select(v => (JsonNode)(4 * v!.GetValue<double>())).ToArray());
        b1[2] = 4 * b1[2]!.GetValue<double>();
        foreach (var row in layers[1]!["W"]!.AsArray().Select(r => r!.AsArray()))
        {
            (row[0], row[1]) = (row[1]!.DeepClone(), row[0]!.DeepClone());
            row[2] = row[2]!.GetValue<double>() / 4;
        }
        string permuted = Path.Combine(Dir, "permuted.json");
        File.WriteAllText(permuted, a.ToJsonString());
        var (cert, _) = Equiv(0, ["--lo", "-1", "--hi", "1"], second: permuted);
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("symmetric"));
        Assert.That(o["top1"], Is.Not.Null);
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the two compute the same function").And.Contain("the networks agree on the top class at every x"));

        var swapped = Load(cert);
        var perm = swapped["symmetry"]!["permutation"]![0]!.AsArray();
        (perm[0], perm[1]) = (perm[1]!.DeepClone(), perm[0]!.DeepClone());
        var (code1, output1) = Check(Save(swapped));
        Assert.That(code1, Is.EqualTo(1), output1);
        Assert.That(output1, Does.Contain("layer 1, ").And.Not.Contain("agree"));

        var otherClass = Load(cert);
        int c = otherClass["top1"]!["class"]!.GetValue<int>();
        otherClass["top1"]!["class"] = 1 - c;
        var (code2, output2) = Check(Save(otherClass));
        Assert.That(code2, Is.EqualTo(1), output2);
        Assert.That(output2, Does.Contain($"top1: class {1 - c} is not the nominal network's top class"));
    }

    /// <summary>The second network's output biases both raised by 0.5: the same class everywhere, so no disagreement
    /// exists, but the margins vanish on the class boundary inside [−1, 1]⁴, so agreement cannot be proven either.</summary>
    [Test]
    public void UnknownAnswerWritesNone()
    {
        var b = Load(_first);
        var bias = b["layers"]!.AsArray()[^1]!["b"]!.AsArray();
        for (int i = 0; i < bias.Count; i++) bias[i] = bias[i]!.GetValue<double>() + 0.5;
        string shifted = Path.Combine(Dir, "shifted.json");
        File.WriteAllText(shifted, b.ToJsonString());
        var (cert, err) = Equiv(2, ["--lo", "-1", "--hi", "1"], timeout: "2", second: shifted);
        Assert.That(File.Exists(cert), Is.False);
        Assert.That(err, Does.Contain("certificate: none written (the answer is timeout, which proves nothing)"));
    }
}
