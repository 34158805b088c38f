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
/// With <see cref="OptimizeMargins"/> every margin the plain planes leave ≤ 0 is also bounded with optimised slopes
/// (α-CROWN, LinearDifferenceBounder.Slopes.cs; with phases fixed, β too): the optimiser's first iterate is the plain
/// bound and the smallest rigorous iterate is kept, so the reported margin is never below the plain one; it stops at
/// the first iterate that proves the margin positive.
/// </summary>
public sealed partial class LinearDifferenceBounder
{
    /// <summary>Optimise the slopes of every margin objective the plain pass leaves ≤ 0 (<see cref="SlopeIterations"/>
    /// Adam steps per rival class); the deviation bounds are unaffected.</summary>
    public bool OptimizeMargins { get; init; }

    /// <summary>Certified lower bounds of min over (x ∈ box, δ ∈ delta) of y'_c − y'_j for every j ≠ <paramref name="cls"/>.</summary>
    public MarginBound Margins(Network network, Box box, ParameterBox delta, int cls, CancellationToken cancellation = default) =>
        MarginsWithEnclosures(network, box, delta, cls, null, cancellation).Bound;

    /// <summary>As <see cref="Margins"/>, reusing (and returning) enclosures as <see cref="BoundWithEnclosures"/> does.</summary>
    internal (MarginBound Bound, LayerBounds[] Enclosures) MarginsWithEnclosures(Network network, Box box, ParameterBox delta,
        int cls, LayerBounds[]? outer, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        if (cls < 0 || cls >= network.OutputSize) throw new ArgumentOutOfRangeException(nameof(cls));
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight) { Outer = outer, ZPrimeRows = ZPrimeRows, MarginIterations = MarginSteps };
        pass.Run(cancellation);
        return (pass.Margins(cls, cancellation), pass.Enclosures);
    }

    /// <summary>
    /// The margins over <paramref name="box"/> from <paramref name="enclosures"/> that a pass over the same box and
    /// parameter box has computed (<see cref="MarginsWithEnclosures"/>): no layer is recomputed, only the margin
    /// objectives are bounded again (optimised with <see cref="OptimizeMargins"/>).
    /// </summary>
    internal MarginBound MarginsFrom(Network network, Box box, ParameterBox delta, int cls, LayerBounds[] enclosures,
        CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        if (cls < 0 || cls >= network.OutputSize) throw new ArgumentOutOfRangeException(nameof(cls));
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight)
        {
            Outer = enclosures, ReuseThrough = network.Depth - 1, ZPrimeRows = ZPrimeRows, MarginIterations = MarginSteps,
        };
        pass.Run(cancellation);
        if (pass.Infeasible) throw new InvalidOperationException("reused enclosures were proved empty: a bug in the margin pass");
        return pass.Margins(cls, cancellation);
    }

    private int MarginSteps => OptimizeMargins ? Math.Max(1, SlopeIterations) : 0;

    private sealed partial class JointPass
    {
        /// <summary>Adam steps per margin objective the plain planes leave ≤ 0 (0: plain planes only).</summary>
        public int MarginIterations { get; init; }

        public MarginBound Margins(int cls, CancellationToken cancellation = default)
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
                    SetMarginObjective(cls, j);
                    bound = Math.Max(bound, -Backward(m));
                    // The branching heuristic reads the plain planes' x coefficients (see OptimizedBound).
                    var plainX = bound <= 0 ? _xc.AsSpan(0, d0).ToArray() : null;
                    if (bound <= 0 && MarginIterations > 0 && m > 0)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        bound = Math.Max(bound, -OptimizedBound(m, () => SetMarginObjective(cls, j), MarginIterations, out _, enoughBelow: 0));
                    }
                    if (bound <= 0)
                    {
                        double scale = Math.Max(Math.Abs(bound), 1e-300);
                        for (int k = 0; k < d0; k++) influence[k] += Math.Abs(plainX![k]) * (_xHi[k] - _xLo[k]) / scale;
                    }
                }
                lower[j] = bound;
            }
            return new MarginBound(cls, lower, influence);
        }

        /// <summary>The objective z'_j − z'_c = (z_j − z_c) + (Δz_j − Δz_c) on the last layer.</summary>
        private void SetMarginObjective(int cls, int j)
        {
            int n = _net.OutputSize;
            Array.Clear(_c, 0, n); Array.Clear(_d, 0, n);
            _c[j] = _d[j] = 1; _c[cls] = _d[cls] = -1;
        }
    }
}
