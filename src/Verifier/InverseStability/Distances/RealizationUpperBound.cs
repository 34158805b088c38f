using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;
using Verify.Results;
using Verify.Smt;

namespace Verify.InverseStability;

public enum RealizationNorm { Sup, Semi }

/// <summary>
/// Upper bounds of ‖R(Γ) − R(Θ)‖ on U for the search ratio (an UPPER bound keeps "fiber lower / realization^α" a
/// certified lower bound of the ratio). Scalar one-hidden-layer nets: exact (<see cref="RealizationDistance"/>).
/// Bias-free shallow nets with two inputs: exact without a solver (<see cref="PlanarCones"/>). Otherwise one hidden
/// layer only: sup norm by <see cref="OutputMaximizer"/> on the difference network (certified upper end), and the
/// W^{1,∞} semi-norm by enumerating the activation regions of both networks that have interior points in U (strict
/// linear feasibility, decided by Z3 in linear real arithmetic; an unknown keeps the region, which only enlarges the
/// bound). The gradient is constant on each region, so the maximum over regions is exact.
/// The semi-norm is the paper's (21): ess sup of ‖Σ_{active} c_i a_iᵀ‖∞, the largest |entry| of the Jacobian (the
/// norm under which a balanced Γ satisfies C.1 with β = (2|g − R(Γ)|)^{1/2}, as the paper notes). `verify
/// realization-distance` reports the largest row sum instead (<see cref="JacobianNorm"/>); for one output and one input
/// the two agree.
/// </summary>
public static class RealizationUpperBound
{
    public static RealizationUpper Compute(ExactNet gamma, ExactNet theta, FiberDomain u, RealizationNorm norm, TimeSpan timeout)
    {
        if (gamma.ToShallow1D() is { } g && theta.ToShallow1D() is { } t)
        {
            var gap = RealizationDistance.Compute(g, t, u.Lo[0], u.Hi[0]);
            return new(norm == RealizationNorm.Sup ? gap.Sup : gap.SobolevSemi, true, "exact (1-D breakpoints)");
        }
        if (gamma.Depth != 2 || theta.Depth != 2)
            throw new NotSupportedException("realization distance for d ≥ 2 is implemented for one hidden layer only");
        var diff = Difference(gamma, theta);
        if (PlanarCones.Applies(diff) && norm == RealizationNorm.Sup)
            return new(PlanarCones.Sup(diff, u.Lo, u.Hi), true, "exact: largest |R(Γ) − R(Θ)| at the vertices of the planar cells");
        // Every sector meets U only when U contains a neighbourhood of the origin.
        if (PlanarCones.Applies(diff) && u.Interior([Rational.Zero, Rational.Zero]))
            return new(PlanarCones.SemiNorm(diff), true, "exact: largest |partial derivative| over the planar sectors (paper's (21))");
        return norm == RealizationNorm.Sup ? Sup(gamma, theta, u, timeout) : Semi(gamma, theta, u, timeout);
    }

    private static RealizationUpper Sup(ExactNet gamma, ExactNet theta, FiberDomain u, TimeSpan timeout)
    {
        var diff = Difference(gamma, theta);
        if (!diff.IsDyadicExact || u.Lo.Concat(u.Hi).Any(v => Rational.FromDouble(v.ToDouble()) != v))
            throw new NotSupportedException("the sup-norm bound for d ≥ 2 needs parameters and a domain that are doubles exactly");
        var net = diff.ToNetwork("Γ − Θ");
        var box = Box.FromBounds(u.Lo.Select(v => v.ToDouble()).ToArray(), u.Hi.Select(v => v.ToDouble()).ToArray());
        var options = new MaximizeOptions { CheckTimeout = timeout, TotalTimeout = timeout * 4, Tolerance = new Rational(1, 1000) };
        Rational worst = Rational.Zero;
        bool exact = true;
        for (int o = 0; o < net.OutputSize; o++)
            foreach (var sign in new[] { Rational.One, -Rational.One })
            {
                var c = Enumerable.Range(0, net.OutputSize).Select(j => j == o ? sign : Rational.Zero).ToArray();
                var r = OutputMaximizer.Maximize(net, box, c, options);
                worst = Rational.Max(worst, r.Upper);
                exact &= r.Status == MaximizeStatus.Exact;
            }
        return new(worst, exact, "sup norm: Z3 maximum of ±(R(Γ) − R(Θ)) over U (certified upper end)");
    }

    /// <summary>One hidden layer computing R(Γ) − R(Θ): both hidden layers side by side, output weights [C_Γ, −C_Θ].</summary>
    public static ExactNet Difference(ExactNet g, ExactNet t)
    {
        var hidden = new ExactLayer(g.Layers[0].W.Concat(t.Layers[0].W).ToArray(), g.Layers[0].B.Concat(t.Layers[0].B).ToArray());
        var outW = Enumerable.Range(0, g.OutputSize).Select(o => g.Layers[1].W[o].Concat(t.Layers[1].W[o].Select(v => -v)).ToArray()).ToArray();
        var outB = Enumerable.Range(0, g.OutputSize).Select(o => g.Layers[1].B[o] - t.Layers[1].B[o]).ToArray();
        return new ExactNet([hidden, new ExactLayer(outW, outB)]);
    }

    private static RealizationUpper Semi(ExactNet gamma, ExactNet theta, FiberDomain u, TimeSpan timeout)
    {
        var diff = Difference(gamma, theta);
        var (patterns, decided) = ShallowRegions.Enumerate(diff.Layers[0], u, timeout);
        Rational best = Rational.Zero;
        foreach (var active in patterns)
        {
            for (int o = 0; o < diff.OutputSize; o++)
                best = Rational.Max(best, ShallowNeurons.MaxAbs(ShallowRegions.AffinePiece(diff, active, o).Grad));
        }
        return new(best, decided, "W^{1,∞} semi-norm (paper's (21), largest |partial derivative|): maximum over the activation regions with interior points in U");
    }

    /// <summary>R(Γ) = R(Θ) on U, decided exactly for one hidden layer: the difference is affine on every joint activation
    /// region and continuous, so it vanishes on U iff its gradient and offset vanish on every region with interior points.
    /// Null when a region could not be decided (solver timeout) and only such regions differ.</summary>
    public static bool? EqualOnDomain(ExactNet gamma, ExactNet theta, FiberDomain u, TimeSpan timeout)
    {
        if (gamma.Depth != 2 || theta.Depth != 2) return null;
        var diff = Difference(gamma, theta);
        var (patterns, decided) = ShallowRegions.Enumerate(diff.Layers[0], u, timeout);
        foreach (var active in patterns)
            for (int o = 0; o < diff.OutputSize; o++)
            {
                var (grad, offset) = ShallowRegions.AffinePiece(diff, active, o);
                if (!offset.IsZero || grad.Any(v => !v.IsZero)) return decided ? false : null;
            }
        return true;
    }
}
