using Verify.Intervals;
using Verify.Model;

namespace Verify.Smt;

/// <summary>
/// The neuron bounds the SMT encoding needs to fix stable neurons and bound the unstable ones, from the shared
/// interval propagation of <see cref="Bounds.IntervalPropagation"/>.
/// </summary>
public static class IntervalPropagation
{
    public static NeuronBounds Compute(Network net, Box box) =>
        new(Bounds.IntervalPropagation.Run(net, box).PreActivations.Select(z => (IReadOnlyList<Interval>)z).ToList());

    /// <summary>Enclosures of the network outputs (after the last activation) over the box.</summary>
    public static Interval[] Outputs(Network net, Box box) => Bounds.IntervalPropagation.Run(net, box).Outputs;

}
