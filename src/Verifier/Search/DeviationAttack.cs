using System.Collections.Concurrent;
using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Lower bounds on sup_{x∈X, δ admissible} |f_j(x;θ+δ) − f_j(x;θ)| by attack: projected sign-gradient ascent over
/// (x, δ) jointly from many starts (the centre, seeds, box corners, random points), a vertex polish of δ after every
/// run, and a local search of perturbation hops (random moves and coordinate flips of x to the box faces, which
/// cross the activation kinks in between). Every reported number is the exact replay of an admissible witness.
/// Thread-safe: each call uses its own workspaces.
/// </summary>
public sealed class DeviationAttack
{
    private readonly DeviationProblem _p;

    public AttackOptions Options { get; }
    public Network Nominal => _p.Nominal;
    public ParameterBox Delta => _p.Delta;

    public DeviationAttack(Network nominal, ParameterBox delta, AttackOptions? options = null)
    {
        _p = new DeviationProblem(nominal, delta);
        Options = options ?? new AttackOptions();
    }

    /// <summary>
    /// Attacks and replays: the best witness per output (all outputs unless <paramref name="outputs"/> is given).
    /// With a <paramref name="limit"/> the whole call, exact replays included, ends within it (up to the error of the
    /// measured costs, <see cref="ReplayBudget"/>): the search stops early enough for the replays, and an output whose
    /// replay no longer fits reports no witness. Without one the search runs until <paramref name="cancellation"/>
    /// and every output's replays follow, however long they take. With <paramref name="searchFor"/> (shorter than the
    /// limit) the search stops then and the replays have until the limit. Outputs are replayed in the order of their
    /// best estimate, so that those a short limit leaves without a witness are the weakest.
    /// </summary>
    public AttackResult Run(Box box, IReadOnlyList<double[]>? seeds = null, IReadOnlyList<int>? outputs = null,
                            CancellationToken cancellation = default, TimeSpan? limit = null, TimeSpan? searchFor = null)
    {
        var sw = Stopwatch.StartNew();
        using var deadline = limit is { } l ? new AttackDeadline(l, cancellation, searchFor) : null;
        var candidates = Search(box, seeds, outputs, null, cancellation, out long steps, deadline);
        var lower = new LowerBound?[_p.OutputSize];
        var perOutput = candidates.GroupBy(c => c.Output).OrderByDescending(g => g.Max(c => Math.Abs(c.Estimate))).ToArray();
        int threads = Threads(Options);
        int cap = deadline?.ReplaysPerOutput(Math.Max(1, perOutput.Length), threads) ?? int.MaxValue;
        var par = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var inOrder = Partitioner.Create(perOutput, EnumerablePartitionerOptions.NoBuffering);
        long latestReplay = -1;
        Parallel.ForEach(inOrder, par, group =>
            lower[group.Key] = BestReplay(group.ToArray(), box, cap, deadline, ref latestReplay));
        if (deadline?.Probe is { } probe && lower[probe.Output] is null) lower[probe.Output] = probe;
        long ticks = Interlocked.Read(ref latestReplay);
        var replayCost = ticks >= 0 ? TimeSpan.FromTicks(ticks) : deadline?.LatestReplay;
        return new AttackResult(lower, steps, sw.Elapsed) { ReplayCost = replayCost };
    }

    /// <summary>
    /// The best exact replay among one output's candidates. An exact replay of a large network costs about as much as
    /// the whole attack's last seconds (rational arithmetic through every layer, twice), so a candidate is replayed only
    /// while it can still be the best: in order of its double estimate of |Δf_j|, the first admissible one, then any whose
    /// estimate is within <see cref="ReplayMargin"/> of it (a double estimate is far closer to its exact value than
    /// that, so the others cannot win). Under a deadline at most <paramref name="cap"/> candidates are replayed, and
    /// none once its measured cost no longer fits. Every value kept is an exact replay, whichever candidates are skipped.
    /// </summary>
    /// <param name="latestReplay">set to the ticks of each replay here (for the caller's next budget)</param>
    private LowerBound? BestReplay(AttackCandidate[] candidates, Box box, int cap, AttackDeadline? deadline, ref long latestReplay)
    {
        LowerBound? best = null;
        double lead = double.NaN;
        int replayed = 0;
        foreach (var c in candidates.OrderByDescending(c => Math.Abs(c.Estimate)))
        {
            if (best is not null && Math.Abs(c.Estimate) < lead - ReplayMargin(lead)) break;
            if (replayed >= cap || (deadline is not null && !deadline.ReplayFits())) break;
            replayed++;
            long t0 = Stopwatch.GetTimestamp();
            var lb = Certify(c, box);
            var took = Stopwatch.GetElapsedTime(t0);
            Interlocked.Exchange(ref latestReplay, took.Ticks);
            deadline?.Replayed(took);
            if (lb is null) continue;
            if (best is null) lead = Math.Abs(c.Estimate);
            if (best is null || lb.Exact > best.Exact) best = lb;
        }
        return best;
    }

