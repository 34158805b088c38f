using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>The meanvalue method's leaf for branch and bound: min(linear, mean-value) per box, with the linear pass's
/// influence choosing the split.</summary>
public sealed class MeanValueInfluenceBounder(MeanValueBounder inner) : IInfluenceBounder
{
    public MeanValueInfluenceBounder() : this(new MeanValueBounder()) { }

    public string Name => inner.Name;

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        inner.Bound(network, box, delta, cancellation);

    public (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        inner.BoundWithInfluence(network, box, delta, cancellation);
}
