using ScottPlot;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// Pictures of the examples like the paper's Figures 1–5 (ScottPlot 5, PNG): for two inputs, heat maps of R(Γ) and g_k
/// on the domain (ex&lt;id&gt;-k&lt;k&gt;-gamma.png, -gk.png); for Example 2.5 the weight vectors of Θ_k (grey) and Γ_k
/// (black) projected onto the first two coordinates (ex2.5-k&lt;k&gt;-weights.png). The values are doubles of the
/// exact realizations, for looking at only.
/// </summary>
public static class ExamplePlot
{
    private const int Grid = 121;

    /// <summary>The example's pictures as (file name, PNG bytes); the caller writes them.</summary>
    public static IReadOnlyList<(string Name, byte[] Png)> Render(PaperExample e)
    {
        string stem = $"ex{e.Id}-k{e.K}";
        if (e.Gamma.InputSize == 2)
            return [(stem + "-gamma.png", Heatmap(e.Gamma, e.Domain, $"Example {e.Id}: R(Γ)")), (stem + "-gk.png", Heatmap(e.Theta, e.Domain, $"Example {e.Id}: g_{e.K}"))];
        return [(stem + "-weights.png", Weights(e))];
    }

    private static byte[] Heatmap(ExactNet net, FiberDomain u, string title)
    {
        double x0 = u.Lo[0].ToDouble(), x1 = u.Hi[0].ToDouble(), y0 = u.Lo[1].ToDouble(), y1 = u.Hi[1].ToDouble();
        var values = new double[Grid, Grid];
        for (int r = 0; r < Grid; r++)
            for (int c = 0; c < Grid; c++)
            {
                // Row 0 is the top of the picture: largest x₂.
                var x = new[] { Rational.FromDouble(x0 + (x1 - x0) * c / (Grid - 1)), Rational.FromDouble(y1 - (y1 - y0) * r / (Grid - 1)) };
                values[r, c] = net.Evaluate(x)[0].ToDouble();
            }
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Extent = new CoordinateRect(x0, x1, y0, y1);
        plot.Add.ColorBar(map);
        plot.Title(title);
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        return plot.GetImageBytes(700, 600, ImageFormat.Png);
    }

    private static byte[] Weights(PaperExample e)
    {
        var plot = new Plot();
        void Draw(ExactNet n, Color color, string label)
        {
            bool first = true;
            foreach (var a in n.Layers[0].W)
            {
                var line = plot.Add.Line(0, 0, a[0].ToDouble(), a[1].ToDouble());
                line.Color = color;
                line.LineWidth = 3;
                if (first) { line.LegendText = label; first = false; }
            }
        }
        Draw(e.Theta, Colors.Gray, $"Θ_{e.K}");
        Draw(e.Gamma, Colors.Black, $"Γ_{e.K}");
        plot.Title($"Example {e.Id}, k = {e.K}: weight vectors (first two coordinates)");
        plot.XLabel("a₁");
        plot.YLabel("a₂");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(700, 600, ImageFormat.Png);
    }
}
