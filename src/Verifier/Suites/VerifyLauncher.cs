using System.Diagnostics;

namespace Verify.Suites;

/// <summary>
/// How to start the `verify` executable as a child process: its apphost when one sits next to verify.dll, otherwise
/// `dotnet exec verify.dll` (test hosts and framework-dependent layouts). Child processes keep parallel queries apart
/// (each has its own console, GC and can be killed at its timeout).
/// </summary>
public sealed record VerifyLauncher(string FileName, IReadOnlyList<string> Prefix)
{
    public static VerifyLauncher Locate()
    {
        string dll = typeof(VerifyLauncher).Assembly.Location;
        string dir = Path.GetDirectoryName(dll) ?? AppContext.BaseDirectory;
        string apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "verify.exe" : "verify");
        if (File.Exists(apphost)) return new VerifyLauncher(apphost, []);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
            : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return new VerifyLauncher(dotnet, ["exec", dll]);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in Prefix.Concat(args)) psi.ArgumentList.Add(a);
        return psi;
    }
}
