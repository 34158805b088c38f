using System.Text.Json.Nodes;
using Verify.Checker;

namespace Verify.Tests.Checker;

/// <summary>
/// `certify --certificate` then `check`, through the real command line: certificates of the bundled examples check,
/// tampered ones are rejected with the reason, and the checker's exact recomputation stays below the engine's
/// outward-rounded numbers (and close to them).
/// </summary>
[NonParallelizable]
public class CertificateCheckTests : CertificateFolderTests
{
    private static readonly string[] SmallQuery = ["--lo", "-1", "--hi", "1", "--eps", "1e-3", "--timeout", "20"];

    /// <summary>Certifies net_2_16_16_1 (copied into the temp folder, so tampering with it touches nothing else).</summary>
    private string Certify(params string[] extra)
    {
        string net = Path.Combine(Dir, "net.json");
        if (!File.Exists(net)) File.Copy(TestData.Path("net_2_16_16_1.json"), net);
        string cert = Path.Combine(Dir, $"cert-{Guid.NewGuid():N}.json");
        // A norm ball replaces --eps.
        var query = extra.Contains("--layer-noise") ? SmallQuery.Where(a => a is not "--eps" and not "1e-3") : SmallQuery;
        var (code, _, err) = CliRunner.Run(["certify", "--net", net, .. query, "--certificate", cert, .. extra]);
        Assert.That(code, Is.AnyOf(0, 1, 2), err);
        Assert.That(File.Exists(cert), err);
        return cert;
    }



