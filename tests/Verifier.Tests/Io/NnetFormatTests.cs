using System.Text;
using Verify.Errors;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;

namespace Verify.Tests.Io;

public class NnetFormatTests
{
    private static readonly NnetNetworkFormat Format = new();

    private static Network ReadText(string text, string name = "t.nnet") => Format.Read(name, Encoding.UTF8.GetBytes(text));

    private static BadInputException ReadFails(string text) =>
        Assert.Throws<BadInputException>(() => ReadText(text))!;

    // A 2-2-1 network in the usual layout, with placeholders for the quirks under test.
    private const string Tiny = """
        // header
        2,2,1,2,
        2,2,1,
        0,
        -1.0,-1.0,
        1.0,1.0,
        0.0,0.0,0.5,
        1.0,1.0,2.0,
        1.0,-1.0,
        0.5,2.0,
        0.0,
        -1.0,
        1.0,-3.0,
        0.25,
        """;

    [Test]
    public void AcasXuNetworkHasTheKnownShapeAndNormalisation()
    {
        var net = NetworkFiles.Read(TestFiles.Data(TestFiles.Acas11));
        Assert.That(net.Widths, Is.EqualTo(new[] { 5, 50, 50, 50, 50, 50, 50, 5 }));
        Assert.That(net.ParameterCount, Is.EqualTo(13_305));
        Assert.That(net.NeuronCount, Is.EqualTo(300));
        Assert.That(net.Layers.Take(6).All(l => l.Activation == Activation.Relu));
        Assert.That(net.Layers[^1].Activation, Is.EqualTo(Activation.Identity));
        Assert.That(net.Layers[0].W(0, 0), Is.EqualTo(5.40062e-02));
        Assert.That(net.Layers[0].W(0, 1), Is.EqualTo(-2.61092e+00));
        var n = net.Normalization!;
        Assert.That(n.OutputMean, Is.EqualTo(7.5188840201005975));
        Assert.That(n.OutputRange, Is.EqualTo(373.94992));
        Assert.That(n.InputMean, Is.EqualTo(new[] { 1.9791091e+04, 0.0, 0.0, 650.0, 600.0 }));
        Assert.That(n.InputMin[1], Is.EqualTo(-3.141593));
    }

    [Test]
    public void TwoAcasXuNetworksDiffer()
    {
        var a = NetworkFiles.Read(TestFiles.Data(TestFiles.Acas11));
        var b = NetworkFiles.Read(TestFiles.Data(TestFiles.Acas29));
        Assert.That(b.ParameterCount, Is.EqualTo(13_305));
        Assert.That(TestFiles.SameBits(a.Flatten(), b.Flatten()), Is.False);
    }

    [Test]
    public void ReluDiffToysEvaluateToTheirKnownValues()
    {
        var b2 = NetworkFiles.Read(TestFiles.Data(TestFiles.B2Layer));
        Assert.That(b2.Widths, Is.EqualTo(new[] { 2, 2, 2, 1 }));
        Assert.That(b2.Evaluate([1.0, 1.0])[0], Is.EqualTo(-2.31).Within(1e-12));
        // Exactly: the parameters are decimal literals rounded to doubles, so compare with a tight enclosure.
        var exact = b2.EvaluateExact([Rational.One, Rational.One])[0];
        Assert.That(Rational.Abs(exact - Rational.Parse("-2.31")) < Rational.Parse("1e-14"));

        var motex = NetworkFiles.Read(TestFiles.Data(TestFiles.Motex));
        Assert.That(motex.Widths, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(motex.Layers[0].Weights.ToArray(), Is.EqualTo(new[] { 1.1, 0.0, 0.0, 0.5 }));
        Assert.That(motex.Layers[1].Weights.ToArray(), Is.EqualTo(new[] { 1.0, -1.0 }));
        Assert.That(motex.Evaluate([1.0, 1.0])[0], Is.EqualTo(0.6).Within(1e-15));
    }

    [Test]
    public void MnistNetworkKeepsItsTrailingIdentityLayer()
    {
        var net = NetworkFiles.Read(TestFiles.Data(TestFiles.Mnist));
        Assert.That(net.Widths, Is.EqualTo(new[] { 784, 100, 100, 10, 10 }));
        var last = net.Layers[^1];
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 10; j++)
                Assert.That(last.W(i, j), Is.EqualTo(i == j ? 1.0 : 0.0));
        Assert.That(last.Bias.ToArray(), Is.All.EqualTo(0.0));
        Assert.That(net.Layers[2].Activation, Is.EqualTo(Activation.Relu), "ERAN's output ReLU is the third layer's");
        Assert.That(net.Normalization!.InputMin[0], Is.EqualTo(-3.40282e+38));
        Assert.That(net.Normalization.InputRange, Is.All.EqualTo(1.0));
    }

    [Test]
    public void ToleratesCommentsMissingCommasBlankLinesAndCrlf()
    {
        var reference = ReadText(Tiny);
        string quirky = Tiny.Replace("1.0,-1.0,\n", "1.0 , -1.0   // trailing comment\n// a comment line\n\n")
                            .Replace("0.25,", "2.5e-1")
                            .Replace("\n", "\r\n");
        var net = ReadText(quirky);
        Assert.That(TestFiles.SameBits(net.Flatten(), reference.Flatten()));
        Assert.That(net.Flatten(), Is.EqualTo(new[] { 1.0, -1.0, 0.5, 2.0, 0.0, -1.0, 1.0, -3.0, 0.25 }));
        Assert.That(net.Normalization!.OutputMean, Is.EqualTo(0.5));
        Assert.That(net.Normalization.OutputRange, Is.EqualTo(2.0));
    }

