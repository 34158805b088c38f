using System.Diagnostics;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Results;
using Verify.Search;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// `certify --top1`. The class c is the nominal network's top class at the box centre (decided exactly; a tie there is
/// already a flip, with δ = 0). Then, within the timeout:
/// <list type="number">
/// <item>the margin pass (<see cref="LinearDifferenceBounder.Margins"/>) over the whole box: verified if every
/// y'_c − y'_j is certified positive;</item>
/// <item>the flip attack (<see cref="FlipAttack"/>) from the centre, a quarter of the budget when splitting follows:
/// falsified by an exactly replayed flip (the nominal network changing class inside the box is a flip with δ = 0);</item>
/// <item>auto: input splitting on the margins (<see cref="MarginSplitting"/>) with what is left, stopping at the first
/// certified box cover; every few rounds a short attack (one restart) starts from the centre of the worst open box, and
/// if splitting ends open, the full attack tries again from there.</item>
/// </list>
/// A replayed flip against a positive certified margin would be a bounder bug: it throws rather than answer.
/// </summary>
public static class TopOneEngine
{
    public const double AttackShareFirst = 0.25;

    /// <summary>The most one attack from a worst open box during splitting may take, as a share of the timeout.</summary>
    public const double ProbeShare = 0.02;

    public static TopOneResult Run(TopOneQuery q) => Run(q, null);

    /// <summary>
    /// As <see cref="Run(TopOneQuery)"/>, and with <see cref="TopOneQuery.Certificate"/> a certificate of a verified
    /// answer (margin splitting's closed boxes, re-bounded) or a falsified one (the flip); none for unknown answers.
    /// </summary>
    public static (TopOneResult Result, Certificates.Certificate? Certificate) RunWithCertificate(TopOneQuery q)
    {
        if (!q.Certificate) return (Run(q, null), null);
        var record = new SplitRecord();
        var result = Run(q, record);
        return (result, result.Verdict == Verdict.Unknown ? null : CertificateBuilder.BuildTopOne(q, result, record));
    }