    [TestCase("ibp")]
    [TestCase("linear")]
    [TestCase("auto")]
    public void CertificateOfEachMethodChecks(string method)
    {
        string cert = Certify("--method", method, "--max-splits", "40");
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:"));
        var o = Load(cert);
        if (method == "auto") Assert.That(o["nodes"]!.AsArray(), Has.Count.GreaterThan(40), "a split tree: the root, 40 bisections, 41 leaves");
        // The claim covers the engine's own answer.
        var upper = o["upper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var engine = o["engineUpper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.That(upper.Zip(engine).All(p => p.First >= p.Second));
    }

    [Test]
    public void RelativeAndLayerMaskedPerturbationsCheck()
    {
        string cert = Certify("--method", "auto", "--max-splits", "10", "--relative", "--layers", "1,3", "--weights-only");
        Assert.That(Check(cert).Code, Is.EqualTo(0));
    }

    [TestCase("fro", null)]
    [TestCase("spectral", null)]
    [TestCase("spectral", "0.001")]
    public void NormBallCertificatesCheck(string norm, string? threshold)
    {
        string[] extra = ["--method", "auto", "--max-splits", "10", "--layer-noise", "2", "--norm", norm, "--ratio", "0.01"];
        string cert = Certify(threshold is null ? extra : [.. extra, "--threshold", threshold]);
        Assert.That(Load(cert)["outcome"]!.GetValue<string>(), Is.EqualTo(threshold is null ? "bounded" : "falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
    }

    /// <summary>Leaky ReLU, an identity hidden layer and a ReLU on the last hidden layer: every kink the checker knows.</summary>
    [Test]
    public void LeakyAndIdentityLayersCheck()
    {
        string net = Path.Combine(Dir, "leaky.json");
        File.WriteAllText(net, """
            {"layers": [
             {"W": [[1, -0.5], [0.7, 1], [-1, 0.3]], "b": [0.1, -0.2, 0.05], "activation": "leaky_relu", "slope": 0.1},
             {"W": [[1, 3, -1], [0.5, -2, 1]], "b": [0, 0.1], "activation": "identity"},
             {"W": [[1, -1], [0.25, 2]], "b": [0.3, 0], "activation": "relu"},
             {"W": [[1, 2]], "b": [0], "activation": "identity"}]}
            """);
        string cert = Path.Combine(Dir, "leaky-cert.json");
        var (code, _, err) = CliRunner.Run("certify", "--net", net, "--lo", "-1", "--hi", "1", "--eps", "0.01", "--method", "auto",
            "--max-splits", "30", "--certificate", cert);
        Assert.That(code, Is.EqualTo(0), err);
        var (checkCode, output) = Check(cert);
        Assert.That(checkCode, Is.EqualTo(0), output);
    }

    /// <summary>The re-bounded tree is the search's own (its recorded bisection dimensions), so its leaves reproduce the
    /// engine's bounds and the claim is the engine's U (it was 2 % above it at 200 bisections on ACAS Xu, and 4× at 1,375,
    /// when the tree was rebuilt from the leaves alone).</summary>
    [Test]
    public void ClaimOfADeepSplitTreeIsTheEnginesU()
    {
        string cert = Path.Combine(Dir, "acas-deep.json");
        var (code, _, err) = CliRunner.Run("certify", "--net", TestData.Path("ACASXU_run2a_1_1_batch_2000.nnet"), "--box-file",
            TestData.Path("acasxu_prop1_box.json"), "--eps", "1e-3", "--method", "auto", "--max-splits", "200", "--timeout", "120",
            "--attack-restarts", "0", "--certificate", cert);
        Assert.That(code, Is.EqualTo(0), err);
        var o = Load(cert);
        var upper = o["upper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var engine = o["engineUpper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.That(o["nodes"]!.AsArray(), Has.Count.EqualTo(401));
        Assert.That(upper, Is.EqualTo(engine));
    }

    [Test]
    public void AcasCertificateChecks()
    {
        string cert = Path.Combine(Dir, "acas.json");
        var (code, _, err) = CliRunner.Run("certify", "--net", TestData.Path("ACASXU_run2a_1_1_batch_2000.nnet"), "--box-file",
            TestData.Path("acasxu_prop1_box.json"), "--eps", "1e-4", "--method", "linear", "--attack-restarts", "1", "--certificate", cert);
        Assert.That(code, Is.EqualTo(0), err);
        var (checkCode, output) = Check(cert);
        Assert.That(checkCode, Is.EqualTo(0), output);
    }

    [Test]
    public void ExactRecomputationIsBelowTheEngineAndCloseToIt()
    {
        string cert = Certify("--method", "auto", "--max-splits", "20");
        var report = CertificateChecker.Check(cert);
        Assert.That(report.Valid, report.Message);
        var o = Load(cert);
        var nodes = o["nodes"]!.AsArray();
        var parents = nodes.Select(n => n!["parent"]!.GetValue<int>()).ToHashSet();
        var leafBounds = Enumerable.Range(0, nodes.Count).Where(i => !parents.Contains(i))
            .Select(i => nodes[i]!["bound"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
        Assert.That(report.LeafExact, Has.Count.EqualTo(leafBounds.Count));
        for (int i = 0; i < leafBounds.Count; i++)
            for (int j = 0; j < leafBounds[i].Length; j++)
            {
                double engine = leafBounds[i][j], exact = report.LeafExact![i][j];
                // exact is rounded up to a double here, so ≤ holds for the exact value too.
                Assert.That(exact, Is.LessThanOrEqualTo(engine), $"leaf {i} output {j}");
                // The engine's allowance for rounding is tiny next to the bound itself.
                Assert.That(engine - exact, Is.LessThanOrEqualTo(1e-9 * engine + 1e-15), $"leaf {i} output {j}: engine {engine:R}, exact {exact:R}");
            }
    }

    [Test]
    public void LoweredLeafBoundIsRejected()
    {
        LoweredLeafBoundIsRejectedIn(Certify("--method", "auto", "--max-splits", "10"));
    }

    [Test]
    public void LoweredClaimIsRejected()
    {
        var o = Load(Certify("--method", "linear"));
        var upper = o["upper"]!.AsArray();
        upper[0] = upper[0]!.GetValue<double>() * 0.99;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("upper[0]").And.Contain("is below leaf 0's bound"));
    }

    [Test]
    public void RemovedLeafIsRejected()
    {
        var o = Load(Certify("--method", "auto", "--max-splits", "10"));
        var nodes = Leaf(o, out int leaf);
        nodes.RemoveAt(leaf);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("the leaves do not cover the box"));
    }

    [Test]
    public void ChangedSlopeIsRejected()
    {
        var o = Load(Certify("--method", "linear"));
        // An unstable neuron of layer 1: its upper plane of h is the chord, with a slope strictly between 0 and 1.
        var planes = o["nodes"]![0]!["layers"]![0]!["planes"]!;
        var slopes = planes["hUa"]!.AsArray();
        int j = Enumerable.Range(0, slopes.Count).First(i => slopes[i]!.GetValue<double>() is > 0 and < 1);
        slopes[j] = slopes[j]!.GetValue<double>() * 0.5;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"node 0 (a leaf): layer 1 neuron {j}: the upper plane of h is below σ"));
    }

    [Test]
    public void TightenedEnclosureIsRejected()
    {
        var o = Load(Certify("--method", "linear"));
        var layer = o["nodes"]![0]!["layers"]![1]!;
        var zHi = layer["zHi"]!.AsArray(); var zLo = layer["zLo"]!.AsArray();
        double hi = zHi[0]!.GetValue<double>(), lo = zLo[0]!.GetValue<double>();
        zHi[0] = hi - 0.25 * (hi - lo);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("layer 2 neuron 0: the recorded zHi").And.Contain("is not implied"));
    }

    [Test]
    public void ChangedNetworkFileIsRejected()
    {
        string cert = Certify("--method", "linear");
        string net = Path.Combine(Dir, "net.json");
        var n = Load(net);
        var w = n["layers"]![0]!["W"]![0]!.AsArray();
        w[0] = w[0]!.GetValue<double>() + 1e-3;
        File.WriteAllText(net, n.ToJsonString());
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("network file changed"));
    }

