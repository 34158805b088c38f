using Microsoft.Z3;
using Verify.Intervals;
using Verify.Smt;

namespace Verify.InverseStability;

public enum RealizationNorm { Sup, Semi }

/// <summary>A certified upper bound of the realization distance, with how it was obtained (Exact: lower = upper).</summary>
public sealed record RealizationUpper(Rational Value, bool Exact, string Method);

/// <summary>
/// Upper bounds of ‖R(Γ) − R(Θ)‖ on U for the search ratio (an UPPER bound keeps "fiber lower / realization^α" a
/// certified lower bound of the ratio). Scalar one-hidden-layer nets: exact (<see cref="RealizationDistance"/>).
/// Otherwise one hidden layer only: sup norm by <see cref="OutputMaximizer"/> on the difference network (certified
/// upper end), and the W^{1,∞} semi-norm — ess sup of the Euclidean gradient norm, which is ≥ the max-partial-derivative
/// convention, so the bound holds for both — by enumerating the activation regions of both networks that have interior
/// points in U (strict linear feasibility, decided by Z3 in linear real arithmetic; an unknown keeps the region, which
/// only enlarges the bound). The gradient is constant on each region, so the maximum over regions is exact up to the
/// final upward-rounded square root.
/// Where the lead plugs in `verify realization-distance` (any depth, any input dimension): replace <see cref="Compute"/>'s
/// multi-dimensional branches.
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
    private static ExactNet Difference(ExactNet g, ExactNet t)
    {
        var hidden = new ExactLayer(g.Layers[0].W.Concat(t.Layers[0].W).ToArray(), g.Layers[0].B.Concat(t.Layers[0].B).ToArray());
        var outW = Enumerable.Range(0, g.OutputSize).Select(o => g.Layers[1].W[o].Concat(t.Layers[1].W[o].Select(v => -v)).ToArray()).ToArray();
        var outB = Enumerable.Range(0, g.OutputSize).Select(o => g.Layers[1].B[o] - t.Layers[1].B[o]).ToArray();
        return new ExactNet([hidden, new ExactLayer(outW, outB)]);
    }

    private static RealizationUpper Semi(ExactNet gamma, ExactNet theta, FiberDomain u, TimeSpan timeout)
    {
        var diff = Difference(gamma, theta);
        var hidden = diff.Layers[0];
        int n = hidden.Outputs, d = u.Dimension;
        using var session = new SolverSession(timeout, logic: "QF_LRA");
        var ctx = session.Context;
        var x = Enumerable.Range(0, d).Select(k => (ArithExpr)ctx.MkRealConst($"x{k}")).ToArray();
        for (int k = 0; k < d; k++)
            session.Assert(ctx.MkLt(ExactTerms.Real(ctx, u.Lo[k]), x[k]), ctx.MkLt(x[k], ExactTerms.Real(ctx, u.Hi[k])));
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        var pre = Enumerable.Range(0, n).Select(i => ExactTerms.Affine(ctx, hidden.W[i], x, hidden.B[i])).ToArray();
        var active = new bool[n];
        Rational best = Rational.Zero;
        bool allDecided = true;
        void Visit(int i)
        {
            if (i == n)
            {
                for (int o = 0; o < diff.OutputSize; o++)
                {
                    var grad = new Rational[d];
                    Array.Fill(grad, Rational.Zero);
                    for (int j = 0; j < n; j++)
                        if (active[j]) for (int k = 0; k < d; k++) grad[k] += diff.Layers[1].W[o][j] * hidden.W[j][k];
                    best = Rational.Max(best, grad.Aggregate(Rational.Zero, (s, v) => s + v * v));
                }
                return;
            }
            foreach (var on in new[] { true, false })
            {
                session.Solver.Push();
                session.Assert(on ? ctx.MkGt(pre[i], zero) : ctx.MkLt(pre[i], zero));
                var r = session.Check();
                if (r.IsUnknown) allDecided = false;
                if (!r.IsUnsat) { active[i] = on; Visit(i + 1); }
                session.Solver.Pop();
            }
        }
        Visit(0);
        var root = SqrtUp(best);
        return new(root, allDecided && root * root == best, "W^{1,∞} semi-norm (Euclidean gradient): maximum over the activation regions with interior points in U");
    }

    /// <summary>A rational r ≥ √q (exact when q is a perfect square of a double).</summary>
    public static Rational SqrtUp(Rational q)
    {
        if (q.IsZero) return q;
        double s = Math.Sqrt(q.ToDouble());
        var r = Rational.FromDouble(s);
        while (r * r < q) { s = Math.BitIncrement(s * (1 + 1e-15)); r = Rational.FromDouble(s); }
        return r;
    }
}