    private static TopOneResult Run(TopOneQuery q, SplitRecord? record)
    {
        q.Validate();
        var clock = Stopwatch.StartNew();
        var net = q.Network;
        // --execution: the margins are bounded over the widened box (every float evaluation is the exact evaluation of a
        // network in it), the flips searched and replayed in the user's own (a flip must be an admissible perturbation).
        var delta = q.Perturbation.ToBox(net);
        var witnessDelta = delta.RealArithmetic;
        NumericRange.Check(net, q.Box, delta);
        string? overflow = q.Perturbation.Execution is { } format ? ExecutionOverflow.Check(net, q.Box, delta, format) : null;
        using var deadline = new CancellationTokenSource(q.Timeout);
        var centre = q.Box.Center;
        var yCentre = net.EvaluateExact(centre.Select(Rational.FromDouble).ToArray());
        var top = ArgmaxSet(yCentre);
        int cls = top[0];
        var linear = new LinearDifferenceBounder();
        var (margins, enclosures) = linear.MarginsWithEnclosures(net, q.Box, delta, cls, null);
        int splits = 0;
        string? reason = null;
        string method = q.Method.Name;   // "auto-phase" once phase branching ran

        TopOneResult Answer(Verdict verdict, ClassFlip? flip = null)
        {
            string? executionCheck = null;
            if (flip is not null && q.Perturbation.Execution is { } f)
            {
                (bool flips, executionCheck) = FloatFlipCheck.Run(net, flip, f);
                if (!flips) { verdict = Verdict.Unknown; reason = "a flip of the real-valued network, not confirmed in " + f.Name; }
            }
            var result = new TopOneResult(cls, margins.Lower, verdict, method, clock.Elapsed.TotalSeconds, splits, q.Perturbation,
                q.Box.Lower, q.Box.Upper, q.NetworkPath, q.NetworkSha256)
            {
                Flip = flip,
                FlipMargin = flip?.Replay(net, q.Box, witnessDelta),
                Nominal = net,
                Reason = verdict == Verdict.Unknown ? reason : null,
                ExecutionCheck = executionCheck,
            };
            CheckConsistent(result);
            return result;
        }

        if (top.Length > 1)
            return Answer(Verdict.Falsified, new ClassFlip(cls, top[1], centre, net) { NominalFlip = true });
        if (overflow is not null)
        {
            // The widened box does not model a float evaluation that may overflow: nothing is certified.
            var none = Enumerable.Repeat(double.NegativeInfinity, net.OutputSize).ToArray();
            none[cls] = double.PositiveInfinity;
            margins = new MarginBound(cls, none, margins.Influence);
            reason = "--execution: " + overflow;
            return Answer(Verdict.Unknown);
        }
        if (margins.Worst > 0) return Answer(Verdict.Verified);
        TimeSpan Remaining() => q.Timeout - clock.Elapsed;
        if (OptimizesSlopes(q) && Remaining() > TimeSpan.Zero)
        {
            margins = margins.Max(OptimizedMargins(q, delta, cls, enclosures, deadline.Token) ?? margins);
            if (margins.Worst > 0) return Answer(Verdict.Verified);
        }

        var attack = new FlipAttack(net, q.Box, witnessDelta, cls);
        ClassFlip? Attack(double[] start, TimeSpan time, int? restarts = null, int seedOffset = 0)
        {
            if (q.AttackRestarts == 0 || time <= TimeSpan.Zero) return null;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            limit.CancelAfter(time);
            return attack.Run(start, Math.Min(restarts ?? q.AttackRestarts, q.AttackRestarts), q.Seed + seedOffset, limit.Token);
        }
        // During phase branching: one restart with a fresh seed, at most a probe's share of the timeout (or the time given).
        ClassFlip? ProbeAttack(int n, TimeSpan? time = null)
        {
            var limit = time ?? q.Timeout * ProbeShare;
            return Attack(centre, limit < Remaining() ? limit : Remaining(), restarts: time is null ? 1 : null, seedOffset: 7919 * n);
        }

        bool splitting = q.Method.Splits && !IsPoint(q.Box);
        bool phases = BranchesOnPhases(q);
        if (Attack(centre, splitting || phases ? Remaining() * AttackShareFirst : Remaining()) is { } flip) return Answer(Verdict.Falsified, flip);
        if (phases)
        {
            // No box to attack from inside a phase domain: every few rounds the attack restarts at x with a new seed.
            ClassFlip? found = null;
            int probes = 0;
            var probeEvery = q.Timeout * ProbeShare * PhaseProbeSpacing;
            var nextProbe = clock.Elapsed + probeEvery;
            var brancher = new MarginPhaseSplitting
            {
                MaxSplits = q.MaxSplits ?? int.MaxValue,
                Leaf = new LinearDifferenceBounder
                {
                    OptimizeMargins = true, StopAtFirstOpenMargin = true, SlopeIterations = Math.Min(q.SlopeIterations, PhaseLeafSlopeIterations),
                },
                Stop = () =>
                {
                    if (clock.Elapsed < nextProbe) return false;
                    nextProbe = clock.Elapsed + probeEvery;
                    return (found = ProbeAttack(++probes)) is not null;
                },
            };
            method = "auto-phase";
            var branched = brancher.Run(net, q.Box, delta, cls, deadline.Token, enclosures);
            splits = branched.Splits;
            // Merged before a flip is reported too, so that a flip against a positive margin is caught as the bug it is.
            margins = margins.Max(new MarginBound(cls, branched.Lower, margins.Influence));
            if (found is not null) return Answer(Verdict.Falsified, found);
            if (margins.Worst > 0) return Answer(Verdict.Verified);
            if (ProbeAttack(++probes, Remaining()) is { } last) return Answer(Verdict.Falsified, last);
            reason = $"{branched.OpenDomains} phase domains still open after {splits} splits ({branched.Infeasible} proved empty; timeout or --max-splits)";
            return Answer(Verdict.Unknown);
        }
        if (!splitting)
        {
            reason = IsPoint(q.Box) || !q.Method.Splits
                ? "a margin bound is not positive and the attack found no flip" +
                  (q.Certificate && q.Method.Splits ? " (with --certificate a fixed input is not branched on: the checker cannot check phase domains)" : "")
                : reason;
            return Answer(Verdict.Unknown);
        }
        // While splitting, a short attack from the worst open box every few rounds: a flip there ends the search.
        ClassFlip? probed = null;
        var probeTime = q.Timeout * ProbeShare;
        var splitter = new MarginSplitting
        {
            MaxSplits = q.MaxSplits ?? int.MaxValue,
            RecordLeaf = record is null ? null : record.Leaf,
            RecordSplit = record is null ? null : record.Split,
            Probe = start => (probed = Attack(start, probeTime < Remaining() ? probeTime : Remaining(), restarts: 1)) is not null,
        };
        var outcome = splitter.Run(net, q.Box, delta, cls, deadline.Token);
        splits = outcome.Splits;
        if (probed is not null) return Answer(Verdict.Falsified, probed);
        margins = margins.Max(new MarginBound(cls, outcome.Lower, margins.Influence));
        if (margins.Worst > 0) return Answer(Verdict.Verified);
        if (outcome.WorstCentre is { } worst && Attack(worst, Remaining()) is { } late) return Answer(Verdict.Falsified, late);
        reason = $"{outcome.OpenBoxes} sub-boxes still open after {splits} splits (timeout or --max-splits)";
        return Answer(Verdict.Unknown);
    }

