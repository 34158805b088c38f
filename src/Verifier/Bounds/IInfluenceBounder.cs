using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// A bounder that also says, per input dimension, how much the box's width along it contributes to its bound.
/// Branch and bound bisects the dimension of largest influence instead of guessing from gradients.
/// </summary>
public interface IInfluenceBounder : IDeviationBounder
{
    (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default);
}
