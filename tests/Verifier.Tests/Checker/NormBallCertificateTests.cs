using System.Text.Json.Nodes;
using Verify.Checker;

namespace Verify.Tests.Checker;

/// <summary>
/// Norm-ball certificates (`--layer-noise i --norm fro|spectral --ratio r`): the nodes are bounded with the ball's
/// dual-norm term, which the checker re-derives (Checker/BallTerm), so the claim is the engine's U; a spectral radius
/// from the Gram-power bound is confirmed exactly (Checker/SpectralRadius); tampering is rejected with the reason.
/// </summary>
[NonParallelizable]
public class NormBallCertificateTests : CertificateFolderTests
{
    private string Certify(string network, params string[] extra)
    {
        string net = Path.Combine(Dir, Path.GetFileName(network));
        if (!File.Exists(net)) File.Copy(network, net);
        string cert = Path.Combine(Dir, $"ball-{Guid.NewGuid():N}.json");
        var (code, _, err) = CliRunner.Run(["certify", "--net", net, "--timeout", "20", "--attack-restarts", "1", "--certificate", cert, .. extra]);
        Assert.That(code, Is.AnyOf(0, 1, 2), err);
        Assert.That(File.Exists(cert), err);
        return cert;
    }

    private string Small(string norm, string method, int layer = 2) => Certify(TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1",
        "--layer-noise", layer.ToString(), "--norm", norm, "--ratio", "0.01", "--method", method, "--max-splits", "10");

    private static double[] Numbers(JsonNode a) => a.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [TestCase("fro", "linear", 2)]
    [TestCase("fro", "auto", 2)]
    [TestCase("fro", "auto", 1)]
    [TestCase("spectral", "linear", 2)]
    [TestCase("spectral", "auto", 3)]
    public void BallCertificateClaimsTheEnginesUAndChecks(string norm, string method, int layer)
    {
        string cert = Small(norm, method, layer);
        var o = Load(cert);
        Assert.That(Numbers(o["upper"]!), Is.EqualTo(Numbers(o["engineUpper"]!)), "the leaves reproduce the engine's dual-norm bound");
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
    }

    /// <summary>The checker's exact dual-norm recomputation is at most every leaf's recorded (outward-rounded) bound and
    /// close to it.</summary>
    [TestCase("fro")]
    [TestCase("spectral")]
    public void ExactRecomputationIsBelowTheEngineAndCloseToIt(string norm)
    {
        string cert = Small(norm, "auto");
        var report = CertificateChecker.Check(cert);
        Assert.That(report.Valid, report.Message);
        var nodes = Load(cert)["nodes"]!.AsArray();
        var parents = nodes.Select(n => n!["parent"]!.GetValue<int>()).ToHashSet();
        var leafBounds = Enumerable.Range(0, nodes.Count).Where(i => !parents.Contains(i)).Select(i => Numbers(nodes[i]!["bound"]!)).ToList();
        Assert.That(report.LeafExact, Has.Count.EqualTo(leafBounds.Count));
        for (int i = 0; i < leafBounds.Count; i++)
        {
            double engine = leafBounds[i][0], exact = report.LeafExact![i][0];
            Assert.That(exact, Is.LessThanOrEqualTo(engine), $"leaf {i}");
            Assert.That(engine - exact, Is.LessThanOrEqualTo(1e-9 * engine + 1e-15), $"leaf {i}: engine {engine:R}, exact {exact:R}");
        }
    }

    /// <summary>At a fixed x of a deeper network (a point box: the tangent of ‖h′‖ is exact there).</summary>
    [Test]
    public void SpectralBallAtAPointChecks()
    {
        string cert = Certify(TestData.Path("net_5_50x6_5.json"), "--lo", "0.3,-0.2,0.5,0.1,-0.4", "--hi", "0.3,-0.2,0.5,0.1,-0.4",
            "--layer-noise", "3", "--norm", "spectral", "--ratio", "1e-3", "--method", "linear");
        var o = Load(cert);
        Assert.That(Numbers(o["upper"]!), Is.EqualTo(Numbers(o["engineUpper"]!)));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
    }

