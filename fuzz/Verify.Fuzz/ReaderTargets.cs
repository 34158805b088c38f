using System.Text;
using Verify.Errors;
using Verify.Io;
using Verify.Specs;
using Verify.Suites;

namespace Verify.Fuzz;

/// <summary>
/// One fuzz target per reader: bytes in, parsed value or a <see cref="VerifyException"/> out. Any other exception
/// escapes and is what afl-fuzz records as a crash (the CLI would turn it into "internal error", exit 70).
/// </summary>
public static class ReaderTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["json"] = bytes => ReadNetwork("fuzz.json", bytes),
        ["nnet"] = bytes => ReadNetwork("fuzz.nnet", bytes),
        ["onnx"] = bytes => ReadNetwork("fuzz.onnx", bytes),
        ["vnnlib"] = bytes => VnnLibReader.Parse("fuzz.vnnlib", Encoding.UTF8.GetString(bytes)),
        ["box"] = ReadBox,
        ["suite"] = bytes => SuiteParser.Parse(Encoding.UTF8.GetString(bytes), "/fuzz/suite.yaml"),
    };

    /// <summary>Runs <paramref name="target"/>; the project's own errors are the accepted way of rejecting input.</summary>
    public static bool Accepts(Action<byte[]> target, byte[] bytes)
    {
        try { target(bytes); return true; }
        catch (VerifyException) { return false; }
    }

    private static void ReadNetwork(string name, byte[] bytes) => NetworkFiles.ForPath(name).Read(name, bytes);

    // The box reader takes a path and the network's input size; the seeds have 2 and 5 inputs. The file lives in
    // /dev/shm when it exists so that each execution costs no disk write.
    private static readonly string BoxPath = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        $"verify-fuzz-box-{Environment.ProcessId}.json");

    private static void ReadBox(byte[] bytes)
    {
        File.WriteAllBytes(BoxPath, bytes);
        foreach (int inputs in new[] { 2, 5 })
        {
            try { InputBoxSource.FromJsonFile(BoxPath, inputs); }
            catch (VerifyException) when (inputs == 2) { }
        }
    }
}
