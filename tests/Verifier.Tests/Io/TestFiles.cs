namespace Verify.Tests.Io;

/// <summary>Paths of the copied test data and a scratch folder that is removed after each test class.</summary>
public static class TestFiles
{
    public static string Data(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);

    public const string Acas11 = "ACASXU_run2a_1_1_batch_2000.nnet";
    public const string Acas29 = "ACASXU_run2a_2_9_batch_2000.nnet";
    public const string Mnist = "mnist_relu_3_100.nnet";
    public const string B2Layer = "b2layer_unquantized.nnet";
    public const string Motex = "refine_motex.nnet";
    public const string Net2 = "net_2_16_16_1.json";
    public const string Prop1Box = "acasxu_prop1_box.json";

    public static string NewScratchDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "verify-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static bool SameBits(double[] a, double[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));
}
