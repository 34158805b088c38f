using System.Text.Json.Nodes;

namespace Verify.Tests.Checker;

/// <summary>
/// `equiv --top1 --execution F --certificate` then `check`, through the real command line, on net_4_50x3_2 and its
/// float16 copy on a small box where both lead with class 0: the certificate is the first network's certify
/// `--top1 --execution F` certificate with the second's embedded under "pairTopOneExecution", and `check` checks both
/// in full, their files, format, box and class. Changing a class, removing the part, changing a format or the box,
/// lowering a margin or editing the second network file is rejected with the reason; both networks certified with
/// different classes is a disagreement everywhere; an unknown answer writes none.
/// </summary>
[NonParallelizable]
public class PairTopOneExecutionCertificateTests : CertificateFolderTests
{
    private string _first = "", _second = "";
    private static readonly string[] Box = ["--lo", "-0.73,0.48,0.72,-0.43", "--hi", "-0.63,0.58,0.82,-0.33"];

    [SetUp]
    public void CopyNetworks() => (_first, _second) = CopyNet4AndItsFloat16Copy();

    private (string Cert, string Out) Equiv(int expectExit, string format = "float32", string? second = null, string timeout = "20")
    {
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        var (code, stdout, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", second ?? _second, .. Box, "--top1",
            "--execution", format, "--timeout", timeout, "--quiet", "--certificate", cert]);
        Assert.That(code, Is.EqualTo(expectExit), stdout + err);
        return (cert, stdout + err);
    }

    private JsonObject Agreement()
    {
        var o = Load(Equiv(0).Cert);
        Assert.That(o["top1"]!["class"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(o["perturbation"]!["execution"]!.GetValue<string>(), Is.EqualTo("float32"));
        var second = o["pairTopOneExecution"]!["second"]!;
        Assert.That(o["pairTopOneExecution"]!["format"]!.GetValue<string>(), Is.EqualTo("float32"));
        Assert.That(second["top1"]!["class"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(second["network"]!["path"]!.GetValue<string>(), Is.EqualTo(_second));
        Assert.That(o["network"]!["path"]!.GetValue<string>(), Is.EqualTo(_first));
        foreach (var part in new[] { o, second.AsObject() })
            Assert.That(part["perturbation"]!["eps"]!.AsArray().Select(e => e!.GetValue<double>()), Is.All.EqualTo(0.0), "no user perturbation");
        return o;
    }

    [TestCase("float32"), TestCase("float16")]
    public void AgreementChecksBothPartsAndSaysSoAsExecuted(string format)
    {
        var (cert, _) = Equiv(0, format);
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("second network " + _second)
            .And.Contain($"the networks agree on the top class on the whole box as executed in {format}: class 0 is the unique top class"));
    }

    [Test]
    public void AChangedClassIsRejectedInEitherPart()
    {
        var o = Agreement();
        o["pairTopOneExecution"]!["second"]!["top1"]!["class"] = 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairTopOneExecution.second: top1: class 1 is not the nominal network's top class"));

        var p = Agreement();
        p["top1"]!["class"] = 1;
        var (code2, output2) = Check(Save(p));
        Assert.That(code2, Is.EqualTo(1), output2);
        Assert.That(output2, Does.StartWith("invalid: first network: top1: class 1 is not the nominal network's top class"));
    }

    [Test]
    public void ARemovedPartIsRejected()
    {
        var o = Agreement();
        o["pairTopOneExecution"]!.AsObject().Remove("second");
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairTopOneExecution.second: the second network's top-1 execution part is missing"));
    }

    [Test]
    public void AChangedFormatIsRejected()
    {
        var o = Agreement();
        o["pairTopOneExecution"]!["format"] = "float16";
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: the first network's part covers float32 evaluations, pairTopOneExecution claims float16"));

        var p = Agreement();
        p["pairTopOneExecution"]!["second"]!["perturbation"]!["execution"] = "bfloat16";
        var (code2, output2) = Check(Save(p));
        Assert.That(code2, Is.EqualTo(1), output2);
        Assert.That(output2, Does.StartWith("invalid: pairTopOneExecution.second covers bfloat16 evaluations, the pair claims float32"));
    }

    [Test]
    public void ASecondPartOnAnotherBoxIsRejected()
    {
        var o = Agreement();
        var lower = o["pairTopOneExecution"]!["second"]!["box"]!["lower"]!.AsArray();
        lower[0] = lower[0]!.GetValue<double>() + 0.01;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairTopOneExecution.second: its box is not the first network's box"));
    }

    [Test]
    public void ALoweredMarginOfTheSecondIsRejected()
    {
        var o = Agreement();
        var margin = o["pairTopOneExecution"]!["second"]!["nodes"]![0]!["margin"]!.AsArray();
        margin[1] = margin[1]!.GetValue<double>() + 1;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairTopOneExecution.second: node 0"));
    }

    [Test]
    public void AChangedSecondNetworkFileIsRejectedAndACopyIsAccepted()
    {
        string cert = Save(Agreement());
        string copy = Path.Combine(Dir, "copy-of-b.json");
        File.Copy(_second, copy);
        var b = Load(_second);
        var w = b["layers"]![1]!["W"]![0]!.AsArray();
        w[0] = w[0]!.GetValue<double>() + 0.125;
        File.WriteAllText(_second, b.ToJsonString());
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.StartWith("invalid: pairTopOneExecution.second: network file changed"));
        var (code2, output2) = Check(cert, "--net2", copy);
        Assert.That(code2, Is.EqualTo(0), output2);
        Assert.That(output2, Does.Contain("second network " + copy));
    }

    /// <summary>The second network with its output rows swapped: class 1 on the whole box in every float32 evaluation.</summary>
    [Test]
    public void DifferentCertifiedClassesAreADisagreementEverywhere()
    {
        var b = Load(_second);
        var last = b["layers"]!.AsArray()[^1]!;
        var rows = last["W"]!.AsArray();
        var (r0, r1) = (rows[0]!.DeepClone(), rows[1]!.DeepClone());
        rows[0] = r1; rows[1] = r0;
        var bias = last["b"]!.AsArray();
        var (b0, b1) = (bias[0]!.GetValue<double>(), bias[1]!.GetValue<double>());
        bias[0] = b1; bias[1] = b0;
        string swapped = Path.Combine(Dir, "swapped.json");
        File.WriteAllText(swapped, b.ToJsonString());
        var (cert, printed) = Equiv(1, second: swapped);
        Assert.That(printed, Does.Contain("they disagree everywhere"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the networks disagree on the top class at every point of the box as executed in float32"));
    }

    /// <summary>bfloat16's rounding of 50-term sums leaves no positive margin on this box: unknown, no certificate.</summary>
    [Test]
    public void UnknownAnswerWritesNoneAndNamesTheSides()
    {
        var (cert, output) = Equiv(2, "bfloat16", timeout: "4");
        Assert.That(File.Exists(cert), Is.False);
        Assert.That(output, Does.Contain("certificate: none written (the answer is unknown").And.Contain("the first network's margins are not certified positive"));
    }

    /// <summary>--json: the two sides' certify --top1 answers under "execution"; no deviation bound is claimed.</summary>
    [Test]
    public void JsonHoldsBothSides()
    {
        string json = Path.Combine(Dir, "r.json");
        var (code, stdout, err) = CliRunner.Run(["equiv", "--net", _first, "--net2", _second, .. Box, "--top1", "--execution", "float16",
            "--timeout", "20", "--quiet", "--json", json]);
        Assert.That(code, Is.EqualTo(0), stdout + err);
        var o = Load(json);
        Assert.That(o["verdict"]!.GetValue<string>(), Is.EqualTo("verified"));
        Assert.That(o["mode"]!.GetValue<string>(), Is.EqualTo("top1"));
        Assert.That(o["upper"], Is.Null);
        var e = o["execution"]!;
        Assert.That(e["format"]!.GetValue<string>(), Is.EqualTo("float16"));
        foreach (var side in new[] { "first", "second" })
        {
            Assert.That(e[side]!["verdict"]!.GetValue<string>(), Is.EqualTo("verified"));
            Assert.That(e[side]!["class"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(e[side]!["worstMarginLower"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(e[side]!["perturbation"]!["execution"]!.GetValue<string>(), Is.EqualTo("float16"));
        }
        Assert.That(e["first"]!["network"]!["path"]!.GetValue<string>(), Is.EqualTo(_first));
        Assert.That(e["second"]!["network"]!["path"]!.GetValue<string>(), Is.EqualTo(_second));
        Assert.That(stdout, Does.Contain("class 0 is the unique top class of every float16 evaluation of both networks"));
    }

    /// <summary>The second network's class-1 bias raised to tie its outputs at the box centre: its class changes inside
    /// the box, and the sequential float32 evaluations of the two disagree somewhere. Falsified, with no certificate.</summary>
    [Test]
    public void ADisagreementOfOneEmulatedOrderIsFalsifiedWithoutCertificate()
    {
        var net = Verify.Io.NetworkFiles.Read(_second);
        var y = net.Evaluate(Enumerable.Range(0, 4).Select(k => (double.Parse(Box[1].Split(',')[k]) + double.Parse(Box[3].Split(',')[k])) / 2).ToArray());
        var b = Load(_second);
        var bias = b["layers"]!.AsArray()[^1]!["b"]!.AsArray();
        bias[1] = bias[1]!.GetValue<double>() + (y[0] - y[1]);
        string tied = Path.Combine(Dir, "tied.json");
        File.WriteAllText(tied, b.ToJsonString());
        var (cert, output) = Equiv(1, second: tied, timeout: "10");
        Assert.That(File.Exists(cert), Is.False);
        Assert.That(output, Does.Contain("sequential float32 evaluations").And.Contain("witness x = ")
            .And.Contain("certificate: none written (a disagreement of one emulated summation order is not certified"));
    }

    [Test]
    public void EpsAndTopOneStillExcludeEachOther() =>
        CliRunner.Fails(64, ["equiv", "--net", _first, "--net2", _second, .. Box, "--top1", "--eps", "0.1", "--execution", "float32"],
            "give exactly one of --eps E and --top1");
}
