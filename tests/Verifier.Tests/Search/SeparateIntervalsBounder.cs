using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Search;

/// <summary>
/// A simple sound bounder for tests: interval propagation of the nominal and of the perturbed network separately
/// (parameters θ + [lo, hi], outward rounded), U_j = magnitude of y_perturbed − y_nominal.
/// </summary>
internal sealed class SeparateIntervalsBounder : IDeviationBounder
{
    public string Name => "separate-intervals";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var y0 = Propagate(network, box, null);
        var y1 = Propagate(network, box, delta);
        var u = new double[y0.Length];
        for (int j = 0; j < u.Length; j++) u[j] = (y1[j] - y0[j]).Magnitude;
        return new DeviationBound(u);
    }

    private static Interval[] Propagate(Network net, Box box, ParameterBox? delta)
    {
        var h = box.Dimensions.ToArray();
        for (int l = 0; l < net.Depth; l++)
        {
            var L = net.Layers[l];
            var z = new Interval[L.Outputs];
            for (int i = 0; i < L.Outputs; i++)
            {
                var s = Param(L.B(i), delta?.Layers[l].BiasLo[i], delta?.Layers[l].BiasHi[i]);
                for (int k = 0; k < L.Inputs; k++)
                {
                    int idx = i * L.Inputs + k;
                    s += Param(L.W(i, k), delta?.Layers[l].WeightLo[idx], delta?.Layers[l].WeightHi[idx]) * h[k];
                }
                z[i] = L.Activation.Kind switch
                {
                    ActivationKind.Relu => s.Relu(),
                    ActivationKind.Identity => s,
                    _ => s.LeakyRelu(L.Activation.Slope),
                };
            }
            h = z;
        }
        return h;
    }

    private static Interval Param(double theta, double? lo, double? hi) =>
        lo is null ? Interval.Point(theta) : Interval.Point(theta) + new Interval(lo.Value, hi!.Value);
}
