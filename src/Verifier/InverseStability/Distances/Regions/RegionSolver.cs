using Microsoft.Z3;
using Verify.Intervals;
using Verify.Smt;

namespace Verify.InverseStability;

/// <summary>
/// Exact feasibility of open activation regions: Z3 linear-real-arithmetic sessions over the free input coordinates
/// holding the strict box constraints lo &lt; x &lt; hi and a stack of strict sign constraints σ·z(x) &gt; 0. A region
/// with nonempty interior is exactly a satisfiable set of strict constraints, and Z3's model is an exact rational
/// point inside it. A second session holds the <see cref="ShortRelaxation"/> of every constraint: when it is
/// unsatisfiable the region is empty, and when every constraint was short already its answer is the exact one; only
/// otherwise is the exact session asked. Unsat is Z3's exact answer; unknown (time, cancellation) is passed on.
/// </summary>
public sealed class RegionSolver : IDisposable
{
    private readonly Stack _exact, _relaxed;
    private readonly Rational[] _lo, _hi;
    private readonly List<bool> _relaxedIsExact = [];
    private readonly List<AffineForm> _constraints = [];
    private int _inexact;   // constraints on the stack whose relaxation is weaker than the constraint

    public RegionSolver(BoxSlice slice, TimeSpan checkTimeout, CancellationToken cancel)
    {
        _lo = slice.FreeLo; _hi = slice.FreeHi;
        _exact = new Stack(slice, checkTimeout, cancel);
        try { _relaxed = new Stack(slice, checkTimeout, cancel); }
        catch { _exact.Dispose(); throw; }
    }

    /// <summary>Number of Z3 checks so far.</summary>
    public int Checks => _exact.Checks + _relaxed.Checks;

    /// <summary>Number of checks that proved a region empty.</summary>
    public int EmptyAnswers { get; private set; }

    /// <summary>Total time spent in Z3 checks.</summary>
    public TimeSpan CheckTime => _exact.CheckTime + _relaxed.CheckTime;

    /// <summary>Adds the constraint sign·z &gt; 0 on top of the stack (undo with <see cref="Pop"/>).</summary>
    public void Push(AffineForm z, int sign)
    {
        var g = z.Scale(sign);
        var (r, same) = ShortRelaxation.Relax(g, _lo, _hi);
        _exact.Push(g);
        _relaxed.Push(r);
        _relaxedIsExact.Add(same);
        _constraints.Add(g);
        if (!same) _inexact++;
    }

    public void Pop()
    {
        _exact.Pop();
        _relaxed.Pop();
        if (!_relaxedIsExact[^1]) _inexact--;
        _relaxedIsExact.RemoveAt(_relaxedIsExact.Count - 1);
        _constraints.RemoveAt(_constraints.Count - 1);
    }

    /// <summary>Number of regions proved empty by <see cref="PairwiseEmptiness"/> without a solver call.</summary>
    public int PairwiseEmpty { get; private set; }

    /// <summary>
    /// A point strictly inside the current region with sign·z &gt; 0, none when it is empty, or unknown.
    /// <paramref name="box"/> must contain the current region (it only serves the cheap pairwise test).
    /// </summary>
    public RegionPoint Find(AffineForm z, int sign, RegionBox box)
    {
        var g = z.Scale(sign);
        foreach (var h in _constraints)
            if (PairwiseEmptiness.Proves(g, h, box)) { PairwiseEmpty++; EmptyAnswers++; return RegionPoint.None; }
        var (r, same) = ShortRelaxation.Relax(g, _lo, _hi);
        var answer = _relaxed.Find(r);
        if (answer.Empty) { EmptyAnswers++; return answer; }
        // The relaxed system was the exact one: its answer (and point) stands.
        if (!(same && _inexact == 0 && !answer.IsUnknown)) answer = _exact.Find(g);
        if (answer.Empty) { EmptyAnswers++; return answer; }
        // Z3's point is trusted only after checking the new constraint exactly; the region search replays the rest.
        if (answer.Point is { } x && g.Evaluate(x).Sign <= 0) throw new InvalidOperationException("Z3 returned a point outside the requested region");
        return answer;
    }

