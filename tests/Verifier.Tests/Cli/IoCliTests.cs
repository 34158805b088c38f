using System.Text.Json.Nodes;
using Google.Protobuf;
using Verify.Io;
using Verify.Io.Onnx.Proto;
using Verify.Tests.Io;

namespace Verify.Tests.Cli;

/// <summary>
/// info / eval / convert and the box options through the real entry point, checking exit codes and that every
/// error is one line with no stack trace. Console redirection is process-wide, so these tests must not run in
/// parallel with others that print (NUnit runs an assembly's tests sequentially unless told otherwise).
/// </summary>
[NonParallelizable]
public class IoCliTests
{
    private string _dir = "";

    [SetUp] public void MakeDir() => _dir = TestFiles.NewScratchDir();
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Scratch(string name) => Path.Combine(_dir, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(Scratch(name), text);
        return Scratch(name);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    /// <summary>Runs, expects the exit code and exactly one error line containing every fragment, with no stack trace.</summary>
    private static string Fails(int expectedCode, string[] args, params string[] fragments) => CliRunner.Fails(expectedCode, args, fragments);

    [TestCase(TestFiles.Acas11, "5-50-50-50-50-50-50-5", 13_305, 300)]
    [TestCase(TestFiles.Acas29, "5-50-50-50-50-50-50-5", 13_305, 300)]
    [TestCase(TestFiles.Mnist, "784-100-100-10-10", 89_720, 210)]
    [TestCase(TestFiles.B2Layer, "2-2-2-1", 15, 4)]
    [TestCase(TestFiles.Motex, "2-2-1", 9, 2)]
    [TestCase(TestFiles.Net2, "2-16-16-1", 337, 32)]
    public void InfoWorksOnEveryShippedNetwork(string file, string widths, int parameters, int neurons)
    {
        var json = Scratch("info.json");
        var (code, stdout, err) = Run("info", "--net", TestFiles.Data(file), "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("widths:      " + widths));
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That(string.Join("-", o["widths"]!.AsArray().Select(w => (int)w!)), Is.EqualTo(widths));
        Assert.That((int)o["parameters"]!, Is.EqualTo(parameters));
        Assert.That((int)o["neurons"]!, Is.EqualTo(neurons));
        Assert.That((string)o["format"]!, Is.EqualTo(file.EndsWith(".json") ? "json" : "nnet"));
    }

    [Test]
    public void ConvertChainKeepsEveryBitAndInfoReadsOnnx()
    {
        var src = TestFiles.Data(TestFiles.Acas11);
        Assert.That(Run("convert", "--net", src, "--out", Scratch("a.onnx")).Code, Is.EqualTo(0));
        Assert.That(Run("convert", "--net", Scratch("a.onnx"), "--out", Scratch("a.json")).Code, Is.EqualTo(0));
        // --out-format overrides the extension.
        Assert.That(Run("convert", "--net", Scratch("a.json"), "--out", Scratch("a.txt"), "--out-format", "nnet").Code, Is.EqualTo(0));
        var back = NetworkFiles.Read(Scratch("a.txt"), "nnet");
        Assert.That(TestFiles.SameBits(back.Flatten(), NetworkFiles.Read(src).Flatten()));

        var json = Scratch("info.json");
        var (code, _, err) = Run("info", "--net", Scratch("a.onnx"), "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        var o = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.That((string)o["format"]!, Is.EqualTo("onnx"));
        Assert.That((int)o["parameters"]!, Is.EqualTo(13_305));
    }

    [Test]
    public void EvalOnNnetToysAndNormalisation()
    {
        var (code, stdout, _) = Run("eval", "--net", TestFiles.Data(TestFiles.B2Layer), "--x", "1,1");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(double.Parse(stdout.Split('=')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(-2.31).Within(1e-12));

        // ACAS Xu with --normalize: x = the input means gives normalised input 0, so y = f(0)·range + mean.
        var acas = NetworkFiles.Read(TestFiles.Data(TestFiles.Acas11));
        var raw0 = acas.Evaluate(new double[5]);
        var json = Scratch("eval.json");
        (code, _, _) = Run("eval", "--net", TestFiles.Data(TestFiles.Acas11), "--x", "19791.091,0,0,650,600", "--normalize", "--json", json);
        Assert.That(code, Is.EqualTo(0));
        var y = JsonNode.Parse(File.ReadAllText(json))!["outputs"]!.AsArray().Select(v => (double)v!).ToArray();
        for (int j = 0; j < 5; j++) Assert.That(y[j], Is.EqualTo(raw0[j] * 373.94992 + 7.5188840201005975));
    }

    [Test]
    public void BoxOptionsOnInfoAndEval()
    {
        var net = TestFiles.Data(TestFiles.Acas11);
        var json = Scratch("info.json");
        var (code, stdout, err) = Run("info", "--net", net, "--box-file", TestFiles.Data(TestFiles.Prop1Box), "--json", json);
        Assert.That(code, Is.EqualTo(0), err);
        var box = JsonNode.Parse(File.ReadAllText(json))!["box"]!;
        Assert.That((double)box["lo"]![0]!, Is.EqualTo(0.6));
        // The interval enclosure must contain the value at a point of the box.
        double y0 = NetworkFiles.Read(net).Evaluate([0.64, 0, 0, 0.475, -0.475])[0];
        Assert.That((double)box["outputLo"]![0]!, Is.LessThanOrEqualTo(y0));
        Assert.That((double)box["outputHi"]![0]!, Is.GreaterThanOrEqualTo(y0));

        (code, stdout, _) = Run("info", "--net", TestFiles.Data(TestFiles.Motex), "--lo=-1", "--hi", "1");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("[[-1, 1], [-1, 1]]"));

        var vnn = Write("p.vnnlib", Specs.VnnLibReaderTests.Prop1);
        (code, stdout, err) = Run("eval", "--net", net, "--x", "0.64,0,0,0.475,-0.475", "--vnnlib", vnn);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("x in the input box (" + vnn + "): yes"));
        Assert.That(stdout, Does.Contain("output satisfies the vnnlib output property (exactly): no"));
    }

    [Test]
    public void VnnLibBoxIsJudgedByItsExactBounds()
    {
        // The double 0.6 lies just below the real 0.6 that the VNNLIB file states, so it is outside that box,
        // while the JSON box file's bound is the double 0.6 itself.
        var net = TestFiles.Data(TestFiles.Acas11);
        var vnn = Write("p.vnnlib", Specs.VnnLibReaderTests.Prop1);
        const string x = "0.6,0,0,0.475,-0.475";
        var (code, stdout, _) = Run("eval", "--net", net, "--x", x, "--vnnlib", vnn);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("x in the input box (" + vnn + "): no"));
        (code, stdout, _) = Run("eval", "--net", net, "--x", x, "--box-file", TestFiles.Data(TestFiles.Prop1Box));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("): yes"));
    }

