namespace Verify.Tests.Hardening;

/// <summary>
/// The inputs of the issue-19 campaign that ended in an internal error (exit 70) or were accepted although invalid.
/// Each must now be a one-line error with a distinct exit code (64 usage, 65 bad data) or a correct answer.
/// The mutated files live in Data/hostile.
/// </summary>
[NonParallelizable]
public class HostileInputTests
{
    private static string Net => Hostile.Path("net_2_2_1.json");

    [TestCase("duplicate_layers.json", "Duplicate property 'layers'")]
    [TestCase("duplicate_key_in_layer.json", "Duplicate property 'b'")]
    public void ADuplicateJsonKeyIsBadInput(string file, string fragment) =>
        CliRunner.Fails(65, ["info", "--net", Hostile.Path(file)], file, fragment);

    [TestCase("nnet_huge_size.nnet", "2147483647")]
    [TestCase("nnet_huge_hidden.nnet", "2147483647")]
    public void NnetSizesAreCheckedAgainstTheFileBeforeAllocating(string file, string fragment) =>
        CliRunner.Fails(65, ["info", "--net", Hostile.Path(file)], file + ":2:", fragment, "bytes");

    [TestCase("nnet_flag_nan.nnet", "NaN")]
    [TestCase("nnet_flag_infinity.nnet", "Infinity")]
    [TestCase("nnet_flag_1e999.nnet", "1e999")]
    [TestCase("nnet_flag_two_values.nnet", "0,0")]
    public void TheNnetFlagLineMustBeOneInteger(string file, string fragment) =>
        CliRunner.Fails(65, ["info", "--net", Hostile.Path(file)], file + ":3:", "flag line", fragment);

    [TestCase("nnet_flag_not_utf8.nnet")]
    public void NonUtf8NnetIsBadInput(string file) =>
        CliRunner.Fails(65, ["info", "--net", Hostile.Path(file)], file, "UTF-8");

    [Test]
    public void NonUtf8VnnLibIsBadInput() =>
        CliRunner.Fails(65, ["info", "--net", Net, "--vnnlib", Hostile.Path("vnnlib_not_utf8.vnnlib")], "vnnlib_not_utf8.vnnlib", "UTF-8");

    [TestCase("box_short_lo.json")]
    [TestCase("box_scalar.json")]
    public void ABoxFileIsNeverBroadcast(string file) =>
        CliRunner.Fails(65, ["certify", "--net", Net, "--box-file", Hostile.Path(file), "--eps", "0.1"], file, "\"lo\" has 1 value", "2 inputs");

    [Test]
    public void ABoxFileWithTwoLoKeysIsBadInput() =>
        CliRunner.Fails(65, ["info", "--net", Net, "--box-file", Hostile.Path("box_duplicate_lo.json")], "Duplicate property 'lo'");

    [Test]
    public void TheCommandLineStillBroadcastsAScalar()
    {
        var (code, stdout, err) = CliRunner.Run("info", "--net", Net, "--lo", "-1", "--hi", "1");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("input box"));
    }

    [Test]
    public void AnOutputBoundBeyondTheDoubleRangeIsKeptExactAndShown()
    {
        var vnn = Hostile.Path("output_bound_1e999.vnnlib");
        var (code, stdout, err) = CliRunner.Run("info", "--net", Net, "--vnnlib", vnn);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Contain("Y_0 <= (a number below -1.8E+308)"));
        // Decided exactly: no output of this network at x = 0 is below −10^999.
        (code, stdout, err) = CliRunner.Run("eval", "--net", Net, "--x", "0,0", "--vnnlib", vnn);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Not.Contain("NaN"));
    }

    [TestCase("--eps", "0.1,", "entry 2")]
    [TestCase("--eps", ",0.1", "entry 1")]
    [TestCase("--eps", "0.1,,0.2", "entry 2")]
    [TestCase("--layers", "1e10", "layer number")]
    [TestCase("--timeout", "1e300", "too long")]
    public void BadOptionValuesAreUsageErrors(string option, string value, string fragment)
    {
        string[] args = option == "--eps"
            ? ["certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", value]
            : ["certify", "--net", Net, "--lo", "-1", "--hi", "1", "--eps", "0.1", option, value];
        CliRunner.Fails(64, args, option, fragment);
    }

    [Test]
    public void AnOverlongTimeoutIsAUsageErrorInEveryVerbThatTakesOne()
    {
        CliRunner.Fails(64, ["equiv", "--net", Net, "--net2", Net, "--lo", "-1", "--hi", "1", "--eps", "0.1", "--timeout", "1e300"], "--timeout");
        CliRunner.Fails(64, ["realization-distance", "--net", Net, "--net2", Net, "--lo", "-1", "--hi", "1", "--timeout", "1e300"], "--timeout");
    }

    [TestCase("--lo=-1e308", "--hi=1e308", "--eps", "0.1")]
    [TestCase("--lo=-1", "--hi=1", "--eps", "1e308")]
    [TestCase("--lo=-1", "--hi=1", "--eps", "1e308", "--relative")]
    public void HugeValuesOnTheCommandLineAreRejectedInOneLine(params string[] args) =>
        CliRunner.Fails(65, ["certify", "--net", Net, .. args, "--timeout", "2"], "double precision", "1E+100");

    [TestCase("huge_box.json", "--box-file")]
    [TestCase("huge_input_bound.vnnlib", "--vnnlib")]
    public void HugeBoxesInFilesAreRejectedInOneLine(string file, string option)
    {
        CliRunner.Fails(65, ["certify", "--net", Net, option, Hostile.Path(file), "--eps", "0.1", "--timeout", "2"], "input box reaches 1E+308");
        CliRunner.Fails(65, ["equiv", "--net", Net, "--net2", Net, option, Hostile.Path(file), "--eps", "0.1", "--timeout", "2"], "input box reaches 1E+308");
    }

    [TestCase("huge_weight_2_1_1.json")]
    [TestCase("nnet_huge_weight.nnet")]
    public void HugeWeightsAreReadButNotBounded(string file)
    {
        var path = Hostile.Path(file);
        Assert.That(CliRunner.Run("info", "--net", path).Code, Is.EqualTo(0), "a valid double is a valid weight");
        CliRunner.Fails(65, ["certify", "--net", path, "--lo", "-1", "--hi", "1", "--eps", "0.1", "--timeout", "2"], "1.8E+308", "layer 1");
        CliRunner.Fails(65, ["equiv", "--net", path, "--net2", path, "--lo", "-1", "--hi", "1", "--eps", "0.1", "--timeout", "2"], "1.8E+308");
    }

    [Test]
    public void LargeButRepresentableMagnitudesStillGetSoundBounds()
    {
        var (code, stdout, err) = CliRunner.Run("certify", "--net", Net, "--lo=-1e90", "--hi=1e90", "--eps", "0.1", "--method", "linear", "--timeout", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(stdout, Does.Not.Contain("NaN"));
    }
}
