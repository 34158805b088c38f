using System.Diagnostics;
using Verify.Bab;
using Verify.Bounds;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.Equivalence;

/// <summary>
/// Decides equivalence queries by (1) exact alignment: an exact symmetric copy is equivalent with bound 0;
/// (2) a witness search whose candidates are replayed exactly; (3) best-first branch and bound over the input box
/// with certified bounds of f2 − f1 per part (<see cref="PartBounder"/>), bisecting the dimension with the largest
/// |∂Δ/∂x_k|·width_k. Verified only when every part is closed by a certified bound; falsified only by an exact replay.
/// </summary>
public sealed class EquivalenceChecker(IReadOnlyList<IDeviationBounder>? bounders = null)
{
    /// <summary>The deviation bounders used on same-architecture pairs: the given ones, or the registry's default (Certify/BoundMethods).</summary>
    public IReadOnlyList<IDeviationBounder> Bounders { get; } = bounders ?? BoundMethods.CreateBounders(null);

    /// <summary>Stops branch and bound when this many parts are open, answering unknown instead of exhausting memory.</summary>
    public int MaxOpenParts { get; init; } = 2_000_000;

    /// <summary>
    /// The second pass of a part the plain linear pass stalls on (<see cref="PartBounder.Refiner"/>; null: none): α-CROWN
    /// slopes for the z bounds of every hidden layer, 10 steps each, stopped once a neuron is proved stable; the Δz and
    /// output bounds keep the plain planes. Its tighter enclosures cut the unstable neurons, whose Δh relaxation is
    /// the bound's error: on ACAS Xu N4_1 against its float16 copy at ε = 0.01 every part refined closed the box with
    /// 421 parts where the plain pass needs 21,838 (docs/equiv.md). Not used with a certificate: the checker re-bounds every
    /// leaf with the plain pass.
    /// </summary>
    public LinearDifferenceBounder? Refiner { get; init; } = new()
    {
        OptimizeSlopes = true, OptimizedHiddenLayers = int.MaxValue / 2 /* every hidden layer */, SlopeIterations = 10,
        OptimizeOutputs = false, OptimizeHiddenDeltas = false, StopAtStability = true,
    };

    /// <summary>A part is refined when the bounders leave its bound above ε and at least this share of its parent's
    /// (the root always): refining every part is 2–3× slower where bisection still makes progress (N2_9, N5_9).</summary>
    public double RefineStalledAt { get; init; } = 0.95;

    /// <summary>Open parts keep their layer enclosures for their children (each costs a few KB for ACAS-sized
    /// networks: ≈ 12 doubles per neuron, 29 KB for 6 × 50) only while fewer than this many are open; beyond, children
    /// start from scratch. A child intersects its interval enclosures with its parent's before the backward passes, so
    /// the neurons the parent's linear bounds proved stable need none: on the ACAS Xu float16 benchmark about a third
    /// of the backward work per part (see docs/equiv.md).</summary>
    public int MaxPartsWithEnclosures { get; init; } = 4_000;

    /// <summary>Parts at this depth or deeper do not pass their enclosures on. Unlimited reuse made N4_5 at ε = 0.01
    /// split down to depth 53 (10,559 parts in 90 s, no answer) where fresh bounds close every part by depth 22: the
    /// inherited, tighter Δz enclosures steer the per-neuron plane choice towards planes in Δz alone, whose error does
    /// not shrink with the box, and the linear coefficients that choose the split dimension vanish. With the cap at
    /// 16 the same query is verified with 3,468 splits and no part deeper than 21.</summary>
    public int MaxEnclosureDepth { get; init; } = 16;

    /// <param name="ExactlyWithinEps">Z3 proved |f2 − f1| ≤ ε on the whole part (ε queries only).</param>
    private sealed record Part(Box Box, PartBound Bound, int Depth, bool ExactlyWithinEps = false);

    public EquivalenceResult Check(EquivalenceQuery q, Action<TraceRow>? observe = null, CancellationToken cancellation = default)
    {
        q.Validate();
        var run = new Run(this, q, observe, cancellation, null, null);
        return run.Execute();
    }

    /// <summary>
    /// As <see cref="Check"/>, and the certificate of the answer (<see cref="EquivalenceCertificate"/>): the parts
    /// closed by a certified bound, rebuilt into the split tree, or the replayed witness; else none and why.
    /// </summary>
    public (EquivalenceResult Result, Certificates.Certificate? Certificate, string? WhyNone) CheckWithCertificate(
        EquivalenceQuery q, Action<TraceRow>? observe = null, CancellationToken cancellation = default)
    {
        q.Validate();
        var record = new Bounds.SplitRecord();
        var exactParts = new System.Collections.Concurrent.ConcurrentBag<Box>();
        var result = new Run(this, q, observe, cancellation, record, exactParts).Execute();
        var (cert, why) = EquivalenceCertificate.Build(q, result, record, exactParts.ToArray());
        return (result, cert, why);
    }

