using Verify.Errors;
using Verify.Specs;
using Verify.Tests.Io;

namespace Verify.Tests.Specs;

public class InputBoxSourceTests
{
    private string _dir = "";

    [SetUp] public void MakeDir() => _dir = TestFiles.NewScratchDir();
    [TearDown] public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Test]
    public void ScalarBoundsBroadcast()
    {
        var box = InputBoxSource.FromBounds([-1.0], [1.0], 3);
        Assert.That(box.Box.Lower, Is.EqualTo(new[] { -1.0, -1.0, -1.0 }));
        Assert.That(box.Box.Upper, Is.EqualTo(new[] { 1.0, 1.0, 1.0 }));
    }

    [Test]
    public void CommandLineMistakesAreUsageErrors()
    {
        Assert.That(Assert.Throws<UsageException>(() => InputBoxSource.FromBounds([0, 2], [1, 1], 2))!.Message,
            Is.EqualTo("empty box: --lo[1] = 2 > --hi[1] = 1"));
        Assert.That(Assert.Throws<UsageException>(() => InputBoxSource.FromBounds([0, 0, 0], [1, 1, 1], 2))!.Message,
            Does.Contain("--lo has 3 values but the network has 2 inputs"));
    }

    [Test]
    public void SharedAcasBoxFileReads()
    {
        var box = InputBoxSource.FromJsonFile(TestFiles.Data(TestFiles.Prop1Box), 5);
        Assert.That(box.Box.Lower, Is.EqualTo(new[] { 0.6, -0.5, -0.5, 0.45, -0.5 }));
        Assert.That(box.Box.Upper, Is.EqualTo(new[] { 0.679857769, 0.5, 0.5, 0.5, -0.45 }));
    }

    [TestCase("{\"lo\":[0,0],\"hi\":[1]}", "\"hi\"", 3, "\"lo\" has 2 values but the network has 3 inputs")]
    [TestCase("{\"lo\":[0,2],\"hi\":[1,1]}", "", 2, "empty box: lo[1] = 2 > hi[1] = 1")]
    [TestCase("{\"lo\":[0,\"a\"],\"hi\":[1,1]}", "", 2, "lo[1] is \"a\", not a number")]
    [TestCase("{\"lo\":[0,0]}", "", 2, "missing \"hi\"")]
    [TestCase("{\"lo\":[0,0], \"hi\":[1,1}", "", 2, "malformed JSON")]
    [TestCase("[1,2]", "", 2, "expected a JSON object")]
    public void BadBoxFilesAreDataErrorsNamingTheFile(string json, string _, int n, string expected)
    {
        var p = Write("box.json", json);
        var e = Assert.Throws<BadInputException>(() => InputBoxSource.FromJsonFile(p, n))!;
        Assert.That(e.Message, Does.StartWith(p));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void VnnLibDimensionsAreCheckedAgainstTheNetwork()
    {
        var p = Write("p.vnnlib", VnnLibReaderTests.Prop1);
        Assert.That(InputBoxSource.FromVnnLib(p, 5, 5).Spec, Is.Not.Null);
        Assert.That(Assert.Throws<BadInputException>(() => InputBoxSource.FromVnnLib(p, 4))!.Message,
            Does.Contain("declares 5 inputs X_0..X_4 but the network has 4"));
        Assert.That(Assert.Throws<BadInputException>(() => InputBoxSource.FromVnnLib(p, 5, 3))!.Message,
            Does.Contain("declares 5 outputs"));
    }
}
