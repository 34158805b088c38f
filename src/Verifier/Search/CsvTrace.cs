using System.Globalization;

namespace Verify.Search;

/// <summary>
/// The `--trace FILE` sink: one CSV row "seconds,upper,lower" per progress report of the search, so U and L can be
/// plotted over time. Rows are flushed as they come, so a killed run keeps its trace.
/// </summary>
public sealed class CsvTrace : IDisposable
{
    private readonly TextWriter _out;
    private readonly object _gate = new();

    public CsvTrace(TextWriter output)
    {
        _out = output;
        _out.WriteLine("seconds,upper,lower");
        _out.Flush();
    }

    public static CsvTrace Create(string path) => new(new StreamWriter(path, append: false));

    public void Record(SearchProgress p)
    {
        var inv = CultureInfo.InvariantCulture;
        lock (_gate)
        {
            _out.WriteLine(string.Create(inv, $"{p.Elapsed.TotalSeconds:F3},{p.Upper:R},{p.Lower:R}"));
            _out.Flush();
        }
    }

    public void Dispose() => _out.Dispose();
}
