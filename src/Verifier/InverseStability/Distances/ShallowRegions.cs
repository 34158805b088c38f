using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;
using Verify.Smt;

namespace Verify.InverseStability;

/// <summary>
/// The activation patterns of one hidden ReLU layer whose regions {x ∈ open U : a_i·x + b_i &gt; 0 for active i, &lt; 0
/// otherwise} are nonempty, by depth-first search with strict linear feasibility checks in Z3 (exact rationals). A
/// check that ends unknown keeps its branch (a superset of the true regions; Decided = false). A neuron whose
/// pre-activation vanishes identically on the current region (a = 0, b = 0) is inactive there.
/// </summary>
public static class ShallowRegions
{
    public static (IReadOnlyList<bool[]> Patterns, bool Decided) Enumerate(ExactLayer hidden, FiberDomain u, TimeSpan timeout)
    {
        int n = hidden.Outputs, d = u.Dimension;
        using var session = new SolverSession(timeout, logic: "QF_LRA");
        var ctx = session.Context;
        var x = Enumerable.Range(0, d).Select(k => (ArithExpr)ctx.MkRealConst($"x{k}")).ToArray();
        for (int k = 0; k < d; k++)
            session.Assert(ctx.MkLt(ExactTerms.Real(ctx, u.Lo[k]), x[k]), ctx.MkLt(x[k], ExactTerms.Real(ctx, u.Hi[k])));
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        var pre = Enumerable.Range(0, n).Select(i => ExactTerms.Affine(ctx, hidden.W[i], x, hidden.B[i])).ToArray();
        var active = new bool[n];
        var found = new List<bool[]>();
        bool decided = true;
        void Visit(int i)
        {
            if (i == n) { found.Add((bool[])active.Clone()); return; }
            bool any = false;
            foreach (var on in new[] { true, false })
            {
                session.Solver.Push();
                session.Assert(on ? ctx.MkGt(pre[i], zero) : ctx.MkLt(pre[i], zero));
                var r = session.Check();
                if (r.IsUnknown) decided = false;
                if (!r.IsUnsat) { any = true; active[i] = on; Visit(i + 1); }
                session.Solver.Pop();
            }
            // Both strict sides empty: the pre-activation is 0 on an open set, so it is identically 0 (neuron inactive).
            if (!any) { active[i] = false; Visit(i + 1); }
        }
        Visit(0);
        return (found, decided);
    }

    /// <summary>On the region of a pattern, output o of a one-hidden-layer network is grad·x + offset.</summary>
    public static (Rational[] Grad, Rational Offset) AffinePiece(ExactNet net, bool[] active, int o)
    {
        var hidden = net.Layers[0];
        var grad = new Rational[net.InputSize];
        Array.Fill(grad, Rational.Zero);
        var offset = net.Layers[1].B[o];
        for (int j = 0; j < hidden.Outputs; j++)
        {
            if (!active[j]) continue;
            var c = net.Layers[1].W[o][j];
            for (int k = 0; k < grad.Length; k++) grad[k] += c * hidden.W[j][k];
            offset += c * hidden.B[j];
        }
        return (grad, offset);
    }
}