    /// <summary>How far below the leading estimate a candidate is still replayed: relative 1e-6, and 1e-12 absolute for
    /// differences so small that the doubles' cancellation error is comparable to them.</summary>
    internal static double ReplayMargin(double lead) => 1e-6 * Math.Abs(lead) + 1e-12;

    /// <summary>Replays a candidate exactly; null when it is not admissible for <paramref name="box"/> (never expected).</summary>
    public LowerBound? Certify(AttackCandidate c, Box box)
    {
        var w = new Witness(c.Output, (double[])c.X.Clone(), c.Perturbed);
        var value = w.Replay(_p.Nominal, box, _p.Delta);
        return value is { } v ? new LowerBound(c.Output, v, w) : null;
    }

    /// <summary>The best point per objective (output j, sign s) in double arithmetic, with an admissible θ'.</summary>
    public IReadOnlyList<AttackCandidate> Search(Box box, IReadOnlyList<double[]>? seeds, IReadOnlyList<int>? outputs,
                                                 AttackOptions? budget, CancellationToken cancellation, out long gradientSteps) =>
        Search(box, seeds, outputs, budget, cancellation, out gradientSteps, null);

    /// <summary>The search; under a deadline the first finished run also measures the closing costs
    /// (<see cref="Measure"/>), and the search stops when the deadline says so.</summary>
    private IReadOnlyList<AttackCandidate> Search(Box box, IReadOnlyList<double[]>? seeds, IReadOnlyList<int>? outputs,
                                                  AttackOptions? budget, CancellationToken outer, out long gradientSteps,
                                                  AttackDeadline? deadline)
    {
        var cancellation = deadline?.Search ?? outer;
        if (box.Dimension != _p.InputSize)
            throw new ArgumentException($"the input box has {box.Dimension} dimensions, the network {_p.InputSize} inputs");
        var opt = budget ?? Options;
        var outs = outputs ?? Enumerable.Range(0, _p.OutputSize).ToArray();
        foreach (var j in outs)
            if (j < 0 || j >= _p.OutputSize) throw new ArgumentOutOfRangeException(nameof(outputs), $"output {j} out of range 0..{_p.OutputSize - 1}");
        double[] lo = box.Lower, hi = box.Upper;
        var seedList = (seeds ?? []).Select(s => Clip(s, lo, hi)).ToArray();
        int objectives = outs.Count * 2;
        int restarts = Math.Max(1, opt.Restarts);
        var best = new AttackState[objectives];
        var bestTask = new int[objectives];
        for (int o = 0; o < objectives; o++) { best[o] = new AttackState(_p); bestTask[o] = int.MaxValue; }
        // The screened runs keep their own best, searched locally on its own, so that the runs above and their local
        // search are exactly what they were without the screen: the attack is never weaker for it.
        var bestScreened = new AttackState[objectives];
        var screenedTask = new int[objectives];
        for (int o = 0; o < objectives; o++) { bestScreened[o] = new AttackState(_p); screenedTask[o] = int.MaxValue; }
        long steps = 0;
        var par = new ParallelOptions { MaxDegreeOfParallelism = Threads(opt) };
        deadline?.Prepare(objectives, par.MaxDegreeOfParallelism);
        int free = lo.Where((l, i) => hi[i] > l).Count();
        var screened = opt.ScreenSamples > 0 && opt.ScreenSeeds > 0 && free is > 0 and <= AlignedScreen.UpToDimensions
            ? AlignedScreen.Seeds(_p, lo, hi, outs, opt.ScreenSamples, opt.ScreenSeeds, opt.Seed, par, cancellation)
            : null;

        // Phase 1: multi-start ascent, every (objective, restart) an independent task with its own random stream, started
        // round by round (AttackSchedule) and handed out strictly in that order, one run at a time.
        int aligned = opt.AlignDelta ? Math.Max(1, restarts / 2) : 0;
        var schedule = new AttackSchedule(objectives, restarts, aligned, screened is null ? 0 : opt.ScreenSeeds);
        var order = Partitioner.Create(schedule.Runs, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(order, par,
            () => (Ws: NewWorkspace(lo, hi), Run: new AttackState(_p)),
            (run, _, local) =>
            {
                if (cancellation.IsCancellationRequested) return local;
                if (deadline is not null && !deadline.MayRun(run.Objective)) return local;
                long started = Stopwatch.GetTimestamp();
                int o = run.Objective;
                int j = outs[o / 2], s = o % 2 == 0 ? 1 : -1;
                var rng = new Random(Mix(opt.Seed, run.Id, 0));
                if (run.Restart >= restarts)
                {
                    var points = screened![o];
                    if (run.Restart - restarts >= points.Length) return local;
                    points[run.Restart - restarts].CopyTo(local.Ws.X, 0);
                    local.Ws.ZeroDelta();   // the first polish puts δ at the first-order worst vertex there
                }
                else Start(local.Ws, run.Restart, seedList, lo, hi, rng);
                Ascend(local.Ws, j, s, opt.Steps, run.Aligned, local.Run);
                Interlocked.Add(ref steps, opt.Steps + 1);
                if (deadline is not null && deadline.TakeProbe())
                    Measure(deadline, local.Run, j, s, box, Stopwatch.GetElapsedTime(started));
                var (into, task) = run.Restart >= restarts ? (bestScreened, screenedTask) : (best, bestTask);
                lock (into[o])
                    if (local.Run.Value > into[o].Value || (local.Run.Value == into[o].Value && run.Id < task[o]))
                    {
                        into[o].CopyFrom(local.Run);
                        task[o] = run.Id;
                    }
                return local;
            }, _ => { });

        // Phase 2: local search from each objective's best point.
        var candidates = new AttackCandidate?[objectives];
        Parallel.For(0, objectives, par, o =>
        {
            int j = outs[o / 2], s = o % 2 == 0 ? 1 : -1;
            var ws = NewWorkspace(lo, hi);
            var trial = new AttackState(_p);
            LocalSearch(ws, trial, best[o], o, j, s, new Random(Mix(opt.Seed, o, 1)));
            if (!double.IsNegativeInfinity(bestScreened[o].Value))
            {
                LocalSearch(ws, trial, bestScreened[o], o, j, s, new Random(Mix(opt.Seed, o, 3)));
                if (bestScreened[o].Value > best[o].Value) best[o].CopyFrom(bestScreened[o]);
            }
            if (double.IsNegativeInfinity(best[o].Value)) return;   // cancelled before any run
            if (!opt.CandidatesWhenCancelled && cancellation.IsCancellationRequested) return;
            best[o].Restore(ws);
            double v = ws.EvaluateWithGradient(j, s, wantX: true);
            var grad = ws.GX.Select(Math.Abs).ToArray();
            var net = AdmissibleNetwork.Build(_p, best[o].DW, best[o].DB);
            candidates[o] = new AttackCandidate(j, s, v, (double[])best[o].X.Clone(), net, grad);
        });
        gradientSteps = steps;
        return candidates.Where(c => c is not null).Select(c => c!).ToArray();

        void LocalSearch(AttackWorkspace ws, AttackState trial, AttackState from, int o, int j, int s, Random rng)
        {
            for (int round = 0; round < opt.LocalSearchRounds && !cancellation.IsCancellationRequested
                                && (deadline is null || (!double.IsNegativeInfinity(from.Value) && deadline.MayRun(o))); round++)
            {
                from.Restore(ws);
                Hop(ws.X, lo, hi, rng, 0.25 * Math.Pow(0.1, (double)round / Math.Max(1, opt.LocalSearchRounds)));
                ws.UpdateParameters();
                Ascend(ws, j, s, Math.Max(1, opt.Steps / 2), false, trial);
                Interlocked.Add(ref steps, opt.Steps / 2 + 1);
                if (trial.Value > from.Value) from.CopyFrom(trial);
            }
        }
    }

    /// <summary>
    /// Times the closing work on one finished run (making its δ admissible, replaying it exactly) and tells the
    /// deadline. The replay is a witness like any other; the deadline keeps it for an output left without one.
    /// </summary>
    private void Measure(AttackDeadline deadline, AttackState run, int output, int sign, Box box, TimeSpan runTime)
    {
        long t0 = Stopwatch.GetTimestamp();
        var net = AdmissibleNetwork.Build(_p, run.DW, run.DB);
        var build = Stopwatch.GetElapsedTime(t0);
        var probe = Certify(new AttackCandidate(output, sign, run.Value, (double[])run.X.Clone(), net, []), box);
        var replay = Stopwatch.GetElapsedTime(t0) - build;
        deadline.Measured(new ReplayCosts(runTime, build, replay), probe);
    }

    private static int Threads(AttackOptions o) => o.Threads > 0 ? o.Threads : Environment.ProcessorCount;

    private AttackWorkspace NewWorkspace(double[] lo, double[] hi)
    {
        var ws = new AttackWorkspace(_p);
        ws.SetInputBox(lo, hi);
        return ws;
    }

    /// <summary>Restart r: 0 the centre, then the seeds, then alternately random corners and random points.</summary>
    private static void Start(AttackWorkspace ws, int r, double[][] seeds, double[] lo, double[] hi, Random rng)
    {
        var x = ws.X;
        if (r == 0)
        {
            for (int i = 0; i < x.Length; i++) x[i] = lo[i] + 0.5 * (hi[i] - lo[i]);
            ws.ZeroDelta();
            return;
        }
        if (r - 1 < seeds.Length) seeds[r - 1].CopyTo(x, 0);
        else if (r % 2 == 1) for (int i = 0; i < x.Length; i++) x[i] = rng.Next(2) == 0 ? lo[i] : hi[i];
        else for (int i = 0; i < x.Length; i++) x[i] = Math.Min(hi[i], lo[i] + rng.NextDouble() * (hi[i] - lo[i]));
        ws.RandomDelta(rng);
    }

    /// <summary>
    /// One ascent run from the workspace's current point; leaves the best point found in <paramref name="best"/>.
    /// Each step is a projected sign step on x; δ either jumps to the first-order worst vertex for the x just
    /// evaluated (<paramref name="align"/>: the gradient of one evaluation serves both moves) or takes a sign step.
    /// </summary>
    private static void Ascend(AttackWorkspace ws, int j, int s, int steps, bool align, AttackState best)
    {
        double v = ws.PolishDelta(j, s);
        best.Save(ws, v);
        for (int t = 0; t < steps; t++)
        {
            double frac = (double)t / steps;
            double cur = ws.EvaluateWithGradient(j, s, wantX: true);
            if (cur > best.Value) best.Save(ws, cur);
            ws.StepX(0.1 * Math.Pow(0.01, frac));      // 10% of the box side down to 0.1%
            if (align) ws.AlignDelta();
            else ws.StepDelta(0.5 * Math.Pow(0.02, frac));  // half the δ box side down to 1%
        }
        double last = ws.Evaluate(j, s);
        if (last > best.Value) best.Save(ws, last);
        best.Restore(ws);
        double polished = ws.PolishDelta(j, s);
        if (polished > best.Value) best.Save(ws, polished);
    }

    /// <summary>A perturbation hop: flip one coordinate to a face of the box, or move all by up to a fraction of the side.</summary>
    private static void Hop(double[] x, double[] lo, double[] hi, Random rng, double scale)
    {
        if (rng.Next(3) == 0)
        {
            int i = rng.Next(x.Length);
            x[i] = x[i] - lo[i] < hi[i] - x[i] ? hi[i] : lo[i];
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i] + (2 * rng.NextDouble() - 1) * scale * (hi[i] - lo[i]);
            x[i] = v < lo[i] ? lo[i] : v > hi[i] ? hi[i] : v;
        }
    }

    private static double[] Clip(double[] s, double[] lo, double[] hi)
    {
        if (s.Length != lo.Length) throw new ArgumentException($"seed point has {s.Length} entries, expected {lo.Length}");
        var r = new double[s.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Clamp(s[i], lo[i], hi[i]);
        return r;
    }

    /// <summary>A fixed mixing function (HashCode is randomised per process, so runs would not repeat).</summary>
    internal static int Mix(int seed, int task, int phase)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)task * 0xBF58476D1CE4E5B9UL + (ulong)phase * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