    [Test]
    public void TruncatedNnet()
    {
        var lines = File.ReadAllLines(TestFiles.Data(TestFiles.Motex));
        var p = Write("t.nnet", string.Join("\n", lines.Take(lines.Length - 2)));
        Fails(65, ["info", "--net", p], p, "truncated");
    }

    [Test]
    public void WrongCountsInNnet()
    {
        var p = Write("c.nnet", File.ReadAllText(TestFiles.Data(TestFiles.Motex)).Replace("1.1,0.0", "1.1,0.0,3.0"));
        Fails(65, ["eval", "--net", p, "--x", "1,1"], p + ":8:", "has 3 values, expected 2");
    }

    [Test]
    public void NaNWeightInNnetAndJson()
    {
        var nnet = Write("n.nnet", File.ReadAllText(TestFiles.Data(TestFiles.Motex)).Replace("0.0,0.5", "nan,0.5"));
        Fails(65, ["info", "--net", nnet], nnet + ":9:", "not a finite number");
        var json = Write("n.json", "{\"layers\":[{\"W\":[[1, NaN]],\"b\":[0]}]}");
        Fails(65, ["info", "--net", json], json, "malformed JSON");
        var json2 = Write("n2.json", "{\"layers\":[{\"W\":[[1, \"NaN\"]],\"b\":[0]}]}");
        Fails(65, ["info", "--net", json2], json2, "layers[0].W[0][1]", "not a number");
    }

