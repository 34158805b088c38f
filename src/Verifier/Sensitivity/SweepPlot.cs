using ScottPlot;

namespace Verify.Sensitivity;

/// <summary>
/// The sweep as one log-log chart (ScottPlot 5): Monte Carlo mean, 99% quantile and maximum of ‖Δf‖∞, the
/// first-order prediction, and the certified upper bound / witness lower bound where present. ScottPlot has no log
/// axis, so log10 of the data is plotted with decade ticks labelled 10^k.
/// </summary>
public static class SweepPlot
{
    /// <summary>The chart as the bytes of an SVG (<paramref name="svg"/>) or PNG file; the caller writes it.</summary>
    public static byte[] Render(IReadOnlyList<SweepRow> rows, string levelLabel, string title, bool svg)
    {
        var plot = new Plot();
        Series(plot, rows, r => r.MeanInf, "MC mean", Colors.Blue, LinePattern.Solid, MarkerShape.FilledCircle);
        Series(plot, rows, r => r.Q99Inf, "MC 99% quantile", Colors.Orange, LinePattern.Solid, MarkerShape.FilledSquare);
        Series(plot, rows, r => r.MaxInf, "MC max (sampled)", Colors.Gray, LinePattern.Dotted, MarkerShape.OpenCircle);
        Series(plot, rows, r => r.FirstOrderInf, "first-order E‖Jη‖∞", Colors.Green, LinePattern.Dashed, MarkerShape.None);
        Series(plot, rows, r => r.CertifiedUpperInf, "certified upper bound", Colors.Red, LinePattern.Solid, MarkerShape.FilledTriangleDown);
        Series(plot, rows, r => r.WitnessLowerInf, "best witness (lower bound)", Colors.Purple, LinePattern.Solid, MarkerShape.FilledTriangleUp);
        plot.Title(title);
        plot.XLabel(levelLabel);
        plot.YLabel("‖f(x;θ+η) − f(x;θ)‖∞");
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.ShowLegend(Alignment.UpperLeft);
        return svg ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(900, 600)) : plot.GetImageBytes(900, 600, ImageFormat.Png);
    }

    private static void Series(Plot plot, IReadOnlyList<SweepRow> rows, Func<SweepRow, double?> value, string label,
                               Color color, LinePattern pattern, MarkerShape marker)
    {
        var pts = rows.Select(r => (r.Level, V: value(r))).Where(p => p.V is > 0 && double.IsFinite(p.V.Value)).ToArray();
        if (pts.Length == 0) return;
        var s = plot.Add.Scatter(pts.Select(p => Math.Log10(p.Level)).ToArray(), pts.Select(p => Math.Log10(p.V!.Value)).ToArray());
        s.LegendText = label;
        s.Color = color;
        s.LinePattern = pattern;
        s.LineWidth = 2;
        s.MarkerShape = marker;
        s.MarkerSize = marker == MarkerShape.None ? 0 : 7;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => $"1e{Math.Round(v):0}",
    };
}
