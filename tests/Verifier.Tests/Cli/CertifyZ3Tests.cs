using System.Text.Json.Nodes;

namespace Verify.Tests.Cli;

/// <summary>`verify certify --method z3` end to end through Program.Main.</summary>
[NonParallelizable]
public class CertifyZ3Tests
{
    // h1 = relu(x), h2 = relu(1/2 − x), y = h1 − 2·h2 + 1/4 on [−1, 1]; with the last layer moving by ε = 1/8 the exact
    // maximum of |Δy| is ε·(3/2 + 1) = 5/16 (see DeviationMaximizerTests).
    private const string Net121 = """
        {"name": "constructed-1-2-1", "layers": [
          {"W": [[1], [-1]], "b": [0, 0.5], "activation": "relu"},
          {"W": [[1, -2]], "b": [0.25], "activation": "linear"}]}
        """;

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string Temp(string ext) => Path.Combine(Path.GetTempPath(), $"certify-z3-{Guid.NewGuid():N}.{ext}");

    [Test]
    public void LastLayerQueryIsDecidedExactlyAtTheMaximum()
    {
        var net = Temp("json");
        var json = Temp("json");
        File.WriteAllText(net, Net121);
        try
        {
            string[] common = ["certify", "--net", net, "--lo", "-1", "--hi", "1", "--eps", "0.125", "--layers", "2", "--timeout", "20", "--json", json];
            var (code, stdout, err) = Run([.. common, "--method", "z3", "--threshold", "0.3125"]);
            Assert.That(code, Is.EqualTo(0), stdout + err);
            Assert.That(stdout, Does.Contain("z3-last-layer-lp"));
            var o = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.That(o["verdict"]!.GetValue<string>(), Is.EqualTo("verified"));
            Assert.That(o["supUpper"]!.GetValue<double>(), Is.EqualTo(0.3125));
            Assert.That(o["supLower"]!.GetValue<double>(), Is.EqualTo(0.3125), "U = L");
            Assert.That(o["method"]!.GetValue<string>(), Is.EqualTo("z3"));
            Assert.That(o["methods"]!["z3"]!["upper"]![0]!.GetValue<double>(), Is.EqualTo(0.3125));
            var z3 = o["z3"]!;
            Assert.That(z3["mode"]!.GetValue<string>(), Is.EqualTo("z3-last-layer-lp"));
            Assert.That(z3["checks"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(z3["outputs"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("exact"));
            Assert.That(z3["outputs"]![0]!["upperExact"]!.GetValue<string>(), Is.EqualTo("5/16"));

            // Just below the maximum, the replayed witness refutes the threshold.
            Assert.That(Run([.. common, "--method", "z3", "--threshold", "0.3124"]).Code, Is.EqualTo(1));
            // The linear bound alone cannot decide at the maximum.
            Assert.That(Run([.. common, "--method", "linear", "--threshold", "0.3125"]).Code, Is.EqualTo(2));
        }
        finally { File.Delete(net); File.Delete(json); }
    }

    [Test]
    public void TooLargeNonlinearQueryFallsBackToTheOtherMethods()
    {
        var json = Temp("json");
        try
        {
            var (code, stdout, _) = Run("certify", "--net", TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1", "--eps", "1e-3",
                                        "--method", "z3", "--timeout", "2", "--max-splits", "8", "--attack-restarts", "2", "--json", json);
            Assert.That(code, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("skipped"));
            var o = JsonNode.Parse(File.ReadAllText(json))!;
            Assert.That(o["z3"]!["mode"]!.GetValue<string>(), Is.EqualTo("skipped"));
            Assert.That(o["z3"]!["outputs"]![0]!["skipped"]!.GetValue<string>(), Does.Contain("products"));
            // z3 left the output open, so auto ran with the remaining time; U is the best of the other methods.
            var methods = o["methods"]!.AsObject();
            Assert.That(methods.Select(m => m.Key), Is.EqualTo(new[] { "analytic", "ibp", "linear", "z3", "auto" }));
            double best = methods.Where(m => m.Key != "z3").Min(m => m.Value!["upper"]![0]!.GetValue<double>());
            Assert.That(o["upper"]![0]!.GetValue<double>(), Is.EqualTo(best), "the best certified bound of the other methods");
            Assert.That(o["splits"]!.GetValue<int>(), Is.EqualTo(8));
        }
        finally { File.Delete(json); }
    }

    [Test]
    public void UnknownMethodNamesZ3AmongTheChoices()
    {
        var (code, _, err) = Run("certify", "--net", TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1", "--eps", "1e-3", "--method", "smt");
        Assert.That(code, Is.EqualTo(64));
        Assert.That(err, Does.Contain("z3"));
    }
}
