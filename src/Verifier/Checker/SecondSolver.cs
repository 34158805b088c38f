using System.Diagnostics;

namespace Verify.Checker;

/// <summary>What the second solver said about one query.</summary>
internal enum SolverAnswer { Unsat, Sat, Unknown }

/// <summary>
/// cvc5 (Debian's package, 1.0.3 and later), run as a separate process on one SMT-LIB2 query: `cvc5 --lang smt2
/// --tlimit=MS FILE`. A solver that is not Z3 re-decides what Z3 answered; anything but a first output line "unsat" or
/// "sat" (a time-out, an error, a crash) is unknown, never an answer.
/// </summary>
internal sealed class SecondSolver
{
    public string Executable { get; }
    public string Version { get; }

    private SecondSolver(string executable, string version) { Executable = executable; Version = version; }

    /// <summary>cvc5 from <paramref name="explicitPath"/>, or else the first `cvc5` on PATH; null when there is none.</summary>
    public static SecondSolver? Find(string? explicitPath = null)
    {
        string? exe = explicitPath;
        if (exe is null)
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, "cvc5"))) { exe = Path.Combine(dir, "cvc5"); break; }
        if (exe is null || !File.Exists(exe)) return null;
        var (code, output) = Run(exe, ["--version"], TimeSpan.FromSeconds(20));
        if (code != 0 || !output.Contains("cvc5", StringComparison.OrdinalIgnoreCase)) return null;
        return new SecondSolver(exe, output.Split('\n')[0].Trim().Replace("This is ", ""));
    }

    public SolverAnswer Decide(string smt2, TimeSpan limit)
    {
        string file = Path.Combine(Path.GetTempPath(), $"verify-check-{Guid.NewGuid():N}.smt2");
        try
        {
            File.WriteAllText(file, smt2);
            var (_, output) = Run(Executable, ["--lang", "smt2", $"--tlimit={(long)limit.TotalMilliseconds}", file], limit + TimeSpan.FromSeconds(10));
            return output.Split('\n')[0].Trim() switch { "unsat" => SolverAnswer.Unsat, "sat" => SolverAnswer.Sat, _ => SolverAnswer.Unknown };
        }
        finally { File.Delete(file); }
    }

    private static (int Code, string Output) Run(string exe, string[] args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(limit))
            {
                p.Kill(entireProcessTree: true);
                return (-1, "");
            }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception) { return (-1, ""); }
    }
}