    [Test]
    public void NetOptionOverridesTheRecordedPathAndIsHashed()
    {
        string cert = Certify("--method", "linear");
        Assert.That(Check(cert, "--net", TestData.Path("net_2_16_16_1.json")).Code, Is.EqualTo(0), "the same bytes elsewhere");
        var (code, output) = Check(cert, "--net", TestData.Path("net_4_50x3_2.json"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("network file changed"));
    }

    [Test]
    public void FalsifiedCertificateReplaysItsWitness()
    {
        string cert = Certify("--method", "linear", "--threshold", "0.01");
        var o = Load(cert);
        Assert.That(o["outcome"]!.GetValue<string>(), Is.EqualTo("falsified"));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the witness replays exactly"));

        o["witness"]!["value"] = 1.0; // more than the witness shows
        var (code2, output2) = Check(Save(o));
        Assert.That(code2, Is.EqualTo(1));
        Assert.That(output2, Does.Contain("below the claimed"));

        var moved = Load(cert);
        var w = moved["witness"]!["perturbed"]!["layers"]![0]!["W"]![0]!.AsArray();
        w[0] = w[0]!.GetValue<double>() + 0.01; // δ far outside ε = 1e-3
        var (code3, output3) = Check(Save(moved));
        Assert.That(code3, Is.EqualTo(1));
        Assert.That(output3, Does.Contain("outside the admissible box"));
    }

    [Test]
    public void MalformedCertificateIsExit65OnOneLine()
    {
        string bad = Path.Combine(Dir, "bad.json");
        File.WriteAllText(bad, "{ \"format\": \"verify-certificate\", ");
        CliRunner.Fails(65, ["check", bad], "bad.json", "malformed JSON");
        var o = Load(Certify("--method", "linear"));
        o.Remove("box");
        CliRunner.Fails(65, ["check", Save(o)], "certificate: \"box\" must be an object");
        CliRunner.Fails(65, ["check", Path.Combine(Dir, "missing.json")], "missing.json");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Verify.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Verify.sln) not found above the test assembly");
    }

    /// <summary>The certify regression instances that end in a verdict (not a usage or data error).</summary>
    public static IEnumerable<TestCaseData> RegressionInstances() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples", "regression"), "certify_*.json").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName("Certificate_" + Path.GetFileNameWithoutExtension(f)));

    [TestCaseSource(nameof(RegressionInstances))]
    public void RegressionInstanceCertificateChecks(string fileName)
    {
        string root = RepositoryRoot();
        var instance = Load(Path.Combine(root, "examples", "regression", fileName));
        var args = instance["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.That(instance["expectExit"]!.GetValue<int>(), Is.AnyOf(0, 1, 2), "only instances with a verdict are listed as certify_*");
        string cert = Path.Combine(Dir, "instance.json");
        args.AddRange(["--certificate", cert]);
        var oldDir = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = root;
            var (code, _, err) = CliRunner.Run(args.ToArray());
            Assert.That(code, Is.EqualTo(instance["expectExit"]!.GetValue<int>()), err);
            var (checkCode, output) = Check(cert);
            Assert.That(checkCode, Is.EqualTo(0), output);
        }
        finally { Environment.CurrentDirectory = oldDir; }
    }

}