    [Test]
    public void ExtraNormalisationEntriesTakeTheLastValueForTheOutput()
    {
        // ReluDiff's ACAS copies carry entries of a 7-input variant; the output value is the last one.
        var net = ReadText(Tiny.Replace("-1.0,-1.0,\n1.0,1.0,\n0.0,0.0,0.5,\n1.0,1.0,2.0,",
                                        "-1.0,-1.0,9,\n1.0,1.0,9,\n0.0,0.0,35.1,0.5,\n1.0,1.0,100.0,2.0,"));
        Assert.That(net.Normalization!.OutputMean, Is.EqualTo(0.5));
        Assert.That(net.Normalization.OutputRange, Is.EqualTo(2.0));
        Assert.That(net.Normalization.InputMin, Is.EqualTo(new[] { -1.0, -1.0 }));
    }

    [Test]
    public void SizesLineIsTrustedOverAnInconsistentCountLine()
    {
        var net = ReadText(Tiny.Replace("2,2,1,2,\n", "5,9,9,9,\n"));
        Assert.That(net.Widths, Is.EqualTo(new[] { 2, 2, 1 }));
    }

    [Test]
    public void WriteThenReadKeepsEveryBit()
    {
        foreach (var name in new[] { TestFiles.Acas11, TestFiles.Mnist, TestFiles.B2Layer })
        {
            var net = NetworkFiles.Read(TestFiles.Data(name));
            var back = Format.Read("w.nnet", Format.Write(net));
            Assert.That(TestFiles.SameBits(back.Flatten(), net.Flatten()), name);
            Assert.That(back.Widths, Is.EqualTo(net.Widths), name);
            Assert.That(back.Normalization, Is.Not.Null, name);
            Assert.That(TestFiles.SameBits(back.Normalization!.InputMean, net.Normalization!.InputMean), name);
            Assert.That(back.Normalization.OutputRange, Is.EqualTo(net.Normalization.OutputRange), name);
        }
    }

    [Test]
    public void WriterKeepsAwkwardDoublesAndNetworksWithoutNormalisation()
    {
        double[] awkward = [0.1, -1.0 / 3, double.Epsilon, -0.0, 1e308, 5e-324, Math.PI, 1.0 - 1e-16];
        var net = new Network([
            new DenseLayer(4, 2, awkward, [0.7, -0.0, 1e-300, 3.0], Activation.Relu),
            DenseLayer.FromRows([[1.0, 2.0, 3.0, 4.0]], [0.0], Activation.Identity),
        ]);
        var back = Format.Read("w.nnet", Format.Write(net));
        Assert.That(TestFiles.SameBits(back.Flatten(), net.Flatten()));
        Assert.That(back.Normalization, Is.Null, "the identity lines written for 'no normalisation' read back as none");
    }

    [Test]
    public void WriterRefusesActivationsTheFormatCannotHold()
    {
        var leaky = new Network([
            DenseLayer.FromRows([[1.0]], [0.0], Activation.Leaky(0.5)),
            DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity),
        ]);
        var e = Assert.Throws<BadInputException>(() => Format.Write(leaky))!;
        Assert.That(e.Message, Does.Contain("layer 1 has activation leaky_relu(0.5)"));
    }

    [Test]
    public void TruncatedFileNamesTheMissingPart()
    {
        string text = Tiny[..Tiny.IndexOf("1.0,-3.0,", StringComparison.Ordinal)];
        var e = ReadFails(text);
        Assert.That(e.Message, Does.StartWith("t.nnet:"));
        Assert.That(e.Message, Does.Contain("truncated").And.Contain("row 1 of the weights of layer 2"));
    }

    [Test]
    public void WrongRowLengthNamesTheLine()
    {
        var e = ReadFails(Tiny.Replace("0.5,2.0,", "0.5,2.0,7.0,"));
        Assert.That(e.Position, Is.EqualTo("10"));
        Assert.That(e.Message, Does.Contain("layer 1 weight row 2 has 3 values, expected 2"));
    }

    [Test]
    public void ExtraParameterLinesAreRejected()
    {
        var e = ReadFails(Tiny + "\n9.0,\n");
        Assert.That(e.Message, Does.Contain("unexpected extra data"));
        Assert.That(e.Position, Is.EqualTo("15"));
    }

    [TestCase("0.5,2.0,", "0.5,abc,", "'abc'")]
    [TestCase("0.5,2.0,", "0.5,NaN,", "not a finite number")]
    [TestCase("0.5,2.0,", "0.5,1e999,", "not a finite number")]
    [TestCase("2,2,1,\n", "2,x,1,\n", "'x' is not a positive integer")]
    [TestCase("2,2,1,\n", "2,0,1,\n", "'0' is not a positive integer")]
    [TestCase("0.0,0.0,0.5,", "0.0,0.0,", "means line has 2 values, expected 3")]
    [TestCase("-1.0,-1.0,", "-1.0,", "input minimums line has 1 values, expected 2")]
    public void BadNumbersAndCountsNameFileAndLine(string from, string to, string expected)
    {
        var e = ReadFails(Tiny.Replace(from, to));
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Position, Is.Not.Null.And.Not.Empty);
        Assert.That(e.Message, Does.StartWith("t.nnet:" + e.Position + ": "));
    }

    [Test]
    public void EmptyFileIsTruncated()
    {
        Assert.That(ReadFails("// only a comment\n").Message, Does.Contain("truncated"));
    }
}
