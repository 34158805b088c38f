using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

internal static class BounderChecks
{
    public static void Validate(Network network, Box box, ParameterBox delta)
    {
        if (box.Dimension != network.InputSize)
            throw new ArgumentException($"box has {box.Dimension} dimensions, the network {network.InputSize} inputs");
        if (delta.Layers.Count != network.Depth)
            throw new ArgumentException($"parameter box has {delta.Layers.Count} layers, the network {network.Depth}");
        for (int i = 0; i < box.Dimension; i++)
            if (!box[i].IsBounded) throw new ArgumentException($"input interval {i} is unbounded");
    }
}
