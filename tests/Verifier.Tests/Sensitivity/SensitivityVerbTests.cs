using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Model;

namespace Verify.Tests.Sensitivity;

public class SensitivityVerbTests
{
    private string _dir = "";
    private string _net = "";

    [OneTimeSetUp]
    public void WriteNetwork()
    {
        _dir = Path.Combine(Path.GetTempPath(), "verify-sensitivity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _net = Path.Combine(_dir, "net.json");
        var layers = new JsonArray();
        foreach (var l in TestNetworks.Relu([3, 8, 2], seed: 31).Layers)
        {
            var w = new JsonArray();
            for (int i = 0; i < l.Outputs; i++) w.Add(Verify.Cli.JsonOutput.Array(l.Row(i).ToArray()));
            layers.Add(new JsonObject { ["W"] = w, ["b"] = Verify.Cli.JsonOutput.Array(l.Bias.ToArray()), ["activation"] = l.Activation.Name });
        }
        File.WriteAllText(_net, new JsonObject { ["layers"] = layers }.ToJsonString());
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private int Run(params string[] args) => CliRunner.Code(["sensitivity", "--net", _net, .. args]);

    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "-0.1")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--norm", "nuclear")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "3", "--ratio", "0.1")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "0", "--ratio", "0.1")]
    [TestCase("--x", "0.1,0.2", "--layer-noise", "1", "--ratio", "0.1")]
    [TestCase("--x", "0.1,0.2,0.3", "--ratio", "0.1")]
    [TestCase("--x", "0.1,0.2,0.3", "--eps", "0.1", "--ratio", "0.1", "--layer-noise", "1")]
    [TestCase("--x", "0.1,0.2,0.3", "--eps", "-1")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--distribution", "cauchy")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--distribution", "uniform-box")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--samples", "1")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--plot", "out.gif")]
    [TestCase("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--ratios", "0.3:0.1:5", "--csv", "x.csv")]
    [TestCase("--lo", "0,0,0", "--hi", "1,-1,1", "--layer-noise", "1", "--ratio", "0.1")]
    [TestCase("--layer-noise", "1", "--ratio", "0.1")]
    public void BadInputsExitWithUsageError(params string[] args) => Assert.That(Run(args), Is.EqualTo(64));

    [Test]
    public void JsonHasTheDocumentedFields()
    {
        string json = Path.Combine(_dir, "r.json");
        Assert.That(Run("--x", "0.1,0.2,0.3", "--layer-noise", "1", "--ratio", "0.1", "--samples", "5000", "--json", json), Is.EqualTo(0));
        var o = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.That((long)o["samples"]!, Is.EqualTo(5000));
        foreach (var norm in new[] { "inf", "l2" })
        {
            double mean = (double)o["mean"]![norm]!;
            var ci = o["ci95"]![norm]!.AsArray();
            Assert.That((double)ci[0]!, Is.LessThan(mean));
            Assert.That((double)ci[1]!, Is.GreaterThan(mean));
            var q = o["quantiles"]![norm]!;
            Assert.That((double)q["0.5"]!, Is.LessThanOrEqualTo((double)q["0.9"]!));
            Assert.That((double)q["0.9"]!, Is.LessThanOrEqualTo((double)q["0.99"]!));
            Assert.That((double)q["0.99"]!, Is.LessThanOrEqualTo((double)q["max"]!));
            var free = o["ci95DistributionFree"]![norm]!.AsArray();
            Assert.That((double)free[0]!, Is.LessThanOrEqualTo(mean));
            Assert.That((double)free[1]!, Is.GreaterThanOrEqualTo(mean));
        }
        Assert.That((long)o["samplesNeeded"]!, Is.GreaterThan(1));
        Assert.That(o["conditionNumbers"]!.AsArray().Count, Is.EqualTo(1));
        Assert.That(o["firstOrder"]!["inf"], Is.Not.Null);
    }

    [Test]
    public void BoxSweepWritesCsvAndPlots()
    {
        string csv = Path.Combine(_dir, "s.csv"), png = Path.Combine(_dir, "s.png"), svg = Path.Combine(_dir, "s.svg");
        Assert.That(Run("--lo", "0,0,0", "--hi", "1,1,1", "--points", "4", "--eps", "0.01", "--samples", "2000",
                        "--ratios", "0.001:0.1:3", "--csv", csv, "--plot", png), Is.EqualTo(0));
        var lines = File.ReadAllLines(csv);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[0], Does.StartWith("eps,mc_mean_inf"));
        var png8 = File.ReadAllBytes(png).Take(8).ToArray();
        Assert.That(png8, Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(Run("--x", "0.1,0.2,0.3", "--all-layers", "--ratio", "0.05", "--distribution", "gaussian", "--samples", "1000",
                        "--ratios", "0.01:0.1:2", "--plot", svg), Is.EqualTo(0));
        Assert.That(File.ReadAllText(svg), Does.Contain("<svg"));
    }
}