    /// <summary>One query; its branch and bound runs on the core: parts filed by their priority (largest bound, or
    /// least top-class slack, first), closed parts leave it, a part that cannot be bisected any more is settled.</summary>
    private sealed class Run : IBabProblem<Part, double>, ISplitPolicy<Box, Part>, ILeafBounder<Box, Part>
    {
        private readonly EquivalenceChecker _owner;
        private readonly EquivalenceQuery _q;
        private readonly Action<TraceRow>? _observe;
        private readonly CancellationToken _external;
        private readonly Bounds.SplitRecord? _record;
        private readonly System.Collections.Concurrent.ConcurrentBag<Box>? _exactRecord;
        private readonly CancellationTokenSource _cts;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _m;
        private readonly GlobalBounds _bounds;
        private readonly object _witnessGate = new();
        private BabEngine<Box, Part, double>? _engine;
        private PartBounder? _partBounder;
        private bool _tooManyOpen;
        private readonly double[] _rootWidth;
        private EquivalenceWitness? _witness;
        private int _replays;
        private double _lastEmit = -1;
        private (double U, double L) _lastRow = (double.NaN, double.NaN);
        private readonly ExactPartDecider? _exact;
        private int _exactLimit;
        private int _exactClosed, _exactTried;
        private long _exactTicks;

        /// <param name="record">hears every closed part (by its certified bound or by Z3) and every bisection (from any worker thread).</param>
        /// <param name="exactRecord">hears the parts Z3 closed (their certificate leaves need a decision query).</param>
        public Run(EquivalenceChecker owner, EquivalenceQuery q, Action<TraceRow>? observe, CancellationToken external, Bounds.SplitRecord? record,
                   System.Collections.Concurrent.ConcurrentBag<Box>? exactRecord)
        {
            _owner = owner; _q = q; _observe = observe; _external = external; _record = record; _exactRecord = exactRecord;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(external);
            if (q.Timeout is { } t) _cts.CancelAfter(t);
            _m = q.First.OutputSize;
            _bounds = new GlobalBounds(_m);
            _rootWidth = q.Input.Dimensions.ToArray().Select(d => d.Hi - d.Lo).ToArray();
            bool exact = q.ExactParts switch
            {
                ExactPartsMode.On => true,
                ExactPartsMode.Off => false,
                _ => !ExactAligner.SameArchitecture(q.First, q.Second),
            };
            if (exact && !q.TopOne && MergedPair.TryBuild(q.First, q.Second) is { } pair)
            {
                _exact = new ExactPartDecider(pair, q.Eps) { MaxUnstable = q.ExactMaxUnstable };
                _exactLimit = q.ExactMaxUnstable;
            }
        }

        /// <summary>The witness search up front is short: branch and bound keeps probing part centres afterwards.</summary>
        private const double MaxAttackSeconds = 0.5;

        private double Seconds => _clock.Elapsed.TotalSeconds;
        private bool Stopped => _cts.IsCancellationRequested;

        /// <summary>A certificate's checker re-bounds every leaf with the plain pass, so a recorded run does not refine.</summary>
        private double? RefineAbove => _record is null && _owner.Refiner is not null ? _owner.RefineStalledAt : null;
        private long Splits => _engine?.Splits ?? 0;

        public EquivalenceResult Execute()
        {
            try
            {
                if (ExactAligner.Align(_q.First, _q.Second) is not null)
                {
                    Emit(0, 0, force: true);
                    return new EquivalenceResult(Verdict.Verified, new double[_m], new double[_m], null, 0, Seconds,
                        ["exact-alignment"], ExactCopy: true, OpenParts: 0);
                }
                var partBounder = _partBounder = new PartBounder(_q.First, _q.Second, _owner.Bounders) { Refiner = _owner.Refiner };
                // The witness search is one thread's work: the root's bound (a refined pass of the whole box) runs beside it.
                using var rootCts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
                var rootTask = _q.Threads > 1 ? Task.Run(() => RootPart(rootCts.Token)) : null;
                try { Attack(); }
                finally
                {
                    if (_witness is not null || Stopped) rootCts.Cancel();
                    rootTask?.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();   // settled, whatever its outcome
                }
                if (_witness is not null) return Finish(Verdict.Falsified, partBounder, RootUpper(partBounder), 1);
                Part root;
                try { root = rootTask is null ? RootPart(_cts.Token) : rootTask.GetAwaiter().GetResult(); }
                catch (OperationCanceledException)
                {
                    return Finish(StopVerdict(), partBounder, Enumerable.Repeat(double.PositiveInfinity, _m).ToArray(), 0);
                }
                return BranchAndBound(partBounder, root);
            }
            finally { _cts.Dispose(); }
        }

