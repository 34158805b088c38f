using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// Class margins of the perturbed network, bounded directly rather than through 2U: after the joint forward pass has
/// built every layer's enclosures, the objective y'_j − y'_c = (z_j + Δz_j) − (z_c + Δz_c) of the last layer is one
/// vector objective (c = d = e_j − e_c) carried down by the same backward pass as the per-neuron bounds, with the same
/// rounding-error allowance per step. Its upper bound u gives the margin bound −u; the interval enclosure of z' gives
/// lo(y'_c) − hi(y'_j), and the larger of the two is reported. A last layer with an activation other than the identity
/// gets only the interval bound (its planes are not built).
/// </summary>
public sealed partial class LinearDifferenceBounder
{
    /// <summary>Certified lower bounds of min over (x ∈ box, δ ∈ delta) of y'_c − y'_j for every j ≠ <paramref name="cls"/>.</summary>
    public MarginBound Margins(Network network, Box box, ParameterBox delta, int cls, CancellationToken cancellation = default) =>
        MarginsWithEnclosures(network, box, delta, cls, null, cancellation).Bound;

    /// <summary>As <see cref="Margins"/>, reusing (and returning) enclosures as <see cref="BoundWithEnclosures"/> does.</summary>
    internal (MarginBound Bound, LayerBounds[] Enclosures) MarginsWithEnclosures(Network network, Box box, ParameterBox delta,
        int cls, LayerBounds[]? outer, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        if (cls < 0 || cls >= network.OutputSize) throw new ArgumentOutOfRangeException(nameof(cls));
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight) { Outer = outer, ZPrimeRows = ZPrimeRows };
        pass.Run(cancellation);
        return (pass.Margins(cls), pass.Enclosures);
    }

    private sealed partial class JointPass
    {
        public MarginBound Margins(int cls)
        {
            int m = _net.Depth - 1;
            var output = _b[m + 1];
            int n = _net.OutputSize, d0 = _net.InputSize;
            bool identity = _net.Layers[m].Activation.Operator.IsIdentity;
            var lower = new double[n];
            var influence = new double[d0];
            lower[cls] = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                if (j == cls) continue;
                double bound = Rounding.SubDown(output.HPLo[cls], output.HPHi[j]);
                if (identity)
                {
                    Array.Clear(_c, 0, n); Array.Clear(_d, 0, n);
                    _c[j] = _d[j] = 1; _c[cls] = _d[cls] = -1;
                    bound = Math.Max(bound, -Backward(m));
                    if (bound <= 0)
                    {
                        double scale = Math.Max(Math.Abs(bound), 1e-300);
                        for (int k = 0; k < d0; k++) influence[k] += Math.Abs(_xc[k]) * (_xHi[k] - _xLo[k]) / scale;
                    }
                }
                lower[j] = bound;
            }
            return new MarginBound(cls, lower, influence);
        }
    }
}
