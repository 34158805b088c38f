using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// A bounder that also says, per input dimension, how much the box's width along it contributes to its bound.
/// Branch and bound bisects the dimension of largest influence instead of guessing from gradients.
/// </summary>
public interface IInfluenceBounder : IDeviationBounder
{
    (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default);
}

/// <summary>The linear difference bounder with its own branching heuristic exposed to branch and bound.</summary>
public sealed class LinearInfluenceBounder(LinearDifferenceBounder inner) : IInfluenceBounder
{
    public LinearInfluenceBounder() : this(new LinearDifferenceBounder()) { }

    public string Name => inner.Name;

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        inner.Bound(network, box, delta, cancellation);

    public (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        inner.BoundWithInfluence(network, box, delta, cancellation);
}