        private Part RootPart(CancellationToken cancellation) =>
            Exact(new Part(_q.Input, _partBounder!.Bound(_q.Input, _q.TopOne, cancellation, closeAt: CloseAt, refineAbove: RefineAbove), 0),
                cancellation);

        private void Attack()
        {
            double budget = Math.Min(MaxAttackSeconds, _q.Timeout is { } t ? t.TotalSeconds * _q.AttackShare : MaxAttackSeconds);
            double until = Seconds + budget;
            bool Stop() => Stopped || Seconds > until || _witness is not null;
            var search = new WitnessSearch(_q.First, _q.Second, _q.Input, _q.Seed);
            if (_q.TopOne)
            {
                foreach (var x in search.TopOneCandidates(starts: 512, steps: 30, () => Stop() || _replays > 64))
                    ReplayTopOne(x);
                until = Seconds + budget / 2;
            }
            foreach (var x in search.MaximizeDifference(starts: 256, steps: 30, Stop)) ReplayDifference(x);
            Emit(double.PositiveInfinity, _bounds.SupLower, force: true);
        }

        /// <summary>Exact replay: raises the lower bounds and, in an ε query, falsifies when a value exceeds ε.</summary>
        private void ReplayDifference(double[] x)
        {
            Interlocked.Increment(ref _replays);
            var d = WitnessSearch.ExactDifference(_q.First, _q.Second, x);
            var eps = Rational.FromDouble(_q.Eps);
            lock (_witnessGate)
            {
                for (int j = 0; j < _m; j++)
                {
                    var a = Rational.Abs(d[j]);
                    _bounds.RaiseLower(j, a.ToInterval().Lo);
                    if (!_q.TopOne && a > eps && (_witness is null || a > _witness.Difference!.Value))
                        _witness = new EquivalenceWitness(x, j, a, null, null);
                }
            }
        }

        private void ReplayTopOne(double[] x)
        {
            Interlocked.Increment(ref _replays);
            var xr = x.Select(Rational.FromDouble).ToArray();
            var y1 = _q.First.EvaluateExact(xr); var y2 = _q.Second.EvaluateExact(xr);
            lock (_witnessGate)
            {
                for (int j = 0; j < _m; j++) _bounds.RaiseLower(j, Rational.Abs(y2[j] - y1[j]).ToInterval().Lo);
                if (_witness is null && TopOne.Disagreement(y1, y2) is { } dis)
                    _witness = new EquivalenceWitness(x, null, null, dis.First, dis.Second);
            }
        }

        private bool Closes(PartBound b) => _q.TopOne ? b.TopClass is not null : b.MaxUpper <= _q.Eps;

        private double Priority(PartBound b) => _q.TopOne ? b.TopSlack : -b.MaxUpper;

        private EquivalenceResult BranchAndBound(PartBounder bounder, Part root)
        {
            var engine = _engine = new BabEngine<Box, Part, double>(this, this, this,
                // Rounds of about half a second: a round of 4 parents per worker waited for its refined parts (≈ 6× a
                // plain one) with 15 % of the CPU idle on ACAS Xu; 64 per worker leave 3–4 % (docs/equiv.md).
                new BabOptions { Threads = _q.Threads, BatchSize = 4 * _q.Threads, MaxBatchSize = 64 * _q.Threads, TargetRoundSeconds = 0.5 });
            engine.Offer(root);
            engine.Run(_cts.Token);
            var upper = GlobalUpper();
            int open = engine.Open.Count, stuck = engine.Settled.Count;
            if (_tooManyOpen) return Finish(Verdict.Unknown, bounder, upper, open + stuck);
            if (_witness is not null) return Finish(Verdict.Falsified, bounder, upper, open + stuck);
            if (open == 0 && stuck == 0) return Finish(Verdict.Verified, bounder, upper, 0);
            if (open == 0) return Finish(Verdict.Unknown, bounder, upper, stuck);
            return Finish(StopVerdict(), bounder, upper, open + stuck);
        }

        public bool ShouldStop()
        {
            if (_witness is not null || Stopped) return true;
            _tooManyOpen = _engine!.Open.Count > _owner.MaxOpenParts;
            return _tooManyOpen;
        }

