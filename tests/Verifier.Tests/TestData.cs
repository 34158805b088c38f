using Verify.Io;
using Verify.Model;

namespace Verify.Tests;

/// <summary>Files under tests/Verifier.Tests/Data, copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Path(string name) => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);

    public static Network Network(string name) => NetworkFiles.Read(Path(name));
}
