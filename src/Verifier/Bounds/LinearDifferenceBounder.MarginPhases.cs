using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// Class margins over a phase domain (docs/phases.md): the joint pass with the domain's phases intersected into its
/// enclosures (an empty enclosure proves the domain empty), then the margin objectives — optimised with β multipliers
/// for the fixed phases when <see cref="OptimizeMargins"/> is set, which is what makes a split tighten the margins
/// beyond its own neuron. Both nominal z and perturbed z′ phases are branched on: at a fixed input every nominal
/// pre-activation is known, so the z′ are all that is unstable.
/// </summary>
public sealed partial class LinearDifferenceBounder
{
    /// <summary>One phase domain's margins: infeasible (proved empty, never bounded), or the margin bound, every
    /// layer's enclosures (children start from them) and the neuron to split next (null when none is unstable or
    /// every margin is positive), and per rival class the optimised slopes and β its children's optimisers start from.</summary>
    internal sealed record MarginDomainBound(bool Infeasible, MarginBound? Bound, LayerBounds[]? Enclosures, PhaseChoice? Branch,
        IReadOnlyDictionary<int, SlopeStart>? Starts = null)
    {
        public static MarginDomainBound Empty { get; } = new(true, null, null, null);
    }

    /// <summary>Certified lower bounds of y'_c − y'_j over the phase domain {(x, δ) ∈ box × Δ : the phases hold}, or null
    /// when the domain was proved empty.</summary>
    public MarginBound? MarginsOnPhaseDomain(Network network, Box box, ParameterBox delta, int cls, PhaseSet phases, CancellationToken cancellation = default)
    {
        var r = MarginPhaseDomain(network, box, delta, cls, phases, null, -1, cancellation);
        return r.Infeasible ? null : r.Bound;
    }

    /// <summary>As <see cref="MarginsOnPhaseDomain(Network, Box, ParameterBox, int, PhaseSet, CancellationToken)"/>, each
    /// margin's optimiser starting from <paramref name="warm"/> (what a containing domain reached, with
    /// <see cref="WarmSlopeIterations"/> steps); <paramref name="reached"/>: the slopes and β this domain's margins reached.</summary>
    public MarginBound? MarginsOnPhaseDomain(Network network, Box box, ParameterBox delta, int cls, PhaseSet phases,
        IReadOnlyDictionary<int, SlopeStart>? warm, out IReadOnlyDictionary<int, SlopeStart>? reached, CancellationToken cancellation = default)
    {
        var r = MarginPhaseDomain(network, box, delta, cls, phases, null, -1, cancellation, warm);
        reached = r.Starts;
        return r.Infeasible ? null : r.Bound;
    }

    /// <summary>
    /// The margins over the phase domain (<paramref name="box"/>, <paramref name="phases"/>); <paramref name="outer"/>
    /// and <paramref name="reuseThrough"/> as for <see cref="BoundPhaseDomain(Network, Box, ParameterBox, PhaseSet, LayerBounds[], int, double[], CancellationToken)"/>;
    /// each margin's optimiser starts from <paramref name="warm"/>'s slopes and β for it when given (those a containing
    /// domain reached: docs/top1.md, "warm start").
    /// </summary>
    internal MarginDomainBound MarginPhaseDomain(Network network, Box box, ParameterBox delta, int cls, PhaseSet phases,
        LayerBounds[]? outer, int reuseThrough, CancellationToken cancellation = default, IReadOnlyDictionary<int, SlopeStart>? warm = null)
    {
        BounderChecks.Validate(network, box, delta);
        if (cls < 0 || cls >= network.OutputSize) throw new ArgumentOutOfRangeException(nameof(cls));
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight)
        {
            Outer = outer,
            ReuseThrough = outer is null ? -1 : reuseThrough,
            Phases = phases,
            SplitPerturbed = true,
            ZPrimeRows = ZPrimeRows,
            MarginIterations = MarginSteps,
            StopAtFirstOpenMargin = StopAtFirstOpenMargin,
            WarmStarts = warm,
            WarmIterations = WarmSlopeIterations ?? MarginSteps,
        };
        pass.Run(cancellation);
        if (pass.Infeasible) return MarginDomainBound.Empty;
        var bound = pass.Margins(cls, cancellation);
        return new MarginDomainBound(false, bound, pass.Enclosures, bound.Worst > 0 ? null : pass.ChooseMarginBranch(bound), pass.ReachedStarts);
    }

    private sealed partial class JointPass
    {
        /// <summary>
        /// BaBSR-style, as <see cref="ChooseBranch"/> for the deviation: in the plain backward pass of the worst margin's
        /// objective, every unstable neuron (z, or z′ of a neuron whose z is stable) contributes the intercepts of its
        /// relaxations, a·t_h + b·t_Δh, to the bound; fixing its phase removes them, so the largest contribution is split.
        /// </summary>
        public PhaseChoice? ChooseMarginBranch(MarginBound bound)
        {
            int last = _net.Depth - 1;
            if (!_net.Layers[last].Activation.Operator.IsIdentity) return null;
            int worst = Array.IndexOf(bound.Lower, bound.Worst);
            var trace = new Trace(_net, last);
            SetMarginObjective(bound.Class, worst);
            Backward(last, trace);
            return MostWeightedUnstable(trace, last);
        }
    }
}