    /// <summary>ACAS Xu 1_1 on the property-1 box, a spectral ball on a 50 × 50 layer (its radius confirmed by elimination).</summary>
    [Test]
    public void AcasSpectralBallCertificateChecks()
    {
        string cert = Certify(TestData.Path("ACASXU_run2a_1_1_batch_2000.nnet"), "--box-file", TestData.Path("acasxu_prop1_box.json"),
            "--layer-noise", "4", "--norm", "spectral", "--ratio", "1e-3", "--method", "linear");
        var o = Load(cert);
        Assert.That(Numbers(o["upper"]!), Is.EqualTo(Numbers(o["engineUpper"]!)));
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
    }

    /// <summary>`--top1` margins through the ball's dual-norm term: the checker's backward pass of z′_j − z′_c uses it too.</summary>
    [Test]
    public void TopOneMarginsUnderASpectralBallCheck()
    {
        string net = Path.Combine(Dir, "net5.json");
        File.Copy(TestData.Path("net_5_50x6_5.json"), net);
        string cert = Path.Combine(Dir, "top1-ball.json");
        var (code, _, err) = CliRunner.Run("certify", "--top1", "--net", net, "--x", "0.1,0.2,-0.3,0.4,0.5", "--layer-noise", "3",
            "--norm", "spectral", "--ratio", "1e-3", "--method", "linear", "--certificate", cert);
        Assert.That(code, Is.EqualTo(0), err);
        var (checkCode, output) = Check(cert);
        Assert.That(checkCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("is the unique top class on the whole box for every admissible δ"));
    }

    [Test]
    public void LoweredLeafBoundIsRejected() => LoweredLeafBoundIsRejectedIn(Small("fro", "auto"));

    /// <summary>Layer 2 is the ball's: its Δz bound rests on the dual-norm term, a quarter tighter is not implied.</summary>
    [Test]
    public void TightenedEnclosureOnTheBallsLayerIsRejected()
    {
        var o = Load(Small("fro", "linear"));
        var layer = o["nodes"]![0]!["layers"]![1]!;
        var dHi = layer["dHi"]!.AsArray(); var dLo = layer["dLo"]!.AsArray();
        double hi = dHi[0]!.GetValue<double>(), lo = dLo[0]!.GetValue<double>();
        dHi[0] = hi - 0.25 * (hi - lo);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("layer 2 neuron 0: the recorded dHi").And.Contain("is not implied"));
    }

    /// <summary>A ten times larger ratio: the recorded radius no longer encloses the ball.</summary>
    [TestCase("fro")]
    [TestCase("spectral")]
    public void ChangedRatioIsRejected(string norm)
    {
        var o = Load(Small(norm, "linear"));
        o["perturbation"]!["ratio"] = 0.1;
        CliRunner.Fails(65, ["check", Save(o)], "\"radius\" does not enclose the norm ball");
    }

    /// <summary>
    /// W = [[1, 1], [1, −1]] has ‖W‖₂ = √2 but ‖W‖_F = √(‖W‖₁‖W‖∞) = 2: a radius 1.4143·ratio is confirmed only by the
    /// exact positive-definiteness of r²·I − ratio²·WᵀW, and 1.414·ratio (below √2·ratio) is refused.
    /// </summary>
    [TestCase(1.4143, true)]
    [TestCase(1.414, false)]
    public void SpectralRadiusIsConfirmedExactly(double factor, bool encloses)
    {
        string net = Path.Combine(Dir, "rot.json");
        File.WriteAllText(net, """
            {"layers": [
             {"W": [[1, 1], [1, -1]], "b": [0.5, -0.25], "activation": "relu"},
             {"W": [[1, 2]], "b": [0], "activation": "identity"}]}
            """);
        string cert = Certify(net, "--lo", "-1", "--hi", "1", "--layer-noise", "1", "--norm", "spectral", "--ratio", "0.5", "--method", "linear");
        var o = Load(cert);
        Assert.That(Check(cert).Code, Is.EqualTo(0), "the engine's own radius");
        o["perturbation"]!["radius"] = 0.5 * factor; // a smaller ball than the engine bounded: still covered if it encloses
        string tampered = Save(o);
        if (encloses) Assert.That(Check(tampered).Code, Is.EqualTo(0), Check(tampered).Out);
        else CliRunner.Fails(65, ["check", tampered], "\"radius\" does not enclose the norm ball");
    }
}
