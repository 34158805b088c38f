using System.Text.Json.Nodes;
using Verify.Io;
using Verify.Specs;

namespace Verify.Tests.Execution;

/// <summary>`verify certify --execution` end to end through Program.Main.</summary>
[NonParallelizable]
public class ExecutionCliTests
{
    private static string Net => TestData.Path("net_2_16_16_1.json");

    private static (int Code, string Out, string Err, JsonObject? Json) Run(params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"execution-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = CliRunner.Run([.. args, "--json", json]);
            JsonObject? result = File.Exists(json) ? JsonNode.Parse(File.ReadAllText(json))!.AsObject() : null;
            return (code, stdout, stderr, result);
        }
        finally { File.Delete(json); }
    }

    private static double Upper(JsonObject o) => o["upper"]![0]!.GetValue<double>();

    [Test]
    public void ZeroEpsIsExactlyZeroWithoutExecutionAndPositiveWithIt()
    {
        var exact = Run("certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", "0", "--method", "linear", "--attack-restarts", "0");
        Assert.That(exact.Code, Is.EqualTo(0), exact.Err);
        Assert.That(Upper(exact.Json!), Is.EqualTo(0.0));
        Assert.That(exact.Json!.ContainsKey("execution"), Is.False);

        var f32 = Run("certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", "0", "--method", "linear", "--attack-restarts", "0", "--execution", "float32");
        Assert.That(f32.Code, Is.EqualTo(0), f32.Err);
        Assert.That(Upper(f32.Json!), Is.GreaterThan(0).And.LessThan(1e-3));
        Assert.That(f32.Json!["execution"]!["format"]!.GetValue<string>(), Is.EqualTo("float32"));
        Assert.That(f32.Json!["execution"]!["overflow"], Is.Null);
        Assert.That(f32.Json!["perturbation"]!["execution"]!.GetValue<string>(), Is.EqualTo("float32"));
        Assert.That(f32.Out, Does.Contain("covers every float32 evaluation"));
    }

    /// <summary>Every method's bound grows with the execution widening, and the attack's witnesses stay in the user's
    /// own perturbation set (exactly), below the float bound.</summary>
    [Test]
    public void ExecutionBoundIsAtLeastTheExactOneAndWitnessesStayAdmissible()
    {
        string[] common = ["certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", "1e-3", "--method", "auto", "--max-splits", "10", "--seed", "4"];
        var real = Run(common).Json!;
        var witness = Path.Combine(Path.GetTempPath(), $"execution-witness-{Guid.NewGuid():N}.json");
        var half = Run([.. common, "--execution", "float16", "--witness-out", witness]);
        Assert.That(half.Code, Is.EqualTo(0), half.Err);
        foreach (var m in new[] { "analytic", "ibp", "linear", "auto" })
            Assert.That(half.Json!["methods"]![m]!["upper"]![0]!.GetValue<double>(),
                Is.GreaterThanOrEqualTo(real["methods"]![m]!["upper"]![0]!.GetValue<double>()), m);
        double lower = half.Json!["lower"]![0]!.GetValue<double>();
        Assert.That(lower, Is.GreaterThan(0).And.LessThanOrEqualTo(Upper(half.Json!)));
        var nominal = NetworkFiles.Read(Net);
        var moved = NetworkFiles.Read(witness);
        File.Delete(witness);
        Assert.That(PerturbationModel.Absolute(1e-3).ToBox(nominal).Admits(nominal, moved), Is.True);
    }

    [Test]
    public void PossibleOverflowIsNotCertified()
    {
        var net = Path.Combine(Path.GetTempPath(), $"execution-big-{Guid.NewGuid():N}.json");
        File.WriteAllText(net, """{"layers":[{"W":[[300,300]],"b":[0],"activation":"relu"},{"W":[[1]],"b":[0],"activation":"identity"}]}""");
        try
        {
            var r = Run("certify", "--net", net, "--lo", "-110", "--hi", "110", "--eps", "0", "--method", "linear", "--attack-restarts", "0",
                        "--execution", "float16", "--threshold", "1");
            Assert.That(r.Code, Is.EqualTo(2), r.Err);
            Assert.That(r.Json!["upper"]![0], Is.Null);
            Assert.That(r.Json!["supUpper"], Is.Null);
            Assert.That(r.Json!["verdict"]!.GetValue<string>(), Is.EqualTo("unknown"));
            Assert.That(r.Json!["execution"]!["overflow"]!.GetValue<string>(), Does.Contain("layer 1 neuron 0"));
            Assert.That(r.Out, Does.Contain("NOT certified"));
        }
        finally { File.Delete(net); }
    }

    [TestCase("--execution", "float64")]
    [TestCase("--execution", "float32", "--method", "z3")]
    [TestCase("--execution", "float32", "--method", "auto", "--gap", "0.1")]
    public void UnsupportedCombinationsAreUsageErrors(params string[] extra)
    {
        var r = Run(["certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", "1e-3", .. extra]);
        Assert.That(r.Code, Is.EqualTo(64));
        Assert.That(r.Err, Does.StartWith("verify: error:").And.Contain("--execution"));
    }

    [Test]
    public void EquivWithExecutionAddsTheMarginToTheBoundAndRefusesTopOneOfOneOutput()
    {
        string f16 = TestData.Path("net_2_16_16_1_f16.json");
        var plain = Run("equiv", "--net", Net, "--net2", f16, "--lo", "-1", "--hi", "1", "--eps", "0.01", "--quiet");
        var f32 = Run("equiv", "--net", Net, "--net2", f16, "--lo", "-1", "--hi", "1", "--eps", "0.01", "--quiet", "--execution", "float32");
        Assert.That(plain.Code, Is.EqualTo(0), plain.Err);
        Assert.That(f32.Code, Is.EqualTo(0), f32.Err);
        var margin = f32.Json!["execution"]!["marginPerOutput"]![0]!.GetValue<double>();
        Assert.That(margin, Is.GreaterThan(0).And.LessThan(1e-3));
        Assert.That(f32.Json!["upper"]!.GetValue<double>(), Is.GreaterThan(plain.Json!["upper"]!.GetValue<double>()));
        Assert.That(f32.Out, Does.Contain("execution: float32"));

        // --top1 --execution runs certify --top1 on each network (Equivalence/TopOneExecutionEquivalenceTests), which needs two outputs.
        var top1 = Run("equiv", "--net", Net, "--net2", f16, "--lo", "-1", "--hi", "1", "--top1", "--execution", "float32");
        Assert.That(top1.Code, Is.EqualTo(64));
        Assert.That(top1.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(top1.Err, Does.Contain("at least two outputs"));
    }
}
