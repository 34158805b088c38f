using System.Text;
using Verify.Certify;
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

    private static CertifyQuery Query(Verify.Model.Network net, byte[] bytes, double? threshold = null, double? gap = null, int restarts = 4) =>
        new(net, SearchTestNets.Cube(2), PerturbationModel.Absolute(0.01), BoundMethods.Interval, TimeSpan.FromSeconds(5))
        {
            NetworkPath = "net.json", NetworkSha256 = CertifyQuery.Sha256Of(bytes), MaxSplits = 200, Threshold = threshold,
            AttackRestarts = restarts, Gap = gap,
        };

    [Test]
    public void ThresholdGivesFalsifiedVerifiedOrUnknown()
    {
        var (net, bytes) = Net();
        var plain = CertifyEngine.Run(Query(net, bytes));
        var l = plain.SupLower!.Value;
        Assert.That(l, Is.GreaterThan(0).And.LessThanOrEqualTo(plain.SupUpper));
        Assert.That(CertifyEngine.Run(Query(net, bytes, threshold: l / 2)).Verdict, Is.EqualTo(Verdict.Falsified));
        Assert.That(CertifyEngine.Run(Query(net, bytes, threshold: plain.SupUpper)).Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(CertifyEngine.Run(Query(net, bytes, threshold: (l + plain.SupUpper) / 2)).Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(Verdict.Falsified.ToExitCode(), Is.EqualTo(Verify.Errors.ExitCode.Falsified));
    }

    [Test]
    public void JsonCarriesLowerBoundsWitnessAndSearchSummary()
    {
        var (net, bytes) = Net();
        string path = Path.Combine(Path.GetTempPath(), $"verify-w-{Guid.NewGuid():N}.json");
        try
        {
            var r = CertifyEngine.Run(Query(net, bytes, gap: 0.05));
            WitnessFile.WriteBest(r, path);
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
        var r = CertifyEngine.Run(Query(net, bytes, restarts: 0));
        Assert.That(r.Lower, Is.Null);
        Assert.That(r.ToJson().ContainsKey("lower"), Is.False);
        Assert.Throws<Verify.Errors.UsageException>(() => WitnessFile.WriteBest(r, "w.json"));
        Assert.Throws<Verify.Errors.UsageException>(() => CertifyEngine.Run(Query(net, bytes, restarts: 0, gap: 0.1)));
    }
}
