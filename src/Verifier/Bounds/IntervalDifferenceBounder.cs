using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--method ibp`: interval propagation of the nominal network and of the difference Δz = W Δh + δW h' + δb jointly,
/// with an enclosure of the activation difference (see <see cref="IntervalStep"/>). Stateless and thread-safe.
/// </summary>
public sealed class IntervalDifferenceBounder : IDeviationBounder
{
    public string Name => "ibp";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        var layers = IntervalStep.Propagate(network, box, delta, cancellation);
        return IntervalStep.ToDeviation(layers[^1]);
    }
}