    /// <summary>
    /// Whether the margins are refined by branching on ReLU phases (<see cref="MarginPhaseSplitting"/>): auto at a fixed
    /// input, where input splitting has nothing to split — but not for a certificate, whose checker cannot check phase
    /// domains (the answer is then what the margin pass and the attack say, as before).
    /// </summary>
    private static bool BranchesOnPhases(TopOneQuery q) => q.Method.Splits && IsPoint(q.Box) && !q.Certificate;

    /// <summary>During phase branching an attack probe (at most <see cref="ProbeShare"/> of the timeout) starts every
    /// this many probe lengths: about an eighth of the time goes to looking for flips.</summary>
    public const int PhaseProbeSpacing = 8;

    /// <summary>Adam steps per margin in a phase domain, fewer than at the root so that more domains are bounded: the cost
    /// of a split grows with the steps (mnistfc 256x4, layer 1 at 0.5 %: 10 splits took 6.4 s with 5 steps, 14.4 s with
    /// 20), and after 60 s the worst margin was about the same with 5 and 10 (−0.119, −0.106).</summary>
    public const int PhaseLeafSlopeIterations = 10;

    /// <summary>Adam steps per optimised margin unless `--slope-iterations` says otherwise.</summary>
    public const int DefaultSlopeIterations = 20;

    /// <summary>Whether the margins the plain pass leaves ≤ 0 are bounded again with optimised slopes: auto and
    /// `--optimize-slopes` do, except for a certificate (it records the plain planes only, so the checker could not
    /// reproduce an optimised margin).</summary>
    private static bool OptimizesSlopes(TopOneQuery q) => !q.Certificate && (q.OptimizeSlopes || q.Method == BoundMethods.Auto);

    /// <summary>The margins over the box with optimised slopes from the plain pass's enclosures; null when the deadline
    /// came first (the plain margins stand).</summary>
    private static MarginBound? OptimizedMargins(TopOneQuery q, ParameterBox delta, int cls, LayerBounds[] enclosures, CancellationToken deadline)
    {
        var optimizer = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = q.SlopeIterations };
        try { return optimizer.MarginsFrom(q.Network, q.Box, delta, cls, enclosures, deadline); }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested) { return null; }
    }

    /// <summary>The indices attaining the exact maximum, in increasing order.</summary>
    private static int[] ArgmaxSet(IReadOnlyList<Rational> y)
    {
        var max = y[0];
        for (int j = 1; j < y.Count; j++) if (y[j] > max) max = y[j];
        return Enumerable.Range(0, y.Count).Where(j => y[j] == max).ToArray();
    }

    private static bool IsPoint(Box box)
    {
        for (int k = 0; k < box.Dimension; k++) if (box[k].Lo != box[k].Hi) return false;
        return true;
    }

    private static void CheckConsistent(TopOneResult r)
    {
        if (r.Flip is null) return;
        if (r.FlipMargin is not { } m || m.Sign > 0)
            throw new InvalidOperationException("a reported flip did not replay");
        if (r.MarginLower[r.Flip.Rival] > 0)
            throw new InvalidOperationException($"unsound margin: class {r.Flip.Rival} has a certified margin {r.MarginLower[r.Flip.Rival]:R} > 0 but a replayed flip");
    }
}
