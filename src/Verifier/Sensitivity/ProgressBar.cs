using System.Runtime.CompilerServices;

namespace Verify.Sensitivity;

/// <summary>
/// A one-line progress bar on stderr, redrawn 4 times a second, shown only when stderr is a terminal so logs and
/// pipes stay clean. Reads a shared counter that the workers increment.
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private readonly StrongBox<long> _done;
    private readonly long _total;
    private readonly Timer? _timer;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly object _gate = new();
    private bool _drawn;

    public ProgressBar(StrongBox<long> done, long total)
    {
        _done = done; _total = total;
        if (!Console.IsErrorRedirected) _timer = new Timer(_ => Draw(), null, 500, 250);
    }

    private void Draw()
    {
        lock (_gate)
        {
            long d = Interlocked.Read(ref _done.Value);
            double f = _total > 0 ? Math.Min(1, (double)d / _total) : 1;
            int filled = (int)(f * 30);
            double rate = d / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {f * 100,5:F1}%  {rate:G3} samples/s ");
            _drawn = true;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate) if (_drawn) Console.Error.Write("\r" + new string(' ', 70) + "\r");
    }
}
