using Microsoft.Z3;
using Verify.Intervals;
using Verify.Smt;

namespace Verify.InverseStability;

/// <summary>
/// Exact feasibility of open activation regions: a Z3 linear-real-arithmetic session over the free input coordinates
/// holding the strict box constraints lo &lt; x &lt; hi and a stack of strict sign constraints σ·z(x) &gt; 0. A region
/// with nonempty interior is exactly a satisfiable set of strict constraints, and Z3's model is an exact rational
/// point inside it. Unsat is Z3's exact answer; unknown (time, cancellation) is passed on as unknown.
/// </summary>
public sealed class RegionSolver : IDisposable
{
    private readonly SolverSession _session;
    private readonly RealExpr[] _x;

    public RegionSolver(BoxSlice slice, TimeSpan checkTimeout, CancellationToken cancel)
    {
        _session = new SolverSession(checkTimeout, cancel, logic: "QF_LRA");
        var ctx = _session.Context;
        _x = new RealExpr[slice.FreeCount];
        var lo = slice.FreeLo; var hi = slice.FreeHi;
        for (int k = 0; k < _x.Length; k++)
        {
            _x[k] = ctx.MkRealConst($"x{slice.Free[k]}");
            _session.Assert(ctx.MkGt(_x[k], ExactTerms.Real(ctx, lo[k])), ctx.MkLt(_x[k], ExactTerms.Real(ctx, hi[k])));
        }
    }

    /// <summary>Number of Z3 checks so far.</summary>
    public int Checks { get; private set; }

    /// <summary>Number of checks that proved a region empty.</summary>
    public int EmptyAnswers { get; private set; }

    /// <summary>Adds the constraint sign·z &gt; 0 on top of the stack (undo with <see cref="Pop"/>).</summary>
    public void Push(AffineForm z, int sign)
    {
        _session.Solver.Push();
        _session.Assert(Strict(z, sign));
    }

    public void Pop() => _session.Solver.Pop();

    /// <summary>A point strictly inside the current region with sign·z &gt; 0, null when there is none (Unsat).</summary>
    public RegionPoint Find(AffineForm z, int sign)
    {
        Checks++;
        _session.Solver.Push();
        try
        {
            _session.Assert(Strict(z, sign));
            var outcome = _session.Check();
            if (outcome.IsUnsat) { EmptyAnswers++; return RegionPoint.None; }
            if (!outcome.IsSat) return RegionPoint.Unknown;
            var point = new Rational[_x.Length];
            for (int k = 0; k < _x.Length; k++)
            {
                if (ExactTerms.Evaluate(outcome.Model!, _x[k]) is not { IsExact: true } v) return RegionPoint.Unknown;
                point[k] = v.Value;
            }
            // Z3's model is trusted only after checking the new constraint exactly; the region search replays the rest.
            var value = z.Evaluate(point);
            if (sign * value.Sign <= 0) throw new InvalidOperationException("Z3 returned a point outside the requested region");
            return RegionPoint.At(point);
        }
        finally { _session.Solver.Pop(); }
    }

    private BoolExpr Strict(AffineForm z, int sign)
    {
        var ctx = _session.Context;
        var e = ExactTerms.Affine(ctx, z.Coefficients, _x, z.Constant);
        return sign > 0 ? ctx.MkGt(e, ExactTerms.Real(ctx, Rational.Zero)) : ctx.MkLt(e, ExactTerms.Real(ctx, Rational.Zero));
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>The answer of one region check: a point inside, proven empty, or unknown.</summary>
public readonly record struct RegionPoint(Rational[]? Point, bool Empty)
{
    public static RegionPoint None => new(null, true);
    public static RegionPoint Unknown => new(null, false);
    public static RegionPoint At(Rational[] x) => new(x, false);
    public bool IsUnknown => Point is null && !Empty;
}