    [Test]
    public void MalformedJson()
    {
        var p = Write("m.json", "{\"layers\": [ {\"W\": [[1,2]], \"b\": [0] }");
        Fails(65, ["info", "--net", p], p, "malformed JSON");
    }

    [Test]
    public void UnknownOnnxOperator()
    {
        var g = new GraphProto();
        g.Input.Add(new ValueInfoProto { Name = "x" });
        g.Output.Add(new ValueInfoProto { Name = "y" });
        var n = new NodeProto { OpType = "Softmax", Name = "sm" };
        n.Input.Add("x");
        n.Output.Add("y");
        g.Node.Add(n);
        var p = Scratch("u.onnx");
        File.WriteAllBytes(p, new ModelProto { IrVersion = 7, Graph = g }.ToByteArray());
        Fails(65, ["info", "--net", p], p, "unsupported operator Softmax at node 'sm'");
        var junk = Write("junk.onnx", "this is not protobuf");
        Fails(65, ["info", "--net", junk], junk, "not");
    }

    [Test]
    public void MissingFilesAndUnknownExtensions()
    {
        Fails(65, ["info", "--net", Scratch("absent.nnet")], "absent.nnet", "cannot read file");
        Fails(65, ["info", "--net", Scratch("net.xyz")], "unknown network file extension '.xyz'");
        Fails(64, ["info", "--net", TestFiles.Data(TestFiles.Motex), "--format", "pt"], "unknown network format 'pt'");
        Fails(65, ["info", "--net", TestFiles.Data(TestFiles.Motex), "--box-file", Scratch("nobox.json")], "nobox.json", "cannot read box file");
        Fails(65, ["info", "--net", TestFiles.Data(TestFiles.Motex), "--vnnlib", Scratch("no.vnnlib")], "no.vnnlib", "cannot read file");
    }

    [Test]
    public void BoxMistakes()
    {
        var net = TestFiles.Data(TestFiles.Motex);
        Fails(64, ["info", "--net", net, "--lo", "0,2", "--hi", "1,1"], "empty box: --lo[1] = 2 > --hi[1] = 1");
        Fails(64, ["info", "--net", net, "--lo", "0,0,0", "--hi", "1"], "--lo has 3 values but the network has 2 inputs");
        Fails(64, ["info", "--net", net, "--lo", "0,NaN", "--hi", "1"], "--lo", "not a finite number");
        Fails(64, ["info", "--net", net, "--lo", "0"], "--lo and --hi must be given together");
        Fails(64, ["info", "--net", net, "--lo", "0", "--hi", "1", "--box-file", "b.json"], "give only one input box");
        var badDim = Write("b.json", "{\"lo\":[0,0,0],\"hi\":[1,1,1]}");
        Fails(65, ["info", "--net", net, "--box-file", badDim], badDim, "\"lo\" has 3 values but the network has 2 inputs");
        var empty = Write("e.json", "{\"lo\":[0,3],\"hi\":[1,1]}");
        Fails(65, ["eval", "--net", net, "--x", "0,0", "--box-file", empty], empty, "empty box");
        var vnn = Write("e.vnnlib", "(declare-const X_0 Real)(declare-const X_1 Real)(assert (<= X_0 1))(assert (>= X_0 0))(assert (<= X_1 0))");
        Fails(65, ["info", "--net", net, "--vnnlib", vnn], vnn, "X_1 has no lower bound");
    }

    [Test]
    public void ConvertMistakes()
    {
        var net = TestFiles.Data(TestFiles.Motex);
        Fails(64, ["convert", "--net", net, "--out", Scratch("x.bin"), "--out-format", "tflite"], "unknown network format 'tflite'");
        Fails(65, ["convert", "--net", net, "--out", Scratch("x.bin")], "unknown network file extension '.bin'");
        var leaky = Write("l.json", "{\"layers\":[{\"W\":[[1]],\"b\":[0],\"activation\":\"leaky_relu\",\"slope\":0.1},{\"W\":[[1]],\"b\":[0]}]}");
        Fails(65, ["convert", "--net", leaky, "--out", Scratch("l.nnet")], "cannot write .nnet", "leaky_relu");
        Fails(65, ["convert", "--net", leaky, "--out", Scratch("l.onnx")], "not a float32 value");
        Fails(64, ["convert", "--net", net], "--out");
    }
}