        public NodeFate Triage(Part p, double priority) => NodeFate.Split;

        public void AfterRound() => Emit(GlobalUpper().Max(), _bounds.SupLower, force: false);

        /// <summary>The whole box's certified bound, so that an early falsification still reports a finite upper bound.</summary>
        private double[] RootUpper(PartBounder bounder)
        {
            try { return bounder.Bound(_q.Input, topOne: false, _cts.Token).Upper; }
            catch (OperationCanceledException) { return Enumerable.Repeat(double.PositiveInfinity, _m).ToArray(); }
        }

        private Verdict StopVerdict() => _external.IsCancellationRequested ? Verdict.Unknown : Verdict.Timeout;

        public bool Admit(ref Part p, out double priority)
        {
            priority = 0;
            if (Closes(p.Bound) || p.ExactlyWithinEps)
            {
                var u = p.Bound.Upper;
                // Z3's proof gives |f2_j − f1_j| ≤ ε on the part, which may be tighter than the part's bounds.
                for (int j = 0; j < _m; j++) _bounds.Close(j, p.ExactlyWithinEps ? Math.Min(u[j], _q.Eps) : u[j]);
                // Every closure is a certificate leaf; Z3's also get a decision query (EquivalenceCertificate).
                _record?.Leaf(p.Box);
                if (p.ExactlyWithinEps) _exactRecord?.Add(p.Box);
                return false;
            }
            if (p.Bound.Enclosures is not null && (_engine!.Open.Count >= _owner.MaxPartsWithEnclosures || p.Depth >= _owner.MaxEnclosureDepth))
                p = p with { Bound = p.Bound with { Enclosures = null } };
            priority = Priority(p.Bound);
            Probe(p.Box.Center);
            return true;
        }

        /// <summary>Checks an open part's centre in double; replays exactly only what could change an answer.</summary>
        private void Probe(double[] x)
        {
            var y1 = _q.First.Evaluate(x); var y2 = _q.Second.Evaluate(x);
            if (_q.TopOne)
            {
                if (TopOne.Argmax(y1) != TopOne.Argmax(y2) && _replays < 1000) ReplayTopOne(x);
                return;
            }
            for (int j = 0; j < _m; j++)
            {
                double v = Math.Abs(y2[j] - y1[j]);
                // Double evaluation may be off by rounding: replay whenever it comes near ε or a better lower bound.
                if (v > _q.Eps * (1 - 1e-9) || (v > _bounds.Lower(j) * (1 + 1e-3) && _replays < 200 + (long)(Seconds * 20)))
                {
                    ReplayDifference(x);
                    return;
                }
            }
        }

        public Box[] Split(Part p)
        {
            int dim = SplitDimension(p);
            if (dim < 0) return [];
            _record?.Split(p.Box, dim);
            var (l, r) = p.Box.Bisect(dim);
            return [l, r];
        }

        public Part Bound(Box box, Part parent, CancellationToken cancellation) =>
            Exact(new Part(box, _partBounder!.Bound(box, _q.TopOne, cancellation, parent.Bound, CloseAt, RefineAbove), parent.Depth + 1),
                cancellation);

        /// <summary>An ε query's ε, at which the part bounder may stop once a part is closed.</summary>
        private double? CloseAt => _q.TopOne ? null : _q.Eps;

        /// <summary>
        /// The exact fallback on a part the bounds leave open: Z3 either proves the part within ε, or proposes an
        /// input that is replayed exactly (rounded to the nearest double, which stays in the part) like any witness.
        /// A check that runs out of time lowers the size limit below that part's, so the fallback does not keep
        /// spending its time on parts of a size it cannot decide.
        /// </summary>
        private Part Exact(Part p, CancellationToken cancellation)
        {
            if (_exact is null || Closes(p.Bound) || cancellation.IsCancellationRequested) return p;
            int limit = Volatile.Read(ref _exactLimit);
            if (limit < 0) return p;
            // Z3 gets at most its share of the elapsed time (after a first try), so the bounds keep splitting meanwhile.
            double spent = TimeSpan.FromTicks(Interlocked.Read(ref _exactTicks)).TotalSeconds;
            if (spent > 0 && spent > _q.ExactShare * Seconds) return p;
            long start = Stopwatch.GetTimestamp();
            var answer = _exact.Decide(p.Box, limit, cancellation);
            Interlocked.Add(ref _exactTicks, Stopwatch.GetElapsedTime(start).Ticks);
            if (answer.Status != ExactPartStatus.Skipped) Interlocked.Increment(ref _exactTried);
            switch (answer.Status)
            {
                case ExactPartStatus.WithinEps:
                    Interlocked.Increment(ref _exactClosed);
                    return p with { ExactlyWithinEps = true };
                case ExactPartStatus.Candidate:
                    ReplayDifference(answer.Candidate!.Select(v => v.ToDouble()).ToArray());
                    return p;
                case ExactPartStatus.Unknown when !cancellation.IsCancellationRequested:
                    int seen;
                    do seen = Volatile.Read(ref _exactLimit);
                    while (answer.UnstableNeurons <= seen &&
                           Interlocked.CompareExchange(ref _exactLimit, answer.UnstableNeurons - 1, seen) != seen);
                    return p;
                default:
                    return p;
            }
        }