    /// <summary>
    /// A point of the current region's closure where <paramref name="objective"/> is largest, by Z3's optimiser (a
    /// linear program over the closed constraints), or null when it gives no exact answer. A hint: the caller certifies
    /// the value with <see cref="Find"/>.
    /// </summary>
    public Rational[]? Maximize(AffineForm objective)
    {
        return _exact.Maximize(_constraints, objective, _lo, _hi);
    }

    public void Dispose()
    {
        _exact.Dispose();
        _relaxed.Dispose();
    }

    /// <summary>One Z3 session with the box and a stack of strict constraints g &gt; 0.</summary>
    private sealed class Stack : IDisposable
    {
        private readonly SolverSession _session;
        private readonly RealExpr[] _x;

        public int Checks { get; private set; }
        public TimeSpan CheckTime { get; private set; }

        public Stack(BoxSlice slice, TimeSpan checkTimeout, CancellationToken cancel)
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

        /// <summary>
        /// Set once Z3 refused an operation: an interrupted context (time-out, cancellation) refuses push and pop for
        /// good, so every later question is answered unknown and the stack is no longer kept.
        /// </summary>
        private bool _dead;

        public void Push(AffineForm g) => Guard(() => { _session.Solver.Push(); _session.Assert(Positive(g)); });

        public void Pop() => Guard(() => _session.Solver.Pop());

        private void Guard(Action action)
        {
            if (_dead) return;
            try { action(); }
            catch (Z3Exception) { _dead = true; }
        }

        public RegionPoint Find(AffineForm g)
        {
            if (_dead) return RegionPoint.Unknown;
            Checks++;
            try
            {
                _session.Solver.Push();
                try
                {
                    _session.Assert(Positive(g));
                    var outcome = _session.Check();
                    CheckTime += outcome.Elapsed;
                    if (outcome.IsUnsat) return RegionPoint.None;
                    if (!outcome.IsSat) return RegionPoint.Unknown;
                    return Point(outcome.Model!) is { } x ? RegionPoint.At(x) : RegionPoint.Unknown;
                }
                finally { _session.Solver.Pop(); }
            }
            catch (Z3Exception) { _dead = true; return RegionPoint.Unknown; }
        }

        public Rational[]? Maximize(IReadOnlyList<AffineForm> constraints, AffineForm objective, Rational[] lo, Rational[] hi)
        {
            if (_dead) return null;
            Checks++;
            try
            {
                var ctx = _session.Context;
                using var opt = ctx.MkOptimize();
                var zero = ExactTerms.Real(ctx, Rational.Zero);
                for (int k = 0; k < _x.Length; k++)
                    opt.Assert(ctx.MkGe(_x[k], ExactTerms.Real(ctx, lo[k])), ctx.MkLe(_x[k], ExactTerms.Real(ctx, hi[k])));
                foreach (var g in constraints) opt.Assert(ctx.MkGe(ExactTerms.Affine(ctx, g.Coefficients, _x, g.Constant), zero));
                opt.MkMaximize(ExactTerms.Affine(ctx, objective.Coefficients, _x, objective.Constant));
                var outcome = _session.Check(opt);
                CheckTime += outcome.Elapsed;
                return outcome.IsSat ? Point(outcome.Model!) : null;
            }
            catch (Z3Exception) { _dead = true; return null; }
        }

        /// <summary>The model's exact values of the free coordinates, or null if one is not an exact rational.</summary>
        private Rational[]? Point(Microsoft.Z3.Model model)
        {
            var point = new Rational[_x.Length];
            for (int k = 0; k < _x.Length; k++)
            {
                if (ExactTerms.Evaluate(model, _x[k]) is not { IsExact: true } v) return null;
                point[k] = v.Value;
            }
            return point;
        }

        private BoolExpr Positive(AffineForm g)
        {
            var ctx = _session.Context;
            return ctx.MkGt(ExactTerms.Affine(ctx, g.Coefficients, _x, g.Constant), ExactTerms.Real(ctx, Rational.Zero));
        }

        public void Dispose() => _session.Dispose();
    }
}

/// <summary>The answer of one region check: a point inside, proven empty, or unknown.</summary>
public readonly record struct RegionPoint(Rational[]? Point, bool Empty)
{
    public static RegionPoint None => new(null, true);
    public static RegionPoint Unknown => new(null, false);
    public static RegionPoint At(Rational[] x) => new(x, false);
    public bool IsUnknown => Point is null && !Empty;
}
