using System.Globalization;
using Verify.Intervals;

namespace Verify.Cli;

/// <summary>
/// An input box in one readable line: every side up to <see cref="FullDimension"/> dimensions, a summary of the
/// widths and bounds beyond (a 784-pixel box printed side by side is a screen of noise; the full box is in --json).
/// </summary>
public static class BoxText
{
    public const int FullDimension = 8;

    public static string Of(IReadOnlyList<double> lo, IReadOnlyList<double> hi)
    {
        var inv = CultureInfo.InvariantCulture;
        if (lo.Count <= FullDimension)
            return string.Join(" × ", lo.Select((l, i) => string.Format(inv, "[{0:G6}, {1:G6}]", l, hi[i])));
        var widths = lo.Select((l, i) => Rounding.SubUp(hi[i], l)).ToArray();
        int points = widths.Count(w => w == 0);
        return string.Format(inv,
            "{0} dimensions: widths in [{1:G6}, {2:G6}]{3}, lower bounds in [{4:G6}, {5:G6}], upper bounds in [{6:G6}, {7:G6}] (the full box is in --json)",
            lo.Count, widths.Min(), widths.Max(), points > 0 ? $" ({points} fixed)" : "", lo.Min(), lo.Max(), hi.Min(), hi.Max());
    }
}
