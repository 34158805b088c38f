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
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight)
        {
            Outer = outer, ZPrimeRows = ZPrimeRows, MarginIterations = MarginSteps, StopAtFirstOpenMargin = StopAtFirstOpenMargin,
        };
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
            StopAtFirstOpenMargin = StopAtFirstOpenMargin,
        };
        pass.Run(cancellation);
        if (pass.Infeasible) throw new InvalidOperationException("reused enclosures were proved empty: a bug in the margin pass");
        return pass.Margins(cls, cancellation);
    }

    /// <summary>With <see cref="OptimizeMargins"/>: optimise the margins worst first and stop once one stays ≤ 0 and no
    /// plain bound left is below it (the others keep their plain bounds). For branching, where such a domain is split
    /// anyway; its worst margin is still an optimised one.</summary>
    public bool StopAtFirstOpenMargin { get; init; }

    private int MarginSteps => OptimizeMargins ? Math.Max(1, SlopeIterations) : 0;

    /// <summary>Adam steps for a margin whose optimiser starts from a containing domain's slopes and β (phase
    /// branching's children); null: as many as from the plain slopes. 0 evaluates the start only.</summary>
    public int? WarmSlopeIterations { get; init; }

    private sealed partial class JointPass
    {
        /// <summary>Adam steps per margin objective the plain planes leave ≤ 0 (0: plain planes only).</summary>
        public int MarginIterations { get; init; }

        /// <summary>With <see cref="MarginIterations"/>: the margins ≤ 0 are optimised worst first, and optimising ends
        /// once one stays ≤ 0 and no plain bound left is below it (the others keep their plain bounds): a phase domain
        /// that one margin leaves open is split anyway, so optimising the rest would only refine its other margins.</summary>
        public bool StopAtFirstOpenMargin { get; init; }

        /// <summary>Per rival class, where its margin's optimiser starts (a containing domain's <see cref="ReachedStarts"/>;
        /// null: from the plain slopes and β = 0), with <see cref="WarmIterations"/> steps.</summary>
        public IReadOnlyDictionary<int, SlopeStart>? WarmStarts { get; init; }

        public int WarmIterations { get; init; }

        /// <summary>After <see cref="Margins"/>: per rival class, the slopes and β of its best optimised iterate (or
        /// <see cref="WarmStarts"/>' where this pass did not optimise that margin).</summary>
        public Dictionary<int, SlopeStart> ReachedStarts { get; private set; } = [];

        public MarginBound Margins(int cls, CancellationToken cancellation = default)
        {
            int m = _net.Depth - 1;
            var output = _b[m + 1];
            int n = _net.OutputSize, d0 = _net.InputSize;
            bool identity = _net.Layers[m].Activation.Operator.IsIdentity;
            var lower = new double[n];
            var influence = new double[d0];
            var plainX = new double[n][];
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
                    if (bound <= 0) plainX[j] = _xc.AsSpan(0, d0).ToArray();
                }
                lower[j] = bound;
            }
            if (identity && MarginIterations > 0 && m > 0)
            {
                ReachedStarts = WarmStarts is null ? [] : new Dictionary<int, SlopeStart>(WarmStarts);
                double open = double.PositiveInfinity;   // the smallest optimised margin that stayed ≤ 0
                foreach (int j in Enumerable.Range(0, n).Where(j => j != cls && lower[j] <= 0).OrderBy(j => lower[j]).ToArray())
                {
                    // In increasing order of the plain bound: once one optimised margin stays ≤ 0 and the plain bounds
                    // left are no lower, the worst margin of the domain is optimised and the rest cannot close it.
                    if (StopAtFirstOpenMargin && lower[j] >= open) break;
                    cancellation.ThrowIfCancellationRequested();
                    var start = WarmStarts?.GetValueOrDefault(j);
                    double upper = OptimizedBound(m, () => SetMarginObjective(cls, j), start is null ? MarginIterations : WarmIterations,
                        out _, 0, start, true, out var reached);
                    if (reached is not null) ReachedStarts[j] = reached;
                    lower[j] = Math.Max(lower[j], -upper);
                    if (lower[j] <= 0) open = Math.Min(open, lower[j]);
                }
            }
            for (int j = 0; j < n; j++)
            {
                if (j == cls || !identity || lower[j] > 0) continue;
                double scale = Math.Max(Math.Abs(lower[j]), 1e-300);
                for (int k = 0; k < d0; k++) influence[k] += Math.Abs(plainX[j]![k]) * (_xHi[k] - _xLo[k]) / scale;
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
