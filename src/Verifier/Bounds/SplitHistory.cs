using System.Diagnostics;
using Verify.Results;

namespace Verify.Bounds;

/// <summary>
/// The sup U over time of one splitting run (input or phase splitting): the root's bound, every improvement as it
/// happens (also told to the progress listener), and the final point; thinned for the report.
/// </summary>
internal sealed class SplitHistory
{
    private readonly List<SplitProgress> _points;
    private readonly Stopwatch _clock;
    private readonly Action<SplitProgress>? _progress;

    public SplitHistory(Stopwatch clock, double rootSupUpper, Action<SplitProgress>? progress)
    {
        _clock = clock; _progress = progress;
        _points = [new SplitProgress(0, clock.Elapsed.TotalSeconds, rootSupUpper)];
        LastSup = rootSupUpper;
    }

    /// <summary>The best sup U recorded so far.</summary>
    public double LastSup { get; private set; }

    /// <summary>Records <paramref name="supUpper"/> when it improves on the last one. Called from the searching thread.</summary>
    public void Offer(long splits, double supUpper)
    {
        if (!(supUpper < LastSup)) return;
        LastSup = supUpper;
        var p = new SplitProgress((int)splits, _clock.Elapsed.TotalSeconds, supUpper);
        _points.Add(p);
        _progress?.Invoke(p);
    }

    /// <summary>The history with the run's final point, at most <paramref name="max"/> evenly spread points (the last
    /// one kept).</summary>
    public IReadOnlyList<SplitProgress> Finish(int splits, double supUpper, int max = 40)
    {
        var final = new SplitProgress(splits, _clock.Elapsed.TotalSeconds, supUpper);
        if (_points[^1].SupUpper != final.SupUpper || _points[^1].Splits != splits) _points.Add(final);
        if (_points.Count <= max) return _points;
        var r = new List<SplitProgress>();
        for (int i = 0; i < max - 1; i++) r.Add(_points[(int)((long)i * (_points.Count - 1) / (max - 1))]);
        r.Add(_points[^1]);
        return r;
    }
}
