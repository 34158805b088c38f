using System.Text.Json.Nodes;
using Verify.Cli;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

public class WitnessJsonTests
{
    private static (Network Net, Box Box, ParameterBox Delta, AttackResult Result) Attacked()
    {
        var net = SearchTestNets.Random(51, false, 2, 5, 3);
        var box = SearchTestNets.Cube(2);
        var delta = PerturbationModel.Absolute(0.01).ToBox(net);
        var result = new DeviationAttack(net, delta, new AttackOptions { Restarts = 4, Steps = 40, LocalSearchRounds = 2 }).Run(box);
        return (net, box, delta, result);
    }

    [Test]
    public void LowerBoundFieldsAndWitnessRoundTrip()
    {
        var (net, box, delta, result) = Attacked();
        var json = new JsonObject();
        WitnessJson.AddLowerBounds(json, result.Lower, net);
        var reparsed = JsonNode.Parse(json.ToJsonString())!;
        var lower = reparsed["lower"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        Assert.That(lower, Is.EqualTo(result.Lower.Select(l => l!.Value)));
        Assert.That(reparsed["supLower"]!.GetValue<double>(), Is.EqualTo(lower.Max()));
        Assert.That(Rational.Parse(reparsed["supLowerExact"]!.GetValue<string>()), Is.EqualTo(result.Best!.Exact));
        Assert.That(reparsed["witness"]!["deltaExactDoubles"]!.GetValue<bool>(), Is.True);

        var w = WitnessJson.FromJson(reparsed["witness"], net, "result.json");
        Assert.That(w.Output, Is.EqualTo(result.Best.Output));
        Assert.That(w.X, Is.EqualTo(result.Best.Witness.X));
        Assert.That(w.Perturbed.Flatten(), Is.EqualTo(result.Best.Witness.Perturbed.Flatten()));
        Assert.That(w.Replay(net, box, delta), Is.EqualTo(result.Best.Exact));
    }

    [Test]
    public void DifferencesThatAreNotDoublesAreWrittenAsExactRationals()
    {
        var net = new Network([DenseLayer.FromRows([[1e-20, 3.0]], [0.0], Activation.Identity)]);
        var perturbed = new Network([DenseLayer.FromRows([[0.75, 3.0]], [0.0], Activation.Identity)]);
        var json = WitnessJson.ToJson(new Witness(0, [1.0, 0.0], perturbed), net);
        Assert.That(json["deltaExactDoubles"]!.GetValue<bool>(), Is.False);
        var d = json["delta"]!["layers"]![0]!["W"]![0]![0]!;
        Assert.That(Rational.Parse(d.GetValue<string>()), Is.EqualTo(Rational.FromDouble(0.75) - Rational.FromDouble(1e-20)));
        Assert.That(json["delta"]!["layers"]![0]!["W"]![0]![1]!.GetValue<double>(), Is.EqualTo(0.0));
        var back = WitnessJson.FromJson(JsonNode.Parse(json.ToJsonString()), net, "w.json");
        Assert.That(back.Perturbed.Flatten(), Is.EqualTo(perturbed.Flatten()));
    }

    [Test]
    public void MalformedWitnessNamesTheFile()
    {
        var net = SearchTestNets.Random(52, false, 2, 3, 1);
        var e = Assert.Throws<BadInputException>(() => WitnessJson.FromJson(JsonNode.Parse("""{"output":0,"x":[0,0]}"""), net, "bad.json"));
        Assert.That(e!.Message, Does.Contain("bad.json"));
    }

    [Test]
    public void WitnessNetworkFileReplaysWithEval()
    {
        var (net, _, _, result) = Attacked();
        string path = Path.Combine(Path.GetTempPath(), $"verify-witness-{Guid.NewGuid():N}.json");
        try
        {
            WitnessFile.Write(result.Best!.Witness, path);
            var back = NetworkFiles.Read(path);
            Assert.That(back.Flatten(), Is.EqualTo(result.Best.Witness.Perturbed.Flatten()));
            var x = result.Best.Witness.X.Select(Rational.FromDouble).ToArray();
            int j = result.Best.Output;
            Assert.That(Rational.Abs(back.EvaluateExact(x)[j] - net.EvaluateExact(x)[j]), Is.EqualTo(result.Best.Exact));
        }
        finally { File.Delete(path); }
    }
}