        /// <summary>
        /// The dimension with the largest influence in the linear bound (Σ |coefficient|·width) when a linear bounder ran;
        /// otherwise the one with the largest |∂g/∂x_k|·width_k at the centre, g the difference of the worst output (ε) or the
        /// contested margins (top-1); every third level the widest dimension relative to the whole box, so that no
        /// dimension with a vanishing gradient at the centres is starved.
        /// </summary>
        private int SplitDimension(Part p)
        {
            var box = p.Box;
            int d = box.Dimension;
            var width = new double[d];
            bool any = false;
            for (int k = 0; k < d; k++)
            {
                var iv = box[k];
                double mid = iv.Midpoint;
                width[k] = iv.Lo < mid && mid < iv.Hi ? iv.Hi - iv.Lo : 0;
                any |= width[k] > 0;
            }
            if (!any) return -1;
            var score = new double[d];
            if (!_q.TopOne && p.Bound.Influence is { } influence)
            {
                // The linear bound's own coefficients × widths: the certified counterpart of |∂Δ/∂x_k|·width_k.
                for (int k = 0; k < d; k++) score[k] = width[k] > 0 ? influence[k] : 0;
            }
            else if (p.Depth % 3 != 2)
            {
                var g = Gradient(box.Center, p.Bound);
                for (int k = 0; k < d; k++) score[k] = Math.Abs(g[k]) * width[k];
            }
            if (score.Max() <= 0)
                for (int k = 0; k < d; k++) score[k] = _rootWidth[k] > 0 ? width[k] / _rootWidth[k] : 0;
            int best = 0;
            for (int k = 1; k < d; k++) if (score[k] > score[best]) best = k;
            return width[best] > 0 ? best : Array.FindIndex(width, w => w > 0);
        }

        private double[] Gradient(double[] x, PartBound b)
        {
            var ga = new NetworkGradient(_q.First); var gb = new NetworkGradient(_q.Second);
            var ya = ga.Forward(x); var yb = gb.Forward(x);
            var w = new double[_m];
            if (!_q.TopOne)
            {
                var u = b.Upper;
                int j = Array.IndexOf(u, u.Max());
                w[j] = 1;
                var g2 = gb.Backward(w); var g1 = ga.Backward(w);
                return g2.Select((v, k) => v - g1[k]).ToArray();
            }
            int c = TopOne.Argmax(ya);
            int r = -1;
            for (int k = 0; k < _m; k++) if (k != c && (r < 0 || yb[k] > yb[r])) r = k;
            if (r < 0) return new double[x.Length];
            w[c] = 1; w[r] = -1;
            var m1 = ga.Backward(w); var m2 = gb.Backward(w);
            return m1.Select((v, k) => Math.Abs(v) + Math.Abs(m2[k])).ToArray();
        }

        private double[] GlobalUpper() => _bounds.Upper(u => _engine!.UndecidedMaxInto(u, p => p.Bound.Upper));

        private void Emit(double upper, double lower, bool force)
        {
            if (_observe is null) return;
            double now = Seconds;
            if (!force && now - _lastEmit < 0.1) return;
            if (!force && _lastRow.U == upper && _lastRow.L == lower && now - _lastEmit < 1) return;
            _lastEmit = now; _lastRow = (upper, lower);
            _observe(new TraceRow(now, upper, lower, Splits));
        }

        private EquivalenceResult Finish(Verdict verdict, PartBounder bounder, double[] upper, int openParts)
        {
            Emit(upper.Max(), _bounds.SupLower, force: true);
            var methods = _exactTried > 0 ? [.. bounder.Methods, "z3-parts"] : bounder.Methods;
            return new EquivalenceResult(verdict, upper, _bounds.LowerBounds(), _witness, Splits, Seconds,
                methods, ExactCopy: false, OpenParts: openParts) { ExactPartsTried = _exactTried, ExactPartsClosed = _exactClosed };
        }
    }
}
