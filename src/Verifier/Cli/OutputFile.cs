using Verify.Errors;

namespace Verify.Cli;

/// <summary>Writes a verb's output file (plot, table), creating its folder; a failure is bad input naming the file.</summary>
public static class OutputFile
{
    /// <param name="what">what the file holds, for the message ("the plot", "CSV").</param>
    public static void Write(string path, byte[] bytes, string what) => Guard(path, what, () => File.WriteAllBytes(path, bytes));

    public static void WriteLines(string path, IEnumerable<string> lines, string what) => Guard(path, what, () => File.WriteAllLines(path, lines));

    private static void Guard(string path, string what, Action write)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, $"cannot write {what}: " + e.Message);
        }
    }
}
