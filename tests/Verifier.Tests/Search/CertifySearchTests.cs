using System.Text;
using Verify.Cli;
using Verify.Io;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

public class CertifySearchTests
{
    private static (Verify.Model.Network Net, byte[] Bytes) Net()
    {
        var net = SearchTestNets.Random(61, false, 2, 6, 6, 2);
        return (net, new JsonNetworkFormat().Write(net));
    }

    private static CertifyVerb.CertifyOptions Options(double? threshold = null, double? gap = null, string? witnessOut = null, int restarts = 4) =>
        new("net.json", SearchTestNets.Cube(2), PerturbationModel.Absolute(0.01), "ibp", TimeSpan.FromSeconds(5), 200, threshold,
            AttackRestarts: restarts, WitnessOut: witnessOut, Gap: gap);

    [Test]
    public void ThresholdGivesFalsifiedVerifiedOrUnknown()
    {
        var (net, bytes) = Net();
        var plain = CertifyVerb.Certify(net, bytes, Options());
        var l = plain.SupLower!.Value;
        Assert.That(l, Is.GreaterThan(0).And.LessThanOrEqualTo(plain.SupUpper));
        Assert.That(CertifyVerb.Certify(net, bytes, Options(threshold: l / 2)).Verdict, Is.EqualTo(Verdict.Falsified));
        Assert.That(CertifyVerb.Certify(net, bytes, Options(threshold: plain.SupUpper)).Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(CertifyVerb.Certify(net, bytes, Options(threshold: (l + plain.SupUpper) / 2)).Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(Verdict.Falsified.ToExitCode(), Is.EqualTo(Verify.Errors.ExitCode.Falsified));
    }

    [Test]
    public void JsonCarriesLowerBoundsWitnessAndSearchSummary()
    {
        var (net, bytes) = Net();
        string path = Path.Combine(Path.GetTempPath(), $"verify-w-{Guid.NewGuid():N}.json");
        try
        {
            var r = CertifyVerb.Certify(net, bytes, Options(gap: 0.05, witnessOut: path));
            var json = r.ToJson();
            Assert.That(json["lower"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(json["supLower"]!.GetValue<double>(), Is.EqualTo(r.SupLower!.Value));
            Assert.That(json["witness"]!["x"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(json["search"]!["stoppedBy"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(r.Methods.Select(m => m.Name), Does.Contain("search"));
            var witness = WitnessJson.FromJson(json["witness"], net, "result");
            Assert.That(witness.Replay(net, SearchTestNets.Cube(2), PerturbationModel.Absolute(0.01).ToBox(net)), Is.EqualTo(r.SupLower.Exact));
            Assert.That(NetworkFiles.Read(path).Flatten(), Is.EqualTo(r.SupLower.Witness.Perturbed.Flatten()));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void NoAttackMeansNoLowerBoundsAndWitnessOutIsAnError()
    {
        var (net, bytes) = Net();
        var r = CertifyVerb.Certify(net, bytes, Options(restarts: 0));
        Assert.That(r.Lower, Is.Null);
        Assert.That(r.ToJson().ContainsKey("lower"), Is.False);
        Assert.Throws<Verify.Errors.UsageException>(() => CertifyVerb.Certify(net, bytes, Options(restarts: 0, witnessOut: "w.json")));
        Assert.Throws<Verify.Errors.UsageException>(() => CertifyVerb.Certify(net, bytes, Options(restarts: 0, gap: 0.1)));
    }
}
