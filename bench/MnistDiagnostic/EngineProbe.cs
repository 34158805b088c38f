using System.Reflection;
using System.Runtime.CompilerServices;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bench.Mnist;

/// <summary>
/// Reaches the linear pass's per-layer enclosures (internal to the engine, so by reflection: a diagnostic, not an API)
/// and runs the pass with the nominal pre-activations intersected with given ranges. With sampled ranges that
/// intersection is UNSOUND; it only tells how much of U the loose nominal enclosures cost.
/// </summary>
internal static class EngineProbe
{
    private static readonly Type LayerBoundsType = typeof(LinearDifferenceBounder).Assembly.GetType("Verify.Bounds.LayerBounds")!;

    public sealed record Layer(double[] ZLo, double[] ZHi, double[] DLo, double[] DHi, double[] HPLo, double[] HPHi);

    public static (double[] Upper, Layer[] Layers) Run(LinearDifferenceBounder bounder, Network net, Box box, ParameterBox delta,
                                                       double[][]? zLo = null, double[][]? zHi = null)
    {
        object? outer = null;
        if (zLo is not null)
        {
            var arr = Array.CreateInstance(LayerBoundsType, net.Depth + 1);
            for (int l = 0; l < net.Depth; l++)
            {
                int n = net.Layers[l].Outputs;
                var lb = Activator.CreateInstance(LayerBoundsType, n)!;
                Fill(lb, "ZLo", zLo[l]); Fill(lb, "ZHi", zHi![l]);
                Fill(lb, "DLo", Enumerable.Repeat(double.NegativeInfinity, n).ToArray());
                Fill(lb, "DHi", Enumerable.Repeat(double.PositiveInfinity, n).ToArray());
                Fill(lb, "PLo", Enumerable.Repeat(double.NegativeInfinity, n).ToArray());
                Fill(lb, "PHi", Enumerable.Repeat(double.PositiveInfinity, n).ToArray());
                arr.SetValue(lb, l + 1);
            }
            outer = arr;
        }
        var m = typeof(LinearDifferenceBounder).GetMethod("BoundWithEnclosures", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var t = (ITuple)m.Invoke(bounder, [net, box, delta, outer, CancellationToken.None])!;
        var bound = (DeviationBound)t[0]!;
        var encl = (Array)t[2]!;
        var layers = new Layer[net.Depth];
        for (int l = 0; l < net.Depth; l++)
        {
            var lb = encl.GetValue(l + 1)!;
            layers[l] = new Layer(Get(lb, "ZLo"), Get(lb, "ZHi"), Get(lb, "DLo"), Get(lb, "DHi"), Get(lb, "HPLo"), Get(lb, "HPHi"));
        }
        return (bound.Upper, layers);
    }

    private static double[] Get(object lb, string field) => (double[])LayerBoundsType.GetField(field)!.GetValue(lb)!;

    private static void Fill(object lb, string field, double[] values) => values.CopyTo(Get(lb, field), 0);
}
